"""The paper's tables: the typo its own rows expose, and the dispatch-free postage-stamp load tables."""

import numpy as np
import pytest

from energyrepro.pricing.reference import compare, inconsistent_entries, paper_tables
from energyrepro.pricing.study import build, price


@pytest.fixture(scope="module")
def paper():
    return paper_tables()


def test_paper_tables_complete(paper):
    assert sorted(paper.table.unique()) == list(range(1, 9))
    assert len(paper) == (4 + 4 + 6 + 6 + 11 + 11 + 18 + 18) * 6


def test_table5_g15_typo_found(paper):
    bad = inconsistent_entries(paper)
    assert set(zip(bad.table, bad.user, bad.gen_share_pct)) == {(5, "G15", 20.0), (5, "TOTAL", 20.0)}


def test_postage_load_tables_reproduced(paper):
    """Tables 3 and 7 depend only on the loads: ours must match to the paper's 4-decimal rounding."""
    from energyrepro.config import load_config

    cfg = load_config(overrides={"studies": ["pricing"]})["pricing"]
    for system, table in (("garver6", 3), ("rts24", 7)):
        res = price(build(system, cfg, paper), cfg["gen_shares_pct"], cfg["profit_sharing_r"])
        cmp = compare(res["allocation"], paper, system)
        t = cmp[(cmp.table == table) & (cmp.user != "TOTAL")]
        assert np.abs(t["diff"]).max() < 1.2e-4
