"""Networks and power flow: PTDF flows equal pandapower's DC power flow; data files load with clear errors."""

import numpy as np
import pytest

from energyrepro.pricing import networks as nw
from energyrepro.pricing.factors import injections, pandapower_dc_flows, ptdf
from energyrepro.pricing.paper import tables as paper_tables
from energyrepro.pricing.reference import implied_dispatch


@pytest.fixture(scope="module")
def paper():
    return paper_tables()


def _flows(pn):
    A = ptdf(pn.net)
    u = pn.users
    return A @ injections(A.shape[1], u.ppc_bus, u.p_mw, (u.side == "gen").to_numpy())


@pytest.mark.parametrize("topology", nw.GARVER_TOPOLOGIES)
def test_garver_ptdf_flows_equal_pandapower(paper, topology):
    pn = nw.garver_network(topology, implied_dispatch(paper, 1, 760.0), 0.34, "M EUR")
    assert pn.users.loc[pn.users.side == "load", "p_mw"].sum() == 760.0
    np.testing.assert_allclose(_flows(pn), pandapower_dc_flows(pn.net), atol=1e-8)


def test_rts24_ptdf_flows_equal_pandapower_and_lengths_mapped():
    pn = nw.rts24_network(nw.rts24_reference_dispatch(), 139.105, "k EUR")
    np.testing.assert_allclose(_flows(pn), pandapower_dc_flows(pn.net), atol=1e-7)
    b = pn.branches
    assert len(b) == 38 and b.length.sum() == pytest.approx(1012.0)  # RTS-GMLC area A: 33 lines, 5 transformers
    assert (b.length == 0).sum() == 5
    assert b.cost.sum() == pytest.approx(139.105)
    assert pn.users.loc[pn.users.side == "load", "p_mw"].sum() == pytest.approx(2850.0)


def test_garver_base_topology_is_rejected():
    with pytest.raises(nw.NetworkDataError, match="bus 6 isolated"):
        nw.build_garver("base")


def test_unbalanced_dispatch_is_rejected(paper):
    d = implied_dispatch(paper, 1, 760.0) * 0.9
    with pytest.raises(nw.NetworkDataError, match="does not balance"):
        nw.garver_network("redispatch", d, 0.34, "M EUR")


def test_implied_dispatch_matches_postage_table(paper):
    d = implied_dispatch(paper, 1, 760.0)
    assert d.sum() == pytest.approx(760.0)
    assert list(d.index) == [1, 3, 6] and d[1] == pytest.approx(150, abs=0.5)
