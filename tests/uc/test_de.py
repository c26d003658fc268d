"""HDE / IHDE on test functions, the diversity measure of eqs. 22-23 and migration (eq. 21)."""

import numpy as np
import pytest

from energyrepro.uc.de import DEParams, diversity, migrate, optimise


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
    res = optimise(fn, lo, hi, DEParams(pop=30, iterations=iters, sar=sar, eps1=0.0), np.random.default_rng(7))
    assert res.fitness < 1e-5
    assert np.abs(res.x).max() < 1e-2
    assert len(res.history["best_fitness"]) == iters
    assert np.all(np.diff(res.history["best_fitness"]) <= 1e-12)  # elitist: never worse


def test_diversity_of_collapsed_and_spread_populations():
    best = np.array([2.0, 4.0, 1.0])
    collapsed = best * (1 + 0.01 * np.random.default_rng(0).standard_normal((10, 3)))
    collapsed[0] = best
    assert diversity(collapsed, best, eps2=0.05) == 0.0
    spread = np.vstack([best, best * 2 + np.zeros((9, 3))])
    assert diversity(spread, best, eps2=0.05) == 1.0   # 9 others x 3 genes all far, over 3 (10 - 1)


def test_migration_keeps_bounds_and_centres_on_the_best():
    rng = np.random.default_rng(1)
    lo, hi = np.zeros(4), np.full(4, 10.0)
    best = np.array([1.0, 5.0, 9.0, 0.0])
    pop = migrate(best, lo, hi, 2000, rng)
    assert (pop >= lo).all() and (pop <= hi).all()
    # a gene near the lower bound mostly moves up, near the upper bound mostly down (eq. 21)
    assert (pop[:, 0] > best[0]).mean() > 0.8 and (pop[:, 2] < best[2]).mean() > 0.8
    assert diversity(pop, best, eps2=0.05) > 0.5


def test_migration_triggers_on_a_collapsed_population():
    """A shifted sphere (optimum at 3, far from 0 so the relative measure is meaningful) collapses quickly."""
    def shifted(x):
        f = ((x - 3.0) ** 2).sum(axis=1)
        return f, f

    lo, hi = np.ones(4), np.full(4, 5.0)
    res = optimise(shifted, lo, hi, DEParams(pop=20, iterations=200, eps1=0.1, eps2=0.05), np.random.default_rng(2))
    assert res.migrations >= 1
    rho = np.array(res.history["diversity"])
    assert (rho < 0.1).sum() == res.migrations      # each trigger is one migration
    assert res.fitness < 1e-3                       # migration keeps the best (elitist)
    never = optimise(shifted, lo, hi, DEParams(pop=20, iterations=200, eps1=0.0), np.random.default_rng(2))
    assert never.migrations == 0
