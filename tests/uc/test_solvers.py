"""MILP optimum of the 10-unit system, LR + IHDE schedules pass the checker, HDE/IHDE on test functions."""

import numpy as np
import pytest

from energyrepro.uc.de import DEParams, optimise
from energyrepro.uc.feasibility import check_schedule
from energyrepro.uc.lr import run
from energyrepro.uc.milp import solve_milp
from energyrepro.uc.system import make_system

QUOTED_OPTIMUM = 563937.7  # widely quoted 10-unit optimum with this start-up rule and initial status


@pytest.fixture(scope="module")
def milp10():
    return solve_milp(make_system(10), segments=20, time_limit=600, mip_gap=1e-5)  # wall limit: shared machine


def test_milp_matches_quoted_optimum(milp10):
    assert milp10.exact_cost == pytest.approx(QUOTED_OPTIMUM, rel=1e-4)
    assert milp10.quadratic_bound <= milp10.exact_cost <= milp10.objective + 1e-6
    assert check_schedule(make_system(10), milp10.u, milp10.p).feasible


def test_lr_ihde_schedule_passes_checker(milp10):
    sys = make_system(10)
    res = run(sys, DEParams(pop=20, iterations=25, sar=True), (10, 50), (0, 10), 1e4, 1e4,
              np.random.default_rng(3))
    rep = check_schedule(sys, res.u, res.p)
    assert rep.feasible, rep.violations[:5]
    assert rep.cost == pytest.approx(res.cost, rel=1e-9)
    assert res.cost >= milp10.quadratic_bound
    assert res.dual_value <= milp10.exact_cost


def _sphere(x):
    f = (x ** 2).sum(axis=1)
    return f, f


def _rastrigin(x):
    f = 10 * x.shape[1] + (x ** 2 - 10 * np.cos(2 * np.pi * x)).sum(axis=1)
    return f, f


@pytest.mark.parametrize("sar", [False, True], ids=["hde", "ihde"])
@pytest.mark.parametrize("fn,dim,iters", [(_sphere, 5, 400), (_rastrigin, 3, 1500)], ids=["sphere", "rastrigin"])
def test_de_finds_test_function_optimum(fn, dim, iters, sar):
    lo, hi = -5.12 * np.ones(dim), 5.12 * np.ones(dim)
    res = optimise(fn, lo, hi, DEParams(pop=30, iterations=iters, sar=sar), np.random.default_rng(7))
    assert res.fitness < 1e-5
    assert np.abs(res.x).max() < 1e-2
    assert len(res.history["best_fitness"]) == iters
    assert np.all(np.diff(res.history["best_fitness"]) <= 1e-12)  # elitist: never worse


def test_same_seed_same_result():
    sys = make_system(10)
    a = run(sys, DEParams(pop=10, iterations=5, sar=True), (10, 50), (0, 10), 1e4, 1e4, np.random.default_rng(5))
    b = run(sys, DEParams(pop=10, iterations=5, sar=True), (10, 50), (0, 10), 1e4, 1e4, np.random.default_rng(5))
    assert a.cost == b.cost and (a.u == b.u).all()
