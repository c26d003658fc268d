"""Particle swarm optimisation as the paper sets it: 50 particles, c1 = 1.2, c2 = 0.12, inertia
w = 0.9 (constant: the paper gives one value). Velocities are clamped to ``vmax_frac`` of the range
and positions to the bounds (a particle that hits a bound stops there in that coordinate)."""

from __future__ import annotations

from typing import Callable

import numpy as np

from energyrepro.pricing.result import OptResult


def pso_minimise(f: Callable[[np.ndarray], np.ndarray], lower, upper, rng: np.random.Generator,
                 n_particles: int = 50, iterations: int = 200, w: float = 0.9, c1: float = 1.2,
                 c2: float = 0.12, vmax_frac: float = 0.2,
                 callback: Callable[[int, float], None] | None = None) -> OptResult:
    """Minimise ``f`` (vectorised: rows of X -> values) within the box [lower, upper] (global-best PSO)."""
    lower, upper = np.asarray(lower, float), np.asarray(upper, float)
    if n_particles < 1 or iterations < 1:
        raise ValueError("PSO needs n_particles >= 1 and iterations >= 1")
    span = upper - lower
    vmax = vmax_frac * span
    X = lower + rng.random((n_particles, lower.size)) * span
    V = (rng.random(X.shape) * 2 - 1) * vmax
    fx = f(X)
    pbest, fpbest = X.copy(), fx.copy()
    g = int(np.argmin(fpbest))
    history = [fpbest[g]]
    for it in range(iterations):
        r1, r2 = rng.random(X.shape), rng.random(X.shape)
        V = np.clip(w * V + c1 * r1 * (pbest - X) + c2 * r2 * (pbest[g] - X), -vmax, vmax)
        X = X + V
        hit = (X < lower) | (X > upper)
        X, V = np.clip(X, lower, upper), np.where(hit, 0.0, V)
        fx = f(X)
        better = fx < fpbest
        pbest[better], fpbest[better] = X[better], fx[better]
        g = int(np.argmin(fpbest))
        history.append(fpbest[g])
        if callback:
            callback(it + 1, history[-1])
    return OptResult(pbest[g].copy(), float(fpbest[g]), np.asarray(history), n_particles * (iterations + 1))
