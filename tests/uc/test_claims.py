"""Claims of study uc: directions, stated tolerances, comparability, and the paper's own inconsistencies."""

import numpy as np
import pandas as pd
import pytest

from energyrepro.claims import mark_comparability
from energyrepro.uc import claims, stats

CFG = {"population": 50, "iterations": 250, "f": 0.5, "cr": 0.8, "n_seeds": 4, "sar_children": 5,
       "reserve_frac": 0.1, "units_csv": None, "load_csv": None, "alpha": 0.05, "min_effect": 1e-4,
       "quality_target": 1e-3}
OPT10 = 563937.69


def _inputs(ihde_costs, hde_costs, matched_costs=None, proven=True):
    rows = []
    for method, costs in (("ihde", ihde_costs), ("hde", hde_costs), ("hde_matched", matched_costs or hde_costs)):
        for rep, c in enumerate(costs):
            rows.append({"size": 10, "method": method, "rep": rep, "cost": c, "checker_cost": c, "feasible": True,
                         "evaluations": 13800, "migrations": 0, "min_diversity": 0.6, "cpu_s": 1.0})
    runs = pd.DataFrame(rows)
    milp = pd.DataFrame([{"size": 10, "cost": OPT10, "bound": OPT10 - (0.1 if proven else 500.0),
                          "gap": 1.8e-7 if proven else 8.9e-4, "proven": proven, "highs_version": "1.16.0",
                          "run_id": "m"}])
    st = stats.run_stats(runs, milp, CFG["quality_target"])
    return runs, st, stats.comparisons(runs, milp), milp


def _by_id(rows):
    return {c.claim_id: c for c in rows}


def test_cost_claim_directions_and_stated_rules():
    # the paper's 10-unit IHDE is 563,966 $: ours far lower is better than paper, a hair above is not reproduced
    better = _by_id(claims.claims(*_inputs([563937.69] * 4, [563977.0] * 4), CFG, "paper", {}))
    c = better["ihde_cost_n10"]
    assert c.kind == "claim" and c.direction == "lower_better" and c.verdict == "better than paper"
    assert "half a dollar" in c.tolerance_rule and c.tolerance == 0.5 and c.spread == 0.0
    assert better["hde_cost_n10"].verdict == "reproduced"          # 563,977 = the paper's HDE
    worse = _by_id(claims.claims(*_inputs([563977.0] * 4, [563977.0] * 4), CFG, "paper", {}))
    assert worse["ihde_cost_n10"].verdict == "not reproduced"      # none reaches 563,966 (issue 13)


def test_cost_claim_flips_just_outside_its_band():
    rows = _by_id(claims.claims(*_inputs([563966.2, 563970.0, 563990.0, 564100.0], [563977.0] * 4), CFG, "paper",
                                {}))
    c = rows["ihde_cost_n10"]
    assert c.verdict == "reproduced"
    band = c.tolerance + c.spread
    assert c.spread > 0
    c.our_value = c.paper_value + band * 1.01
    assert c.verdict == "not reproduced"
    c.our_value = c.paper_value - band * 1.01
    assert c.verdict == "better than paper"


def test_statement_needs_significance_and_effect():
    # IHDE cheaper on every run but by 10 $ (2e-5 of the optimum, below 1e-4): significant, not practical
    small = _by_id(claims.claims(*_inputs([564000.0 + i for i in range(4)], [564010.0 + i for i in range(4)]), CFG,
                                 "paper", {}))
    assert small["ihde_beats_hde_n10"].our_value is False and "below the practical minimum" in \
        small["ihde_beats_hde_n10"].reason
    big = _by_id(claims.claims(*_inputs([564000.0 + i for i in range(4)], [564300.0 + i for i in range(4)]), CFG,
                               "paper", {}))
    assert big["ihde_beats_hde_n10"].verdict == "reproduced"
    assert big["sar_beats_matched_hde_n10"].kind == "claim"


def test_quick_settings_are_not_comparable():
    rows = claims.claims(*_inputs([563937.69] * 4, [563977.0] * 4), CFG, "quick", {})
    quick = {**CFG, "iterations": 150}
    marked = _by_id(mark_comparability(rows, quick, CFG))
    c = marked["ihde_cost_n10"]
    assert c.verdict == "not comparable" and "uc.iterations=150 (paper profile: 250)" in c.reason
    assert marked["conclusion_ihde_lowest"].verdict != "not comparable"   # reads the paper only


def test_paper_rows_are_not_claims():
    rows = _by_id(claims.claims(*_inputs([563937.69] * 4, [563977.0] * 4), CFG, "paper", {}))
    assert rows["table3_attainable_n10"].kind == "consistency" and rows["table3_attainable_n10"].our_value is True
    c = rows["conclusion_ihde_lowest"]
    assert c.kind == "paper_inconsistency" and c.our_value is False and "40 units" in c.reason
    assert rows["table2_vs_table3_best_n100"].verdict == "not reproduced"


def test_unproven_optimum_gives_a_gap_interval():
    runs, st, _, _ = _inputs([OPT10 + 100] * 4, [OPT10 + 300] * 4, proven=False)
    r = st[st.method == "ihde"].iloc[0]
    assert r.gap_best_pct == pytest.approx(100 * 100 / OPT10)
    assert r.gap_best_max_pct == pytest.approx(100 * 600 / (OPT10 - 500))
    assert r.gap_best_pct < r.gap_best_max_pct


def test_best_of_n_halfwidth():
    assert claims.best_of_n_halfwidth(np.full(10, 5.0), 10) == 0.0
    wide = claims.best_of_n_halfwidth(np.arange(10.0), 10)
    assert 0 < wide <= 1.5          # the minimum of 10 draws from 10 values is almost always 0, 1 or 2
