"""The decoder never makes a schedule worse: proven optima (and other feasible schedules) are fixed points."""

import numpy as np
import pytest

from energyrepro.uc.feasibility import check_schedule
from energyrepro.uc.repair import evaluate, repair
from energyrepro.uc.system import make_system


def _fixed_point(sys, u):
    assert (repair(sys, u[None])[0][0] == u).all()
    ev = evaluate(sys, u[None], 1e4, 1e4)
    assert (ev.u[0] == u).all()
    assert ev.shortfall.max() == 0 and ev.imbalance.max() == 0
    assert ev.cost[0] == pytest.approx(check_schedule(sys, u).cost, abs=0.01)


@pytest.mark.parametrize("size", [10, 20])
def test_proven_optimum_is_a_fixed_point(size, proven):
    _fixed_point(make_system(size), proven(size).u)


@pytest.mark.slow
@pytest.mark.parametrize("size", [40, 60, 80, 100])
def test_proven_optimum_is_a_fixed_point_large(size, proven):
    _fixed_point(make_system(size), proven(size).u)


def test_feasible_schedule_is_never_made_worse():
    """All units on all day is feasible and dear: plain repair keeps it, the decoder keeps it or finds cheaper."""
    sys = make_system(20)
    u = np.ones((sys.n, sys.t), dtype=bool)
    assert (repair(sys, u[None])[0][0] == u).all()
    ev = evaluate(sys, u[None], 1e4, 1e4)
    assert check_schedule(sys, ev.u[0]).feasible
    assert ev.cost[0] <= check_schedule(sys, u).cost + 1e-6


def test_repair_keeps_min_up_down_and_reports_what_remains_short():
    sys = make_system(20)
    rng = np.random.default_rng(4)
    u_dual = rng.random((8, sys.n, sys.t)) < 0.5
    ev = evaluate(sys, u_dual, 1e4, 1e4)
    for b in range(8):
        rep = check_schedule(sys, ev.u[b], ev.p[b])
        assert rep.kinds() <= {"reserve"}, rep.violations[:3]   # min up/down always kept
        short_hours = {t for kind, _, t, _ in rep.violations}
        assert short_hours == set(np.flatnonzero(ev.shortfall[b] > 1e-9))
        assert ev.cost[b] == pytest.approx(rep.cost, abs=0.01)


def _fitness(sys, u, short):
    rep = check_schedule(sys, u)
    assert "dispatch" not in rep.kinds()   # no imbalance term to add
    return rep.cost + 1e4 * (short ** 2).sum()


def test_trimming_is_kept_only_where_strictly_cheaper():
    sys = make_system(20)
    rng = np.random.default_rng(5)
    u_dual = rng.random((16, sys.n, sys.t)) < 0.5
    ev = evaluate(sys, u_dual, 1e4, 1e4)
    (plain, _, p_short), (trimmed, _, t_short) = repair(sys, u_dual), repair(sys, u_dual, trim=True)
    for b in range(16):
        f_plain, f_trim = _fitness(sys, plain[b], p_short[b]), _fitness(sys, trimmed[b], t_short[b])
        assert ev.fitness[b] == pytest.approx(min(f_plain, f_trim), abs=0.01)
        if abs(f_plain - f_trim) > 0.01:
            assert (ev.u[b] == (trimmed[b] if f_trim < f_plain else plain[b])).all()
