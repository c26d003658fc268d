"""Hybrid differential evolution (HDE, Chiou & Wang) and its improved variant IHDE (paper §4-5).

HDE: uniform initialisation (eq. 16); mutation Y = X_base + F ((X_r1 - X_r2) + (X_r3 - X_r4)) (eq. 17)
with each individual's F drawn from a normal distribution and redrawn every few generations; binomial
crossover (eq. 18, standard orientation: a gene comes from the mutant with probability CR); greedy
selection (eqs. 19-20); migration around the best individual (eq. 21) when the population diversity
rho of eqs. 22-23 drops below eps1.
IHDE adds the self-adaptive recombination (SAR) operator of §5.2 A-E every generation: five children
are recombined from the best and random members, each gene block carries its own self-adapted mutation
rate (log-normal update), genes mutate with that probability, the best child replaces the oldest
member (never the current best).  The objective works on a whole population at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

Objective = Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]
"""X (B, D) -> (fitness (B,), cost (B,)); cost is the objective without penalties."""


@dataclass(frozen=True)
class DEParams:
    pop: int = 50
    iterations: int = 250
    f: float = 0.5
    f_sd: float = 0.1
    f_refresh: int = 10
    cr: float = 0.8
    eps1: float = 0.1
    eps2: float = 0.05
    base: str = "current"   # eq. 17 as printed (X_i); "best" = Chiou & Wang's X_b
    sar: bool = False       # True = IHDE
    sar_children: int = 5
    sar_blocks: int = 2
    sar_rate0: float = 0.1
    sar_tau: float = 0.3


@dataclass
class DEResult:
    x: np.ndarray
    fitness: float
    cost: float
    history: dict[str, list[float]] = field(default_factory=dict)
    evaluations: int = 0
    migrations: int = 0


def diversity(pop: np.ndarray, best: np.ndarray, eps2: float) -> float:
    """Eqs. 22-23: share of the other members' genes farther than eps2 from the best individual's gene,
    relative to that gene (|x_ij - x_bj| / |x_bj|, as printed); a best gene of exactly 0 counts absolute
    distance. The best individual itself is at distance 0, hence the (Np - 1) of eq. 22."""
    denom = np.where(np.abs(best) > 1e-12, np.abs(best), 1.0)
    far = np.abs((pop - best) / denom) > eps2
    return float(far.sum() / (pop.shape[1] * (pop.shape[0] - 1)))


def migrate(best: np.ndarray, lo: np.ndarray, hi: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """Eq. 21: a fresh population spread around the best individual, inside the bounds."""
    r = rng.random((n, best.size))
    r1, r2 = rng.random((n, best.size)), rng.random((n, best.size))
    toward_lo = r < (best - lo) / (hi - lo)
    return np.where(toward_lo, best + r1 * (lo - best), best + r2 * (hi - best))


def _four_others(n: int, rng: np.random.Generator) -> np.ndarray:
    """(n, 4) indices, distinct per row and different from the row index."""
    keys = rng.random((n, n))
    keys[np.arange(n), np.arange(n)] = np.inf
    return np.argsort(keys, axis=1)[:, :4]


def optimise(objective: Objective, lo: np.ndarray, hi: np.ndarray, prm: DEParams,
             rng: np.random.Generator, on_generation: Callable[[int, dict], None] | None = None) -> DEResult:
    """Minimise ``objective`` over the box [lo, hi] with HDE (prm.sar False) or IHDE (True)."""
    lo, hi = np.asarray(lo, float), np.asarray(hi, float)
    D, NP = lo.size, prm.pop
    if NP < 5:
        raise ValueError("uc DE population must be at least 5 (mutation needs four other members)")
    span = hi - lo
    X = lo + rng.random((NP, D)) * span                                   # eq. 16
    fit, cost = objective(X)
    evals = NP
    age = np.zeros(NP, dtype=int)
    blocks = np.array_split(np.arange(D), max(1, min(prm.sar_blocks, D)))
    rates = np.full((NP, len(blocks)), prm.sar_rate0)
    F = np.clip(rng.normal(prm.f, prm.f_sd, NP), 0.05, 1.2)
    hist = {"best_fitness": [], "best_cost": [], "mean_fitness": [], "diversity": []}
    migrations = 0
    for g in range(prm.iterations):
        if g and prm.f_refresh and g % prm.f_refresh == 0:
            F = np.clip(rng.normal(prm.f, prm.f_sd, NP), 0.05, 1.2)
        b = int(np.argmin(fit))
        r = _four_others(NP, rng)
        base = X[b] if prm.base == "best" else X
        Y = base + F[:, None] * ((X[r[:, 0]] - X[r[:, 1]]) + (X[r[:, 2]] - X[r[:, 3]]))   # eq. 17
        Y = np.clip(Y, lo, hi)
        mask = rng.random((NP, D)) < prm.cr                                # eq. 18
        mask[np.arange(NP), rng.integers(0, D, NP)] = True
        trial = np.where(mask, Y, X)
        tfit, tcost = objective(trial)
        evals += NP
        better = tfit <= fit                                               # eq. 19
        X[better], fit[better], cost[better] = trial[better], tfit[better], tcost[better]
        age = np.where(better, 0, age + 1)
        if prm.sar:
            evals += _sar_step(objective, X, fit, cost, age, rates, blocks, lo, hi, prm, rng)
        b = int(np.argmin(fit))                                             # eq. 20
        rho = diversity(X, X[b], prm.eps2)
        if rho < prm.eps1:                                                  # eqs. 21-23
            keep = X[b].copy()
            X = migrate(keep, lo, hi, NP, rng)
            X[b] = keep
            nf, nc = objective(X)
            nf[b], nc[b] = fit[b], cost[b]
            fit, cost = nf, nc
            evals += NP - 1
            age[:] = 0
            rates[:] = prm.sar_rate0
            migrations += 1
        b = int(np.argmin(fit))
        info = {"best_fitness": float(fit[b]), "best_cost": float(cost[b]),
                "mean_fitness": float(np.mean(fit)), "diversity": rho}
        for k, v in info.items():
            hist[k].append(v)
        if on_generation:
            on_generation(g, info)
    b = int(np.argmin(fit))
    return DEResult(x=X[b].copy(), fitness=float(fit[b]), cost=float(cost[b]), history=hist,
                    evaluations=evals, migrations=migrations)


def _sar_step(objective, X, fit, cost, age, rates, blocks, lo, hi, prm: DEParams, rng) -> int:
    """IHDE's self-adaptive recombination (§5.2 A-E); updates the population in place; returns evaluations."""
    NP, D = X.shape
    k = prm.sar_children
    b = int(np.argmin(fit))
    mates = rng.integers(0, NP, k)
    pick = rng.random((k, D)) < 0.5                                          # A: discrete recombination
    kids = np.where(pick, X[b], X[mates])
    kid_rates = rates[mates] * np.exp(prm.sar_tau * rng.normal(size=(k, len(blocks))))  # C: new block rates
    kid_rates = np.clip(kid_rates, 1e-3, 0.5)
    for j, blk in enumerate(blocks):                                          # B, D: mutate per block
        hit = rng.random((k, blk.size)) < kid_rates[:, j:j + 1]
        step = rng.normal(size=(k, blk.size)) * kid_rates[:, j:j + 1] * (hi[blk] - lo[blk])
        kids[:, blk] = np.where(hit, kids[:, blk] + step, kids[:, blk])
    kids = np.clip(kids, lo, hi)
    kfit, kcost = objective(kids)                                             # E: evaluate
    c = int(np.argmin(kfit))
    order = np.argsort(-age, kind="stable")
    oldest = int(order[0] if order[0] != b else order[1])
    X[oldest], fit[oldest], cost[oldest] = kids[c], kfit[c], kcost[c]
    rates[oldest] = kid_rates[c]
    age[oldest] = 0
    return k
