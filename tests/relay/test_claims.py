"""The study's claims: derived tolerances, the seed and binomial spread, comparability from the config."""

import pandas as pd
import pytest

from energyrepro.claims import mark_comparability, wilson_halfwidth
from energyrepro.config import load_config
from energyrepro.relay.claims import claims
from energyrepro.relay.evaluation import score_cases, seed_summary
from energyrepro.relay.paper import paper

ZONES = {"limits_km": [142.5, 195.0, 240.0], "transition_centres_km": [142.5, 195.0], "transition_frac": 0.02}
TYPES = ["AG", "BG", "CG", "AB", "AC", "BC", "ABG", "ACG", "BCG", "ABC"]


def scored(seeds=3, wrong_in_band=0, wrong_far=0):
    """100 cases per seed at 60 km (zone 1) decided at 2/7/11 ms; some location errors in or out of a band."""
    rows = []
    for seed in range(seeds):
        for c in range(100):
            ftype, km, zone_hat = TYPES[c % 10], 60.0, 1
            if c < wrong_in_band:
                km, zone_hat = 141.0, 2
            elif c < wrong_in_band + wrong_far:
                zone_hat = 3
            rows.append({"seed": seed, "case": c, "ftype": ftype, "km": km, "F": 30, "direction": "forward",
                         "det_end": 32, "ftype_hat": ftype, "class_end": 37, "zone_hat": zone_hat, "loc_end": 41})
    return score_cases(pd.DataFrame(rows), ZONES)


def build(s):
    ref = paper()
    summary = seed_summary(s, ref["values"]["classification_ms"], ref["values"]["location_ms"])
    metrics = {n: {"architecture": "24-x-2", "patterns": 10, "cases": 5, "best_val_rms": [0.05, 0.06, 0.07]}
               for n in ("ann1", "ann2", "ann3", "ann4", "ann5")}
    rows = claims(metrics, {n: "r" for n in metrics}, summary, s, "t", ref, "quick")
    return {c.claim_id: c for c in rows}


def test_tolerance_is_the_paper_rounding_and_spread_our_uncertainty():
    c = build(scored(wrong_far=4))
    overall = c["overall_pct"]
    assert overall.tolerance == 0.5 and c["ll_location_pct"].tolerance == 0.005 and c["val_rms_ann2"].tolerance == 0.005
    assert overall.our_value == pytest.approx(100 * (300 - 4) / 300, abs=0.01)
    # identical seeds: the spread is the Wilson half-width on the 100 test cases alone
    assert overall.spread == pytest.approx(100 * wilson_halfwidth(overall.our_value / 100, 100), abs=0.01)
    assert "Wilson" in overall.tolerance_rule and "t-interval over 3 seeds" in overall.tolerance_rule
    assert c["val_rms_ann1"].spread > 0 and c["val_rms_ann1"].direction == "lower_better"
    assert c["total_time_ms"].our_value == 11 and c["classification_time_pct"].our_value == 100


def test_errors_mostly_in_bands_needs_significance_and_size():
    assert build(scored(wrong_in_band=9, wrong_far=1))["errors_in_bands"].our_value is True
    few = build(scored(wrong_in_band=6, wrong_far=4))["errors_in_bands"]  # 60 %: not far enough above a half
    assert few.our_value is False and "practical minimum" in few.reason


def test_comparable_only_at_the_paper_profile_settings():
    rows = list(build(scored(wrong_far=2)).values())
    quick, ref = load_config("config/config.yaml")["relay"], load_config("config/paper.yaml")["relay"]
    assert all(c.verdict != "not comparable" for c in mark_comparability(rows, ref, ref))
    marked = mark_comparability(rows, quick, ref)
    assert all(c.verdict == "not comparable" for c in marked)
    assert "relay.datasets.ann1=" in marked[0].reason and "relay.seeds" not in marked[0].reason
