"""Real-coded genetic algorithm (the paper's GA: population 50, 200 generations, selection,
crossover, mutation). Operators: binary tournament selection, simulated binary crossover (SBX,
Deb & Agrawal 1995), polynomial mutation (Deb 2001), elitism; children are clipped to the bounds."""

from __future__ import annotations

from typing import Callable

import numpy as np

from energyrepro.pricing.result import OptResult


def _sbx(p1, p2, eta, rng):
    u = rng.random(p1.shape)
    beta = np.where(u <= 0.5, (2 * u) ** (1 / (eta + 1)), (1 / (2 * (1 - u))) ** (1 / (eta + 1)))
    c1 = 0.5 * ((1 + beta) * p1 + (1 - beta) * p2)
    c2 = 0.5 * ((1 - beta) * p1 + (1 + beta) * p2)
    return c1, c2


def _poly_mutation(X, lower, upper, rate, eta, rng):
    u = rng.random(X.shape)
    delta = np.where(u < 0.5, (2 * u) ** (1 / (eta + 1)) - 1, 1 - (2 * (1 - u)) ** (1 / (eta + 1)))
    mask = rng.random(X.shape) < rate
    return np.where(mask, X + delta * (upper - lower), X)


def ga_minimise(f: Callable[[np.ndarray], np.ndarray], lower, upper, rng: np.random.Generator,
                pop_size: int = 50, generations: int = 200, crossover_rate: float = 0.9,
                eta_c: float = 15.0, mutation_rate: float | None = None, eta_m: float = 20.0,
                elite: int = 2, tournament: int = 2, callback: Callable[[int, float], None] | None = None
                ) -> OptResult:
    """Minimise ``f`` (vectorised: rows of X -> values) within the box [lower, upper]."""
    lower, upper = np.asarray(lower, float), np.asarray(upper, float)
    n = lower.size
    if pop_size < 2 or generations < 1 or not 0 <= elite < pop_size:
        raise ValueError("GA needs pop_size >= 2, generations >= 1 and 0 <= elite < pop_size")
    rate = 1.0 / n if mutation_rate is None else mutation_rate
    X = lower + rng.random((pop_size, n)) * (upper - lower)
    fx = f(X)
    nfev = pop_size
    history = [fx.min()]
    for gen in range(generations):
        order = np.argsort(fx)
        # binary tournament: the fitter of `tournament` random individuals
        idx = rng.integers(0, pop_size, (pop_size, tournament))
        winners = idx[np.arange(pop_size), np.argmin(fx[idx], axis=1)]
        parents = X[winners]
        p1, p2 = parents[0::2], parents[1::2]
        c1, c2 = _sbx(p1, p2, eta_c, rng)
        cross = rng.random((len(p1), 1)) < crossover_rate
        kids = np.vstack([np.where(cross, c1, p1), np.where(cross, c2, p2)])[:pop_size]
        kids = np.clip(_poly_mutation(kids, lower, upper, rate, eta_m, rng), lower, upper)
        fk = f(kids)
        nfev += len(kids)
        # elitism: the best `elite` parents replace the worst children
        worst = np.argsort(fk)[len(fk) - elite:] if elite else np.array([], int)
        kids[worst], fk[worst] = X[order[:elite]], fx[order[:elite]]
        X, fx = kids, fk
        history.append(min(history[-1], fx.min()))
        if callback:
            callback(gen + 1, history[-1])
    best = int(np.argmin(fx))
    return OptResult(X[best].copy(), float(fx[best]), np.asarray(history), nfev)
