"""LR + HDE/IHDE: individuals are the multipliers (lambda_1..T, mu_1..T); fitness is eq. 24 of the
schedule that the unit DP and the repair make from them."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, replace
from typing import Any, Callable, Mapping

import numpy as np

from energyrepro.uc.de import DEParams, DEResult, optimise
from energyrepro.uc.feasibility import Report, check_schedule
from energyrepro.uc.repair import Evaluation, evaluate
from energyrepro.uc.system import System
from energyrepro.uc.unit_dp import solve_units

METHODS = ("hde", "hde_matched", "ihde")
LABEL_OF = {"hde": "HDE", "hde_matched": "HDE (IHDE's budget)", "ihde": "IHDE"}


def de_params(cfg: Mapping[str, Any], method: str) -> DEParams:
    """DE settings of one method: the paper's HDE, HDE with IHDE's evaluation budget, or IHDE (HDE + SAR).

    IHDE spends pop + sar_children evaluations per generation, HDE pop: the budget-matched HDE runs
    ceil(iterations * (pop + sar_children) / pop) generations, so both spend the same evaluations (migrations
    aside), and the SAR operator's effect is measured at equal cost.
    """
    if method not in METHODS:
        raise ValueError(f"uc method {method!r} is not one of {METHODS}")
    iterations = cfg["iterations"]
    if method == "hde_matched":
        iterations = math.ceil(iterations * (cfg["population"] + cfg["sar_children"]) / cfg["population"])
    return DEParams(pop=cfg["population"], iterations=iterations, f=cfg["f"], f_sd=cfg["f_sd"],
                    f_refresh=cfg["f_refresh"], cr=cfg["cr"], eps1=cfg["eps1"], eps2=cfg["eps2"],
                    base=cfg["mutation_base"], sar=method == "ihde", sar_children=cfg["sar_children"],
                    sar_blocks=cfg["sar_blocks"], sar_rate0=cfg["sar_rate0"], sar_tau=cfg["sar_tau"])


@dataclass
class LRResult:
    de: DEResult
    u: np.ndarray       # (N, T) best schedule
    p: np.ndarray       # (N, T) its dispatch
    cost: float         # fuel + start-up of the best schedule
    dual_value: float   # q(lambda, mu) of the best multipliers
    report: Report      # independent checker on the best schedule


def decode(sys: System, X: np.ndarray, k_reserve: float, k_balance: float) -> tuple[Evaluation, np.ndarray]:
    """Multipliers (B, 2T) -> repaired, dispatched schedules and the dual values."""
    T = sys.t
    dual = solve_units(sys, X[:, :T], X[:, T:])
    return evaluate(sys, dual.u, k_reserve, k_balance), dual.dual_value


def bounds(sys: System, lam: tuple[float, float], mu: tuple[float, float]) -> tuple[np.ndarray, np.ndarray]:
    T = sys.t
    return (np.r_[np.full(T, lam[0]), np.full(T, mu[0])], np.r_[np.full(T, lam[1]), np.full(T, mu[1])])


def run(sys: System, prm: DEParams, lam: tuple[float, float], mu: tuple[float, float], k_reserve: float,
        k_balance: float, rng: np.random.Generator,
        on_generation: Callable[[int, dict], None] | None = None) -> LRResult:
    """Tune the multipliers with HDE (prm.sar False) or IHDE (True); validate the best schedule."""

    def objective(X):
        ev, _ = decode(sys, X, k_reserve, k_balance)
        return ev.fitness, ev.cost

    lo, hi = bounds(sys, lam, mu)
    res = optimise(objective, lo, hi, prm, rng, on_generation)
    ev, q = decode(sys, res.x[None], k_reserve, k_balance)
    u, p = ev.u[0], ev.p[0]
    return LRResult(de=res, u=u, p=p, cost=float(ev.cost[0]), dual_value=float(q[0]),
                    report=check_schedule(sys, u, p))


@dataclass
class SeedRun:
    """One (method, repetition) of a size: the LR result and the CPU seconds it took."""

    method: str
    rep: int
    seed: int
    result: LRResult
    cpu_s: float

    def record(self) -> dict:
        """The run's numbers for the results table; ``checker_cost`` is the independent checker's price."""
        r = self.result
        return {"method": self.method, "rep": self.rep, "seed": self.seed, "cost": r.cost,
                "checker_cost": r.report.cost, "feasible": r.report.feasible,
                "violations": len(r.report.violations), "fitness": r.de.fitness, "dual_value": r.dual_value,
                "evaluations": r.de.evaluations, "generations": len(r.de.history["best_cost"]),
                "migrations": r.de.migrations, "min_diversity": float(min(r.de.history["diversity"])),
                "cpu_s": self.cpu_s}


def run_size(sys: System, cfg: Mapping[str, Any], methods: list[str], seeds: list[int],
             on_generation: Callable[[str, int, int, dict], None] | None = None,
             eps1: float | None = None) -> list[SeedRun]:
    """Every method on every seed of one system size; repetition r of every method starts from the same
    random population (paired comparison). ``eps1`` overrides the migration tolerance (sensitivity runs)."""
    out = []
    for method in methods:
        prm = de_params(cfg, method)
        if eps1 is not None:
            prm = replace(prm, eps1=eps1)
        for rep, seed in enumerate(seeds):
            def step(g, info, method=method, rep=rep):
                if on_generation:
                    on_generation(method, rep, g, info)

            t0 = time.process_time()
            res = run(sys, prm, tuple(cfg["lambda_bounds"]), tuple(cfg["mu_bounds"]), cfg["penalty_reserve"],
                      cfg["penalty_balance"], np.random.default_rng(seed), step)
            out.append(SeedRun(method, rep, seed, res, time.process_time() - t0))
    return out
