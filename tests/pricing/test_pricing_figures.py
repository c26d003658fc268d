"""The table files and images: every share, labelled by who pays, difference = ours - paper."""

import numpy as np
import pytest

from energyrepro.pricing import figures as F
from energyrepro.pricing.paper import tables as paper_tables


@pytest.fixture(scope="module")
def cmp():
    c = paper_tables().assign(ours=lambda d: d.paper * 1.1)
    return c.assign(diff=c.ours - c.paper, unit="k EUR")


@pytest.mark.parametrize(("table", "first", "last"), [(6, "0%", "50%"), (8, "100%", "50%")])
def test_wide_table_labels_shares_by_payer(cmp, table, first, last):
    wide = F.paper_vs_ours(cmp, table)
    shares = [c.split("_", 1)[1] for c in wide.columns if c.startswith("paper_")]
    assert shares[0] == first and shares[-1] == last and len(shares) == 6
    for s in shares:
        np.testing.assert_allclose(wide[f"diff_{s}"], wide[f"ours_{s}"] - wide[f"paper_{s}"])
    assert wide.user.iloc[-1] == "TOTAL" and F.table_name(cmp, table).startswith(f"table{table}_rts24_mwmile")


def test_table_image_draws_the_headline_share(cmp):
    fig = F.table_image(cmp, 8, "k EUR")
    cells = fig.axes[0].tables[0].get_celld()
    assert cells[(1, 0)].get_text().get_text() == "L1"
    assert cells[(1, 1)].get_text().get_text() == "8.0175"  # Table 8, L1, loads pay 100 %
    assert cells[(1, 4)].get_text().get_text() == "+10.0"
