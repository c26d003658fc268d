"""The GA vs PSO experiment (paper section IV): every variant's problem, its reference optimum, and one run of
each method per derived seed. Returns frames; the caller writes and tracks them."""

from __future__ import annotations

import time
from typing import Callable

import numpy as np
import pandas as pd

from energyrepro.pricing import dispatch as D
from energyrepro.pricing.ga import ga_minimise
from energyrepro.pricing.pso import pso_minimise
from energyrepro.pricing.result import OptResult
from energyrepro.seeding import derive_seed

METHODS = ("ga", "pso")
SOLVERS: dict[str, Callable[..., OptResult]] = {"ga": ga_minimise, "pso": pso_minimise}


def method_seeds(seed: int, variant: str, method: str, n: int) -> list[int]:
    """Independent seeds per (variant, method), derived from the config's seed."""
    return [derive_seed(seed, "pricing", variant, method, i) for i in range(n)]


def reference(problem: D.DispatchProblem, dcfg: dict, variant: str, seed: int) -> dict:
    """The optimum each variant's runs are measured against, from a solver that is neither GA nor PSO.

    dc: pandapower's DC OPF, checked by scipy on our model; losses: scipy on the fitted loss model, re-run
    through pandapower's AC power flow, beside pandapower's AC OPF (voltage and reactive limits too) for
    context; valve_point: the best of three scipy differential-evolution runs (no exact method applies).
    """
    if variant == "dc":
        opf = D.opf_reference(D.load_case(dcfg["case"]))
        ref = D.scipy_reference(problem)
        return {"source": "pandapower DC OPF", "cost": opf["cost"], "dispatch": opf["dispatch"],
                "check_source": "scipy SLSQP", "check_cost": ref["cost"]}
    if variant == "losses":
        from energyrepro.pricing.losses import ac_check

        ref = D.scipy_reference(problem)
        ac = ac_check(D.load_case(dcfg["case"]), problem, ref["dispatch"][1:])
        return {"source": "scipy SLSQP on the fitted loss model", "cost": ref["cost"], "dispatch": ref["dispatch"],
                "check_source": "pandapower AC power flow at that dispatch", "check_cost": float(ac["ac_cost"][0]),
                "ac_opf_cost": D.ac_opf_reference(D.load_case(dcfg["case"]))["cost"],
                "loss_holdout_rms_mw": problem.loss.holdout_rms_mw, "loss_holdout_max_mw": problem.loss.holdout_max_mw}
    best = D.best_known(problem, derive_seed(seed, "pricing", variant, "reference"))
    return {"source": "best of 3 scipy differential-evolution runs", "cost": best["cost"],
            "dispatch": best["dispatch"], "check_source": "", "check_cost": float("nan")}


def run_method(problem: D.DispatchProblem, method: str, settings: dict, seeds: list[int],
               on_seed: Callable[[int, dict], None] | None = None) -> tuple[pd.DataFrame, np.ndarray, float]:
    """One run per seed: per-seed rows (cost, violation, dispatch), best-so-far curves (seeds x steps) and the
    mean wall time per run (kept apart from the rows so that result files compare exactly across runs)."""
    solver = SOLVERS[method]
    rows, curves, wall = [], [], 0.0
    for i, seed in enumerate(seeds):
        t0 = time.perf_counter()
        res = solver(problem.fitness, problem.lower, problem.upper, np.random.default_rng(seed), **settings)
        wall += time.perf_counter() - t0
        ev = problem.evaluate(res.x)
        row = {"method": method, "seed_index": i, "seed": seed, "fitness": res.fun, "cost": float(ev["cost"][0]),
               "violation_mw": float(ev["violation"][0]), "feasible": bool(ev["feasible"][0]), "nfev": res.nfev,
               **{f"p{j}": p for j, p in enumerate(problem.full(res.x)[0])}}
        rows.append(row)
        curves.append(res.history)
        if on_seed:
            on_seed(i, row)
    return pd.DataFrame(rows), np.asarray(curves), wall / max(len(seeds), 1)


def best_dispatch(runs: pd.DataFrame) -> np.ndarray:
    """The full dispatch (slack first) of the run with the lowest penalised cost."""
    best = runs.sort_values("fitness").iloc[0]
    return best[[c for c in runs.columns if c.startswith("p") and c[1:].isdigit()]].to_numpy(float)
