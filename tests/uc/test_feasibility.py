"""The independent checker: its own economic dispatch and prices, checked on hand-made schedules with known costs."""

from dataclasses import replace

import numpy as np
import pytest

from energyrepro.uc.feasibility import check_schedule, dispatch_hour
from energyrepro.uc.repair import economic_dispatch
from energyrepro.uc.system import System, make_system


def _two_units(load: float, pmax_a: float = 100.0) -> System:
    """A: 100 + 10 P + 0.01 P^2, B: 50 + 12 P + 0.02 P^2, both 10 MW minimum, on since long, one hour."""
    one = lambda *v: np.array(v, dtype=float)  # noqa: E731
    return System(pmax=one(pmax_a, 100), pmin=one(10, 10), a=one(100, 50), b=one(10, 12), c=one(0.01, 0.02),
                  up=np.array([1, 1]), down=np.array([1, 1]), hot=one(0, 0), cold=one(0, 0),
                  cold_h=np.array([0, 0]), init=np.array([5, 5]), load=one(load), reserve_frac=0.0)


@pytest.mark.parametrize("load,pmax_a,p_a,p_b,cost", [
    # both free: lambda = 12.6 solves 50 (l - 10) + 25 (l - 12) = 145
    (145.0, 200.0, 130.0, 15.0, 100 + 1300 + 169 + 50 + 180 + 4.5),
    # A would take 133.3 MW: it sits at 100 MW and B covers 50 MW at lambda 14 (> A's 12 at full output)
    (150.0, 100.0, 100.0, 50.0, 100 + 1000 + 100 + 50 + 600 + 50),
    # B would go below its minimum: B at 10 MW, A at 80 MW (A's 11.6 < B's 12.4 at minimum)
    (90.0, 100.0, 80.0, 10.0, 100 + 800 + 64 + 50 + 120 + 2),
])
def test_checker_dispatch_and_cost_by_hand(load, pmax_a, p_a, p_b, cost):
    sys = _two_units(load, pmax_a)
    rep = check_schedule(sys, np.ones((2, 1), dtype=bool))
    assert rep.feasible, rep.violations
    assert rep.p[:, 0] == pytest.approx([p_a, p_b], abs=1e-9)
    assert rep.cost == pytest.approx(cost, abs=1e-6)


def test_dispatch_is_cheapest_among_feasible_splits():
    sys = make_system(10)
    on = np.ones(10, dtype=bool)
    p = dispatch_hour(sys.pmin, sys.pmax, sys.b, sys.c, 1200.0)
    cost = (sys.a + sys.b * p + sys.c * p * p).sum()
    rng = np.random.default_rng(0)
    for _ in range(200):  # shift a little output between two units that can move
        i, j = rng.choice(10, 2, replace=False)
        d = rng.uniform(-5, 5)
        q = p.copy()
        q[i] += d
        q[j] -= d
        if (q >= sys.pmin).all() and (q <= sys.pmax).all():
            assert (sys.a + sys.b * q + sys.c * q * q).sum() >= cost - 1e-9
    assert p.sum() == pytest.approx(1200.0) and on.all()


def _all_on(sys):
    return np.ones((sys.n, sys.t), dtype=bool)


def test_all_on_schedule_is_feasible_with_hand_computed_startups():
    sys = make_system(10)
    rep = check_schedule(sys, _all_on(sys))
    assert rep.feasible, rep.violations
    # units 3-10 start in hour 1 after 5,5,6,3,3,1,1,1 h off: all <= down + cold_h -> hot starts
    assert rep.startup == pytest.approx(550 + 560 + 900 + 170 + 260 + 30 + 30 + 30)


def test_cold_start_after_long_outage():
    sys = make_system(10)
    init = sys.init.copy()
    init[2] = -10  # unit 3 off 10 h > down 5 + cold_h 4
    rep = check_schedule(replace(sys, init=init), _all_on(sys))
    assert rep.feasible
    assert rep.startup == pytest.approx(1100 + 560 + 900 + 170 + 260 + 30 + 30 + 30)


def test_checker_and_repair_dispatch_agree_to_the_cent():
    """Two independent economic dispatches (bisection + closed form vs breakpoints) price schedules alike."""
    sys = make_system(20)
    rng = np.random.default_rng(0)
    u = rng.random((6, sys.n, sys.t)) < 0.8
    u[:, :4] = True
    p = economic_dispatch(sys, u)
    for b in range(6):
        rep = check_schedule(sys, u[b], p[b])
        if "dispatch" in rep.kinds() or "balance" in rep.kinds():
            continue
        assert rep.given_fuel == pytest.approx(rep.fuel, abs=0.01)


@pytest.mark.parametrize("kind", ["balance", "reserve", "limits", "min_up", "min_down", "dispatch"])
def test_checker_catches_each_violation(kind):
    sys = make_system(10)
    if kind in ("min_up", "min_down", "dispatch"):
        sys = replace(sys, reserve_frac=0.0)  # isolate the other constraints from the reserve
    u = _all_on(sys)
    p = check_schedule(sys, u).p
    if kind == "balance":
        p[0, 0] += 5.0
    elif kind == "reserve":
        u[7, 11] = False  # unit 8 off in the peak hour: 1607 MW < 1650 MW; its 1 h min up/down still hold
        p = check_schedule(sys, u).p
    elif kind == "limits":
        shift = sys.pmax[0] + 1 - p[0, 0]
        p[0, 0] += shift
        p[1, 0] -= shift
    elif kind == "min_up":
        u[5, 2:] = False  # unit 6 (min up 3) on only in hours 1-2
        p = check_schedule(sys, u).p
    elif kind == "min_down":
        u[5, 5] = False  # unit 6 (min down 3) off for a single hour
        p = check_schedule(sys, u).p
    elif kind == "dispatch":
        sys = replace(sys, load=np.r_[400.0, sys.load[1:]])  # all on in hour 1: 440 MW of minimum output > 400 MW
        p = None
    rep = check_schedule(sys, u, p)
    assert rep.kinds() == {kind}, rep.violations
