"""The paper's tables: the typo its own rows expose, and the dispatch-free postage-stamp load tables."""

import numpy as np
import pytest

from energyrepro.pricing.paper import tables as paper_tables
from energyrepro.pricing.reference import TRUNCATION, compare, inconsistent_entries
from energyrepro.pricing.study import build, choices, price

CFG = {"gen_shares_pct": [0, 10, 20, 30, 40, 50], "profit_sharing_r": 4,
       "garver6": {"topology": "redispatch", "dispatch": "paper_implied", "tc": 0.34, "unit": "M EUR"},
       "rts24": {"dispatch": "reference", "tc": 139.105, "unit": "k EUR"}}


@pytest.fixture(scope="module")
def paper():
    return paper_tables()


def test_paper_tables_complete(paper):
    assert sorted(paper.table.unique()) == list(range(1, 9))
    assert len(paper) == (4 + 4 + 6 + 6 + 11 + 11 + 18 + 18) * 6


def test_table5_g15_typo_found(paper):
    bad = inconsistent_entries(paper)
    assert set(zip(bad.table, bad.user, bad.gen_share_pct)) == {(5, "G15", 20.0), (5, "TOTAL", 20.0)}


@pytest.mark.parametrize(("system", "table"), [("garver6", 3), ("rts24", 7)])
def test_postage_load_tables_are_truncated_arithmetic(paper, system, table):
    """Tables 3 and 7 depend only on the loads and TC: the paper prints our values truncated to 4 decimals."""
    res = price(build(system, CFG, paper), CFG["gen_shares_pct"], CFG["profit_sharing_r"])
    t = compare(res["allocation"], paper, system)
    t = t[(t.table == table) & (t.user != "TOTAL")]
    assert np.abs(t["diff"]).max() < TRUNCATION
    truncated = np.floor(t.ours.to_numpy() * 1e4 + 1e-9) / 1e4
    assert np.mean(np.isclose(truncated, t.paper.to_numpy(), atol=1e-9)) >= 0.98  # rounding would match ~half


def test_admissible_choices_vary_only_what_the_paper_does_not_give():
    garver = choices("garver6")
    assert {c["topology"] for c in garver if c["admissible"]} == {"redispatch", "fixed"}
    assert {c["dispatch"] for c in garver if c["admissible"]} == {"paper_implied"}  # Table 1 gives it
    # Table 5's implied dispatch exceeds the unit capacities: only the feasible (OPF) dispatch is admissible
    assert {c["dispatch"] for c in choices("rts24") if c["admissible"]} == {"reference"}
