"""The vectorised unit DP equals brute force on 1-unit, 6-hour instances; the dual value is a lower bound."""

import itertools
from dataclasses import replace

import numpy as np
import pytest

from energyrepro.uc.system import make_system
from energyrepro.uc.unit_dp import solve_units

MILP_10 = 563937.7  # widely quoted optimum of the 10-unit system (checked by test_milp)


def _one_unit(i, init, hours=6):
    s = make_system(10)
    pick = {f: getattr(s, f)[i:i + 1] for f in ("pmax", "pmin", "a", "b", "c", "up", "down", "hot", "cold",
                                                 "cold_h")}
    return replace(s, **pick, init=np.array([init]), load=s.load[:hours])


def _on_cost(sys, lam, mu):
    p = np.clip((lam - sys.b[0]) / (2 * sys.c[0]), sys.pmin[0], sys.pmax[0])
    return sys.a[0] + sys.b[0] * p + sys.c[0] * p ** 2 - lam * p - mu * sys.pmax[0]


def _path_cost(sys, path, g):
    """(feasible, Lagrangian cost) of one on/off path: min up/down from the initial status, hot/cold starts."""
    run, cost, ok = int(sys.init[0]), 0.0, True
    for t, on in enumerate(path):
        if on:
            if run < 0:
                ok &= -run >= sys.down[0]
                cost += sys.hot[0] if -run <= sys.down[0] + sys.cold_h[0] else sys.cold[0]
                run = 0
            run += 1
            cost += g[t]
        else:
            if run > 0:
                ok &= run >= sys.up[0]
                run = 0
            run -= 1
    return ok, cost


def _brute_force(sys, g):
    costs = [_path_cost(sys, path, g) for path in itertools.product((0, 1), repeat=sys.t)]
    return min(c for ok, c in costs if ok)


@pytest.mark.parametrize("unit,init", [(2, -5), (2, 2), (5, -1), (5, 3), (7, -1), (0, 8), (4, -9)])
def test_unit_dp_equals_brute_force(unit, init):
    sys = _one_unit(unit, init)
    rng = np.random.default_rng(unit * 31 + init + 100)
    lam = rng.uniform(15, 45, (8, sys.t))
    mu = rng.uniform(0, 6, (8, sys.t))
    res = solve_units(sys, lam, mu)
    for b in range(8):
        g = _on_cost(sys, lam[b], mu[b])
        bf = _brute_force(sys, g)
        ok, cost = _path_cost(sys, res.u[b, 0], g)
        assert ok and cost == pytest.approx(bf, abs=1e-6)
        q_bf = bf + lam[b] @ sys.load + mu[b] @ sys.requirement
        assert res.dual_value[b] == pytest.approx(q_bf, abs=1e-6)


def test_dual_value_is_a_lower_bound():
    sys = make_system(10)
    rng = np.random.default_rng(1)
    res = solve_units(sys, rng.uniform(10, 50, (64, 24)), rng.uniform(0, 10, (64, 24)))
    assert (res.dual_value <= MILP_10).all()
    assert res.u.shape == (64, 10, 24)


def test_copies_of_a_unit_get_the_same_dual_schedule():
    sys = make_system(30)
    rng = np.random.default_rng(2)
    u = solve_units(sys, rng.uniform(15, 40, (3, 24)), rng.uniform(0, 5, (3, 24))).u
    assert (u[:, :10] == u[:, 10:20]).all() and (u[:, :10] == u[:, 20:]).all()
