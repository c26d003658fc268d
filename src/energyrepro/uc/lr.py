"""LR + HDE/IHDE: individuals are the multipliers (lambda_1..T, mu_1..T); fitness is eq. 24 of the
schedule that the unit DP and the repair make from them."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Mapping

import numpy as np

from energyrepro.uc.de import DEParams, DEResult, optimise
from energyrepro.uc.feasibility import Report, check_schedule
from energyrepro.uc.repair import Evaluation, evaluate
from energyrepro.uc.system import System
from energyrepro.uc.unit_dp import solve_units

METHODS = ("hde", "hde_matched", "ihde")


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
