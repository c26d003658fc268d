"""Claims: whole-table MW-mile verdicts, kinds of row, the GA vs PSO statement with its effect size."""

import numpy as np
import pandas as pd
import pytest

from energyrepro.claims import claims_frame
from energyrepro.pricing import claims as C
from energyrepro.pricing.compare import ga_vs_pso
from energyrepro.pricing.paper import tables as paper_tables
from energyrepro.pricing.reference import TRUNCATION, input_spread, table_measure, totals_vs_tc

CFG = {"gen_shares_pct": [0, 10, 20, 30, 40, 50], "garver6": {"topology": "redispatch", "dispatch": "paper_implied",
       "tc": 0.34, "unit": "M EUR"}, "rts24": {"dispatch": "reference", "tc": 139.105, "unit": "k EUR"},
       "claims": {"alpha": 0.05, "min_effect_pct": 0.01, "min_rho": 0.5}}


@pytest.fixture(scope="module")
def paper():
    return paper_tables()


def _cmp(paper, scale: dict[int, float]) -> pd.DataFrame:
    """The paper's own tables as 'ours', entry-wise scaled per table (1.0 = identical)."""
    c = paper.copy()
    c["ours"] = c.paper * c.table.map(lambda t: scale.get(t, 1.0))
    c["diff"] = c.ours - c.paper
    c["rel_diff"] = np.where(c.paper != 0, c["diff"] / c.paper.where(c.paper != 0, 1.0), 0.0)
    return c


def test_table_measure_and_spread_hand_computed(paper):
    cmp = _cmp(paper, {2: 1.10})
    m = table_measure(cmp, 2)
    assert m["n"] == 3 and m["median_abs_rel"] == pytest.approx(0.10) and m["max_abs_rel"] == pytest.approx(0.10)
    assert m["truncation_rel"] == pytest.approx(TRUNCATION / 0.0596)  # median entry at 50 %: G3
    assert input_spread(cmp, [_cmp(paper, {2: 1.21})], 2) == pytest.approx(0.10)
    assert input_spread(cmp, [], 2) == 0.0


def _sens(spread: dict[int, float]) -> pd.DataFrame:
    rows = []
    for t, (system, _) in C.MWMILE_TABLES.items():
        rows.append({"table": t, "system": system, "configured": True, "admissible": True,
                     "median_abs_rel_diff_configured": 0.0})
        rows.append({"table": t, "system": system, "configured": False, "admissible": True,
                     "median_abs_rel_diff_configured": spread.get(t, 0.0)})
        rows.append({"table": t, "system": system, "configured": False, "admissible": False,
                     "median_abs_rel_diff_configured": 9.0})  # inadmissible choices never widen the band
    return pd.DataFrame(rows)


def test_mwmile_verdict_is_whole_table_and_can_fail(paper):
    """10 % off everywhere: reproduced only when the admissible inputs move our table by at least as much."""
    cmp = _cmp(paper, {2: 1.10, 4: 1.10, 6: 1.10, 8: 1.10})
    rows = claims_frame(C.mwmile_table_claims(cmp, _sens({2: 0.099, 4: 0.08, 8: 0.12}), CFG, {}))
    rows = rows.set_index("claim_id")
    assert len(rows) == 4 and (rows.kind == "claim").all()
    assert rows.loc["table2_mwmile_garver6_gen", "verdict"] == "reproduced"
    # inputs that move our table more than it is off confirm nothing: inconclusive, not reproduced
    assert rows.loc["table8_mwmile_rts24_load", "verdict"] == "not comparable"
    assert rows.loc["table8_mwmile_rts24_load", "reason"].startswith("inconclusive")
    assert rows.loc["table4_mwmile_garver6_load", "verdict"] == "not reproduced"
    assert rows.loc["table6_mwmile_rts24_gen", "verdict"] == "not reproduced"  # no input spread, only truncation
    exact = claims_frame(C.mwmile_table_claims(_cmp(paper, {}), _sens({}), CFG, {}))
    assert (exact.verdict == "reproduced").all()


def test_kinds_of_rows(paper):
    implied = pd.DataFrame({"system": "rts24", "bus": [16, 18, 7], "implied_mw": [285.0, 625.0, 210.0],
                            "capacity_mw": [155.0, 400.0, 300.0]})
    rows = claims_frame(C.postage_claims(_cmp(paper, {}), paper, CFG, {})
                        + C.paper_consistency_claims(paper, implied, CFG)).set_index("claim_id")
    postage = rows.loc[["table1_postage_garver6_gen", "table3_postage_garver6_load", "table7_postage_rts24_load"]]
    assert (postage.kind == "consistency").all() and (postage.verdict == "reproduced").all()
    assert rows.loc["table_totals_equal_share_of_tc", "kind"] == "consistency"
    assert rows.loc["table_totals_equal_share_of_tc", "verdict"] == "reproduced"
    typo = rows.loc["table5_G15_g20_typo"]
    assert typo.kind == "paper_inconsistency" and typo.our_value == pytest.approx(0.98408)
    cap = rows.loc["table5_dispatch_within_capacity"]
    assert cap.kind == "paper_inconsistency" and cap.paper_value == pytest.approx(130 + 225)
    assert "claim" not in set(rows.kind)


def test_totals_in_truncation_units(paper):
    tot = totals_vs_tc(paper, {"garver6": 0.34, "rts24": 139.105})
    t3 = tot[(tot.table == 3) & (tot.gen_share_pct == 0)].iloc[0]
    assert t3.n_entries == 5 and t3.ratio == pytest.approx((0.34 - 0.3396) / (5 * TRUNCATION))
    assert tot[(tot.table == 5) & (tot.gen_share_pct == 20)].ratio.iloc[0] > 10  # the G15 typo's total


def test_tiny_significant_difference_is_not_superiority():
    """The DC case: PSO lower on every seed by ~1e-5 $/h of 565 $/h: significant, practically nil."""
    rng = np.random.default_rng(0)
    ga = 565.20597 + rng.random(20) * 1e-5
    pso = 565.20596 + rng.random(20) * 1e-6
    t = ga_vs_pso(pso, ga)
    assert t["p_pso_better"] < 1e-6 and 0 < t["effect_pct"] < 1e-5
    refs = {"dc": {"cost": 565.2, "source": "x"}}
    row = claims_frame(C.pso_claims({"dc": t}, refs, 0.05, 0.01, {})).iloc[0]
    assert row.verdict == "not reproduced" and "below the practical minimum" in row.reason
    big = ga_vs_pso(pso - 1.0, ga)  # 1 $/h = 0.18 %
    assert claims_frame(C.pso_claims({"dc": big}, refs, 0.05, 0.01, {})).iloc[0].verdict == "reproduced"
    worse = ga_vs_pso(pso + 1.0, ga)
    assert worse["effect_pct"] < 0 and worse["p_ga_better"] < 1e-6
    assert claims_frame(C.pso_claims({"dc": worse}, refs, 0.05, 0.01, {})).iloc[0].verdict == "not reproduced"


def test_spearman_exact_for_small_n():
    rho, p = C.spearman_greater(np.array([1.0, 2.0, 3.0]), np.array([10.0, 20.0, 30.0]))
    assert rho == pytest.approx(1.0) and p == pytest.approx(1 / 6)  # 1 of 3! orderings
    rho, p = C.spearman_greater(np.arange(12.0), np.arange(12.0) ** 2)
    assert rho == pytest.approx(1.0) and p < 1e-6
