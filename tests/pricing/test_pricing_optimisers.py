"""Our GA and PSO reach the known optimum of sphere and Rastrigin (0 at the origin); same seed, same result."""

import numpy as np
import pytest

from energyrepro.pricing.ga import ga_minimise
from energyrepro.pricing.pso import pso_minimise


def sphere(X):
    return (X**2).sum(axis=1)


def rastrigin(X):
    return 10 * X.shape[1] + (X**2 - 10 * np.cos(2 * np.pi * X)).sum(axis=1)


BOX = (np.full(2, -5.12), np.full(2, 5.12))
STANDARD_PSO = {"w": 0.7298, "c1": 1.49618, "c2": 1.49618}  # Clerc-Kennedy constriction values


@pytest.mark.parametrize("f", [sphere, rastrigin])
def test_ga_reaches_optimum(f):
    res = ga_minimise(f, *BOX, np.random.default_rng(1), pop_size=50, generations=200)
    assert res.fun < 1e-3
    np.testing.assert_allclose(res.x, 0.0, atol=0.01)
    assert np.all(np.diff(res.history) <= 0) and res.history.size == 201


@pytest.mark.parametrize("f", [sphere, rastrigin])
def test_pso_reaches_optimum(f):
    res = pso_minimise(f, *BOX, np.random.default_rng(1), n_particles=50, iterations=200, **STANDARD_PSO)
    assert res.fun < 1e-6
    np.testing.assert_allclose(res.x, 0.0, atol=1e-3)


def test_pso_paper_settings_reach_sphere_optimum():
    res = pso_minimise(sphere, np.full(5, -5.12), np.full(5, 5.12), np.random.default_rng(2))
    assert res.fun < 1e-6


def test_same_seed_same_result():
    a = ga_minimise(rastrigin, *BOX, np.random.default_rng(7), generations=20)
    b = ga_minimise(rastrigin, *BOX, np.random.default_rng(7), generations=20)
    np.testing.assert_array_equal(a.history, b.history)
    c = pso_minimise(rastrigin, *BOX, np.random.default_rng(7), iterations=20)
    d = pso_minimise(rastrigin, *BOX, np.random.default_rng(7), iterations=20)
    np.testing.assert_array_equal(c.x, d.x)


def test_bounds_respected():
    lower, upper = np.array([1.0, 2.0]), np.array([3.0, 4.0])
    for res in (ga_minimise(sphere, lower, upper, np.random.default_rng(0), generations=30),
                pso_minimise(sphere, lower, upper, np.random.default_rng(0), iterations=30)):
        assert np.all(res.x >= lower) and np.all(res.x <= upper)
        np.testing.assert_allclose(res.x, lower, atol=1e-3)  # the constrained optimum is the lower corner
