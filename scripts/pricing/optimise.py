"""Snakemake entry point: our GA or PSO on the IEEE 30-bus dispatch, one run per derived seed."""

import time

import numpy as np
import pandas as pd

from energyrepro.io import write_csv, write_npz
from energyrepro.pricing.dispatch import load_case, problem_from_net
from energyrepro.pricing.ga import ga_minimise
from energyrepro.pricing.pso import pso_minimise
from energyrepro.runtime import Progress, set_threads, setup_logging
from energyrepro.seeding import derive_seed
from energyrepro.tracking import job_run

sm = snakemake  # noqa: F821 (injected by Snakemake)
log = setup_logging(sm.log[0])
set_threads(sm.threads)
d, method = sm.params.cfg["dispatch"], sm.wildcards.method
settings = d[method]
seeds = [derive_seed(sm.config["seed"], "pricing", method, i) for i in range(d["seeds"])]

with job_run(sm, "pricing", f"optimise_{method}") as run:
    problem = problem_from_net(load_case(d["case"]), d["penalty_per_mw"], d["feasibility_tol_mw"])
    solver = {"ga": ga_minimise, "pso": pso_minimise}[method]
    rows, curves = [], []
    progress = Progress(len(seeds), f"{method} seeds")
    for i, seed in enumerate(seeds):
        t0 = time.perf_counter()
        res = solver(problem.fitness, problem.lower, problem.upper, np.random.default_rng(seed), **settings)
        wall = time.perf_counter() - t0
        ev = problem.evaluate(res.x)
        P = problem.full(res.x)[0]
        rows.append({"method": method, "seed_index": i, "seed": seed, "fitness": res.fun,
                     "cost": float(ev["cost"][0]), "violation_mw": float(ev["violation"][0]),
                     "feasible": bool(ev["feasible"][0]), "nfev": res.nfev, "wall_s": wall,
                     **{f"p{j}": p for j, p in enumerate(P)}})
        curves.append(res.history)
        run.log_metrics({f"final_fitness.seed{i}": res.fun, f"final_cost.seed{i}": float(ev["cost"][0])})
        progress.update(best=res.fun)
    curves = np.asarray(curves)
    for step, (m, s) in enumerate(zip(curves.mean(axis=0), curves.std(axis=0))):
        run.log_metrics({"best_fitness_mean": m, "best_fitness_std": s}, step=step)
    runs = pd.DataFrame(rows)
    write_csv(sm.output.runs, runs)
    write_npz(sm.output.curves, curves=curves, seeds=np.asarray(seeds))
    run.log_metrics({"best_cost": runs.cost.min(), "mean_cost": runs.cost.mean(), "feasible_frac": runs.feasible.mean()})
    run.deviation("power_flow", "dc_lossless", "balance and line limits on the lossless DC model (PTDF); the paper "
                  "includes losses")
    if method == "ga":
        run.deviation("ga_operators", "tournament+SBX+polynomial_mutation+elitism",
                      "the paper names selection, crossover and mutation but not the operators")
    else:
        run.deviation("pso_vmax", settings["vmax_frac"], "velocity clamp not given in the paper")
        run.deviation("pso_iterations", settings["iterations"], "the paper gives no PSO iteration count: "
                      "the GA's 200 generations")
    if d["seeds"] < 20:
        run.deviation("seeds", d["seeds"], "fewer than 20 seeds at this profile")
