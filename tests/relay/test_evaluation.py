"""Scoring of the relay test: the window origin in the decision times, pre-fault trips, per-seed summaries."""

import numpy as np
import pandas as pd
import pytest

from energyrepro.relay.evaluation import errors_in_bands, overall, score_cases, seed_summary, table2, within_pct

ZONES = {"limits_km": [142.5, 195.0, 240.0], "transition_centres_km": [142.5, 195.0], "transition_frac": 0.02}


def decisions(**over):
    row = {"case": 0, "ftype": "AB", "km": 60.0, "F": 30, "direction": "forward", "det_end": 32, "ftype_hat": "AB",
           "class_end": 37, "zone_hat": 1, "loc_end": 41}
    row.update(over)
    return pd.DataFrame([row])


def test_times_count_post_fault_samples_from_the_last_pre_fault_sample():
    s = score_cases(decisions(), ZONES).iloc[0]
    assert s.detection_ok and s.location_ok
    assert (s.detection_ms, s.classification_ms, s.location_ms, s.total_ms) == (2, 7, 11, 11)


def test_a_window_of_pre_fault_samples_only_is_a_false_trip():
    assert not score_cases(decisions(det_end=30), ZONES).iloc[0].detection_ok  # window ends at F
    assert score_cases(decisions(det_end=31), ZONES).iloc[0].detection_ok  # one post-fault sample


def test_band_errors_are_counted_unless_excused():
    s = score_cases(decisions(km=141.0, zone_hat=2), ZONES)  # zone 1, inside the first band
    assert not s.location_ok.iloc[0] and s.location_ok_bands.iloc[0]
    assert overall(s) == pytest.approx(200 / 3) and overall(s, bands=True) == 100
    assert errors_in_bands(s) == (1, 1)


def scored_two_seeds():
    rows = []
    for seed, wrong in ((0, False), (1, True)):
        for c, (ftype, km) in enumerate([("AG", 60.0), ("BC", 100.0), ("ABC", 141.0), ("AB", 250.0)]):
            rows.append({"seed": seed, **decisions(case=c, ftype=ftype, ftype_hat=ftype, km=km,
                                                   zone_hat=3 if wrong and c == 2 else [1, 1, 1, 0][c]).iloc[0]})
    return score_cases(pd.DataFrame(rows), ZONES)


def test_seed_summary_has_one_row_per_seed():
    summary = seed_summary(scored_two_seeds(), [4, 9], [8, 15])
    assert summary.seed.tolist() == [0, 1] and (summary.cases == 4).all()
    assert summary.overall_pct.tolist() == [100.0, pytest.approx(100 * 11 / 12)]
    assert summary.overall_bands_pct.tolist() == [100.0, 100.0]
    assert summary.ll_location_pct.tolist() == [100.0, 100.0]
    assert summary.classification_in_range_pct.tolist() == [100.0, 100.0]  # 7 ms
    assert summary.lg_detected_2ms_pct.tolist() == [100.0, 100.0]
    assert summary.errors.tolist() == [0, 1] and summary.errors_in_bands.tolist() == [0, 1]


def test_within_pct_ignores_undecided():
    assert within_pct(pd.Series([5, 9, 10, np.nan]), 4, 9) == pytest.approx(200 / 3)


def test_table2_pools_phase_phase_and_all_types():
    t2 = table2(scored_two_seeds())
    assert set(t2.ftype) == {"AG", "AB", "BC", "ABC", "LL", "all"}
    all_loc = t2[(t2.ftype == "all") & (t2.module == "location")].iloc[0]
    assert all_loc.correct_pct == pytest.approx((100 + 75) / 2) and all_loc.cases == 4
