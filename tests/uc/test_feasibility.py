"""Data, scaling and the independent feasibility checker on hand-made schedules."""

from dataclasses import replace

import numpy as np
import pytest

from energyrepro.uc.feasibility import check_schedule
from energyrepro.uc.repair import economic_dispatch
from energyrepro.uc.system import load_base, make_system, scale


def test_kazarlis_data_and_scaling():
    base = load_base()
    assert base.n == 10 and base.t == 24
    assert base.pmax.sum() == 1662 and base.load.max() == 1500
    big = scale(base, 40)
    assert big.n == 40 and np.allclose(big.load, 4 * base.load) and np.allclose(big.pmax[10:20], base.pmax)
    with pytest.raises(ValueError, match="multiple"):
        scale(base, 15)


def test_bad_unit_file_names_file_and_column(tmp_path):
    bad = tmp_path / "units.csv"
    bad.write_text("unit,pmax\n1,10\n")
    with pytest.raises(ValueError, match="units.csv.*missing columns"):
        load_base(units_csv=bad)


def _all_on(sys):
    u = np.ones((sys.n, sys.t), dtype=bool)
    return u, economic_dispatch(sys, u[None])[0]


def test_all_on_schedule_is_feasible_with_hand_computed_startups():
    sys = make_system(10)
    u, p = _all_on(sys)
    rep = check_schedule(sys, u, p)
    assert rep.feasible, rep.violations
    # units 3-10 start in hour 1 after 5,5,6,3,3,1,1,1 h off: all <= down + cold_h -> hot starts
    assert rep.startup == pytest.approx(550 + 560 + 900 + 170 + 260 + 30 + 30 + 30)


def test_cold_start_after_long_outage():
    sys = make_system(10)
    init = sys.init.copy()
    init[2] = -10  # unit 3 off 10 h > down 5 + cold_h 4
    sys = replace(sys, init=init)
    u, p = _all_on(sys)
    rep = check_schedule(sys, u, p)
    assert rep.feasible
    assert rep.startup == pytest.approx(1100 + 560 + 900 + 170 + 260 + 30 + 30 + 30)


def _redispatch(sys, u):
    return economic_dispatch(sys, u[None])[0]


@pytest.mark.parametrize("kind", ["balance", "reserve", "limits", "min_up", "min_down"])
def test_checker_catches_each_violation(kind):
    sys = make_system(10)
    if kind in ("min_up", "min_down"):
        sys = replace(sys, reserve_frac=0.0)  # isolate the time constraints from the reserve
    u, p = _all_on(sys)
    if kind == "balance":
        p[0, 0] += 5.0
    elif kind == "reserve":
        u[7, 11] = False  # unit 8 off in the peak hour: 1607 MW < 1650 MW; its 1 h min up/down still hold
        p = _redispatch(sys, u)
    elif kind == "limits":
        shift = sys.pmax[0] + 1 - p[0, 0]
        p[0, 0] += shift
        p[1, 0] -= shift
    elif kind == "min_up":
        u[5, 2:] = False  # unit 6 (min up 3) on only in hours 1-2
        p = _redispatch(sys, u)
    elif kind == "min_down":
        u[5, 5] = False  # unit 6 (min down 3) off for a single hour
        p = _redispatch(sys, u)
    rep = check_schedule(sys, u, p)
    assert rep.kinds() == {kind}, rep.violations


def test_economic_dispatch_balances_and_equalises_incremental_cost():
    sys = make_system(10)
    rng = np.random.default_rng(0)
    u = rng.random((4, sys.n, sys.t)) < 0.8
    u[:, :2] = True
    p = economic_dispatch(sys, u)
    gen = p.sum(axis=1)
    ok = (u * sys.pmax[:, None]).sum(1) >= sys.load
    ok &= (u * sys.pmin[:, None]).sum(1) <= sys.load
    assert np.allclose(gen[ok], np.broadcast_to(sys.load, gen.shape)[ok], atol=1e-6)
    mc = sys.b[:, None] + 2 * sys.c[:, None] * p
    free = u & (p > sys.pmin[:, None] + 1e-6) & (p < sys.pmax[:, None] - 1e-6)
    for b in range(4):
        for t in range(sys.t):
            if ok[b, t] and free[b, :, t].sum() > 1:
                assert np.ptp(mc[b, free[b, :, t], t]) < 1e-6
