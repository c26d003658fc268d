"""Allocation laws: conservation of TC, postage stamp pro rata MW, the 0 % generator share, eq. 1-3 and 6-7."""

import numpy as np
import pandas as pd
import pytest

from energyrepro.pricing import allocation as al
from energyrepro.pricing.factors import distribution_factors, injections, user_flows

SHARES = [0, 10, 20, 30, 40, 50]


@pytest.fixture(scope="module")
def three_bus():
    """Triangle 1-2-3 with equal reactances: PTDF by hand (reference bus 1)."""
    # injection 1 MW at bus 2 (withdrawn at bus 1): 2/3 on 2-1, 1/3 via 2-3-1; lines ordered 1-2, 1-3, 2-3
    A = np.array([[0.0, -2 / 3, -1 / 3], [0.0, -1 / 3, -2 / 3], [0.0, 1 / 3, -1 / 3]])
    users = pd.DataFrame({"name": ["G1", "G2", "L3"], "side": ["gen", "gen", "load"],
                          "ppc_bus": [0, 1, 2], "p_mw": [60.0, 40.0, 100.0]})
    is_gen = (users.side == "gen").to_numpy()
    flows = A @ injections(3, users.ppc_bus, users.p_mw, is_gen)
    uf = user_flows(A, flows, users.ppc_bus.to_numpy(), users.p_mw.to_numpy(), is_gen)
    return A, users, flows, uf


def test_hand_computed_flows(three_bus):
    """G1 60 MW + G2 40 MW -> L3 100 MW: 1-2 carries 20/3, 1-3 160/3, 2-3 140/3 MW (from -> to)."""
    _, _, flows, _ = three_bus
    np.testing.assert_allclose(flows, [20 / 3, 160 / 3, 140 / 3], atol=1e-9)


def test_user_flows_sum_to_line_flows_per_side(three_bus):
    _, users, flows, uf = three_bus
    gen = (users.side == "gen").to_numpy()
    np.testing.assert_allclose(uf[:, gen].sum(axis=1), flows, atol=1e-9)
    np.testing.assert_allclose(uf[:, ~gen].sum(axis=1), flows, atol=1e-9)


def test_ggdf_independent_of_reference_bus(three_bus):
    A, users, flows, _ = three_bus
    A2 = A - A[:, [2]]  # PTDF with bus 3 as reference
    g = users.side == "gen"
    D1 = distribution_factors(A, flows, users.ppc_bus[g].to_numpy(), users.p_mw[g].to_numpy(), 1.0)
    D2 = distribution_factors(A2, flows, users.ppc_bus[g].to_numpy(), users.p_mw[g].to_numpy(), 1.0)
    np.testing.assert_allclose(D1, D2, atol=1e-12)


def test_allocations_sum_to_tc_and_zero_share_loads_pay_all(three_bus):
    _, users, _, uf = three_bus
    tc = 0.34
    alloc = al.allocate(users, uf, np.array([40.0, 60.0, 20.0]), tc, SHARES)
    totals = alloc.groupby(["method", "gen_share_pct"]).charge.sum()
    np.testing.assert_allclose(totals.to_numpy(), tc, rtol=1e-12)
    gen_side = alloc.groupby(["method", "side", "gen_share_pct"]).charge.sum()
    for m in ("postage", "mwmile"):
        assert gen_side[(m, "gen", 0.0)] == 0.0
        assert gen_side[(m, "load", 0.0)] == pytest.approx(tc)
        assert gen_side[(m, "gen", 30.0)] == pytest.approx(0.3 * tc)


def test_postage_stamp_proportional_to_mw():
    p = np.array([80.0, 240, 40, 160, 240])
    c = al.postage_stamp(p, 0.34)
    np.testing.assert_allclose(c / p, c[0] / p[0])
    assert c.sum() == pytest.approx(0.34)


def test_mw_mile_hand_computed():
    # two users, two lines of length 10 and 30: use = 10*|f| + 30*|f|
    uf = np.array([[5.0, -5.0], [0.0, 10.0]])
    c = al.mw_mile(uf, np.array([10.0, 30.0]), 1.0)
    np.testing.assert_allclose(c, [50 / 400, 350 / 400])


def test_counterflow_charges_and_sharing():
    uf = np.array([[30.0, -10.0], [5.0, 5.0]])
    flows = uf.sum(axis=1)
    cost, cap = np.array([100.0, 50.0]), np.array([100.0, 50.0])
    absolute = al.absolute_charges(uf, cost, cap)
    zero = al.zero_counterflow_charges(uf, flows, cost, cap)
    np.testing.assert_allclose(absolute, [35.0, 15.0])
    np.testing.assert_allclose(zero, [35.0, 5.0])  # user 2's 10 MW counter-flow on line 1 is free
    s = al.profit_sharing(absolute, zero, 4)
    assert s["owner_gain"] == pytest.approx(2.5) and s["users_gain"] == pytest.approx(7.5)
    np.testing.assert_allclose(s["shared"], [35.0, 7.5])
    with pytest.raises(ValueError, match="r=0.5"):
        al.profit_sharing(absolute, zero, 0.5)


def test_line_impacts_eq6_eq7():
    dp = al.line_impacts(np.array([100.0, -50.0, 20.0]), np.array([80.0, -70.0, -20.0]))
    np.testing.assert_allclose(dp, [-20.0, 20.0, 0.0])
    assert al.negative_impact(dp, 4) == (20.0, 5.0)


def test_bad_share_is_an_error(three_bus):
    _, users, _, uf = three_bus
    with pytest.raises(ValueError, match="150"):
        al.allocate(users, uf, np.ones(3), 1.0, [150])
