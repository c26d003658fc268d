"""Snakemake entry point: every method x seed of LR + HDE/IHDE at one size (or, with params.eps1, the migration
sensitivity: IHDE at each eps1); every best schedule re-priced by the independent checker. Logic in energyrepro.uc."""

import time

import numpy as np

from energyrepro.io import write_json, write_npz
from energyrepro.runtime import set_threads, setup_logging, summary
from energyrepro.seeding import derive_seed
from energyrepro.tracking import job_run
from energyrepro.uc import lr, paper
from energyrepro.uc.system import data_files, from_config

sm = snakemake  # noqa: F821 (injected by Snakemake)
log = setup_logging(sm.log[0])
set_threads(sm.threads)
cfg, size = sm.params.cfg, int(sm.wildcards.size)
eps_values = getattr(sm.params, "eps1", None)
name = f"lr_n{size}" if eps_values is None else f"migration_n{size}"
# repetition r of every method starts from the same population (paired comparison across methods)
seeds = [derive_seed(sm.params.seed, "uc", size, rep) for rep in range(cfg["n_seeds"])]
system = from_config(cfg, size)

with job_run(sm, "uc", name) as run:
    run.deviations(paper.deviations(cfg, cfg["methods"] if eps_values is None else ["ihde"]))
    run.log_input("unit_system", data_files(cfg), context="training")
    startup_cpu_s = time.process_time()

    def on_generation(method, rep, g, info, tag=""):
        run.log_metrics({f"{method}{tag}/s{rep}/best_cost": info["best_cost"],
                         f"{method}{tag}/s{rep}/diversity": info["diversity"]}, step=g)

    if eps_values is None:
        runs = lr.run_size(system, cfg, cfg["methods"], seeds, on_generation)
        groups = [(r.method, r) for r in runs]
    else:
        groups = []
        for eps1 in eps_values:
            tagged = lr.run_size(system, cfg, ["ihde"], seeds,
                                 lambda m, r, g, i, e=eps1: on_generation(m, r, g, i, f"_eps{e}"), eps1=eps1)
            groups += [(f"eps{eps1}", r) for r in tagged]
    records = [{"size": size, **r.record(), **({} if eps_values is None else {"eps1": float(key[3:])})}
               for key, r in groups]
    work_cpu_s = time.process_time() - startup_cpu_s
    arrays = {}
    for key in dict.fromkeys(k for k, _ in groups):
        mine = [r for k, r in groups if k == key]
        arrays[f"{key}_best_cost"] = np.vstack([r.result.de.history["best_cost"] for r in mine])
        arrays[f"{key}_mean_fitness"] = np.vstack([r.result.de.history["mean_fitness"] for r in mine])
        arrays[f"{key}_u"] = np.stack([r.result.u for r in mine])
    bad = [r for r in records if not r["feasible"] or abs(r["cost"] - r["checker_cost"]) > 0.01]
    if bad:
        log.warning("%d schedules fail the checker or differ from its price by more than a cent: %s", len(bad), bad)
    run.log_metrics({"startup_cpu_s": startup_cpu_s, "work_cpu_s": work_cpu_s, "runs": len(records),
                     "checker_failures": len(bad)})
    write_npz(sm.output.npz, **arrays)
    write_json(sm.output.json, {"size": size, "runs": records, "startup_cpu_s": startup_cpu_s,
                                "work_cpu_s": work_cpu_s, "run_id": run.run_id})
best = {}
for r in records:
    key = r["method"] if eps_values is None else f"eps1={r['eps1']}"
    best[key] = min(best.get(key, np.inf), r["cost"])
summary(f"uc {name}: {len(records)} runs in {work_cpu_s:.1f} CPU-s (+{startup_cpu_s:.1f} start-up); best "
        + ", ".join(f"{k} {v:,.0f} $" for k, v in best.items()))
