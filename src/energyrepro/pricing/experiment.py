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


def case_digest(case: str) -> str:
    """An identity of the pandapower test case the dispatch job optimises on (its data ship with pandapower)."""
    import hashlib

    import pandapower as pp

    return hashlib.sha256(pp.to_json(D.load_case(case)).encode()).hexdigest()[:16]


def method_seeds(seed: int, variant: str, method: str, n: int) -> list[int]:
    """Independent seeds per (variant, method), derived from the config's seed."""
    return [derive_seed(seed, "pricing", variant, method, i) for i in range(n)]


def reference(problem: D.DispatchProblem, variant: str, seed: int, net, ac_net) -> dict:
    """The optimum each variant's runs are measured against, from a solver that is neither GA nor PSO.

    dc: pandapower's DC OPF of ``net``, checked by scipy on our model; losses: scipy on the fitted loss model,
    re-run through pandapower's AC power flow on ``ac_net``, beside pandapower's AC OPF (voltage and reactive
    limits too) for context; valve_point: the best of three scipy differential-evolution runs (no exact method).
    """
    if variant == "dc":
        opf = D.opf_reference(net)
        ref = D.scipy_reference(problem)
        return {"source": "pandapower DC OPF", "cost": opf["cost"], "dispatch": opf["dispatch"],
                "check_source": "scipy SLSQP", "check_cost": ref["cost"]}
    if variant == "losses":
        from energyrepro.pricing.losses import ac_check

        ref = D.scipy_reference(problem)
        ac = ac_check(ac_net, problem, ref["dispatch"][1:])
        return {"source": "scipy SLSQP on the fitted loss model", "cost": ref["cost"], "dispatch": ref["dispatch"],
                "check_source": "pandapower AC power flow at that dispatch", "check_cost": float(ac["ac_cost"][0]),
                "ac_opf_cost": D.ac_opf_reference(ac_net)["cost"],
                "loss_holdout_rms_mw": problem.loss.holdout_rms_mw, "loss_holdout_max_mw": problem.loss.holdout_max_mw}
    best = D.best_known(problem, derive_seed(seed, "pricing", variant, "reference"))
    return {"source": "best of 3 scipy differential-evolution runs", "cost": best["cost"],
            "dispatch": best["dispatch"], "check_source": "", "check_cost": None}


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


def run_all(cfg: dict, seed: int, on_metrics: Callable[..., None] | None = None) -> dict:
    """The dispatch job: every variant (reference, GA and PSO over the seeds), pymoo's GA and PSO once on the DC
    variant, and the wheeling charges at each method's best DC dispatch and at the DC OPF.

    ``cfg`` holds ``dispatch`` and ``profit_sharing_r``; ``on_metrics(dict, step=None)`` receives what the run logs.
    """
    from energyrepro.pricing.losses import ac_check
    from energyrepro.pricing.pymoo_check import run_pymoo

    d = cfg["dispatch"]
    if "dc" not in d["variants"]:
        raise ValueError("pricing.dispatch.variants must include 'dc': the wheeling charges and the pymoo "
                         "cross-check use it")
    log = on_metrics or (lambda *a, **k: None)
    net, ac_net = D.load_case(d["case"]), D.load_case(d["case"])  # DC work on one, AC power flows on the other
    schedule = net.gen.p_mw.to_numpy().copy()  # the case file's own schedule: the base of eq. (6)
    base = D.problem_from_net(net, d["penalty_per_mw"], d["feasibility_tol_mw"])
    runs, curves, references, pymoo, wheel = [], {}, {}, [], {}
    for variant in d["variants"]:
        problem = D.variant_problem(base, d, variant, ac_net)
        ref = reference(problem, variant, seed, net, ac_net)
        best = {}
        for method in METHODS:
            rows, hist, wall = run_method(problem, method, d[method], method_seeds(seed, variant, method, d["seeds"]))
            runs.append(rows.assign(variant=variant))
            curves[f"{variant}_{method}"] = hist
            best[method] = best_dispatch(rows)
            log({f"{variant}.{method}.median_cost": float(rows.cost.median()),
                 f"{variant}.{method}.feasible_frac": float(rows.feasible.mean()), f"{variant}.{method}.wall_s": wall})
            for step, (m, s) in enumerate(zip(hist.mean(axis=0), hist.std(axis=0))):
                log({f"{variant}.{method}.best_fitness_mean": m, f"{variant}.{method}.best_fitness_std": s}, step=step)
        if variant == "losses":  # the AC cost of each method's best dispatch, not the fitted model's
            ac = ac_check(ac_net, problem, np.vstack([best[m][1:] for m in METHODS]))
            ref["ac_cost_of_best"] = dict(zip(METHODS, map(float, ac["ac_cost"])))
        references[variant] = {k: (v.tolist() if isinstance(v, np.ndarray) else v) for k, v in ref.items()}
        if variant == "dc":
            pm_seed = derive_seed(seed, "pricing", "pymoo")
            for method, pop, gens in (("ga", d["ga"]["pop_size"], d["ga"]["generations"]),
                                      ("pso", d["pso"]["n_particles"], d["pso"]["iterations"])):
                res = run_pymoo(problem, method, pop, gens, pm_seed, pso=d["pso"])
                ev = problem.evaluate(res.x)
                pymoo.append({"method": f"pymoo_{method}", "variant": variant, "fitness": res.fun,
                              "cost": float(ev["cost"][0]), "violation_mw": float(ev["violation"][0]),
                              "feasible": bool(ev["feasible"][0]), "nfev": res.nfev})
            wheel = wheeling_at(problem, net, schedule, {**best, "opf": np.asarray(ref["dispatch"])}, d,
                                cfg["profit_sharing_r"])
    runs = pd.concat(runs, ignore_index=True)
    runs = runs[["variant", *[c for c in runs.columns if c != "variant"]]]
    return {"runs": runs, "curves": curves, "references": references, "pymoo": pd.DataFrame(pymoo), **wheel}


def wheeling_at(problem: D.DispatchProblem, net, schedule: np.ndarray, dispatches: dict[str, np.ndarray], d: dict,
                r: float) -> dict:
    """Wheeling charges (eq. 2 vs 3, r-sharing, line impacts against the case's ``schedule``) at each named full
    dispatch of the DC problem built from ``net``."""
    from energyrepro.pricing.wheeling import wheeling

    line_cost = np.real(net._ppc["branch"][:, 3])  # BR_X: reactance as the length proxy of the line cost
    base = problem.full(schedule)[0]
    users, lines, summary = [], [], []
    for name, P in dispatches.items():
        u, ln, s = wheeling(problem, P, base, line_cost, r, d["wheeling_gen_share_pct"])
        users.append(u.assign(dispatch=name))
        lines.append(ln.assign(dispatch=name))
        summary.append({"dispatch": name, "cost": float(problem.cost(P[None])[0]), **s})
    return {"wheeling_users": pd.concat(users, ignore_index=True),
            "wheeling_lines": pd.concat(lines, ignore_index=True), "wheeling_summary": pd.DataFrame(summary)}
