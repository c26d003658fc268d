"""Snakemake entry point: one LR + HDE/IHDE run for one (size, method, seed); logic in energyrepro.uc."""

import time

import numpy as np
import yaml

from energyrepro.io import write_json, write_npz
from energyrepro.runtime import Progress, pick_device, set_threads, setup_logging
from energyrepro.seeding import derive_seed, seed_everything
from energyrepro.tracking import job_run
from energyrepro.uc import lr
from energyrepro.uc.settings import de_params, deviations
from energyrepro.uc.system import load_base, scale

sm = snakemake  # noqa: F821 (injected by Snakemake)
log = setup_logging(sm.log[0])
set_threads(sm.threads)
device = pick_device(sm.config["device"])
cfg = sm.params.cfg
size, method, rep = int(sm.wildcards.size), sm.wildcards.method, int(sm.wildcards.seed)
# same seed for both methods of a (size, rep): they start from the same population (paired comparison)
seed = derive_seed(sm.config["seed"], "uc", size, rep)
rng = seed_everything(seed)
paper = yaml.safe_load(open(sm.input.paper, encoding="utf-8"))
system = scale(load_base(cfg["units_csv"], cfg["load_csv"], cfg["reserve_frac"]), size)
prm = de_params(cfg, method)

with job_run(sm, "uc", f"lr_n{size}_{method}_s{rep}", seed=seed) as run:
    if device != "cpu":
        log.info("device %s available but this numpy study runs on the CPU", device)
    for key, value, why in deviations(cfg, paper):
        run.deviation(key, value, why)
    prog = Progress(prm.iterations, "generations", logger=log)

    def on_generation(g, info):
        run.log_metrics(info, step=g)
        prog.update(best_cost=info["best_cost"])

    t0 = time.process_time()
    res = lr.run(system, prm, tuple(cfg["lambda_bounds"]), tuple(cfg["mu_bounds"]), cfg["penalty_reserve"],
                 cfg["penalty_balance"], rng, on_generation)
    cpu_s = time.process_time() - t0
    if not res.report.feasible:
        log.warning("best schedule violates constraints: %s", res.report.violations[:5])
    out = {"size": size, "method": method, "rep": rep, "seed": seed, "cost": res.cost,
           "checker_cost": res.report.cost, "fitness": res.de.fitness, "feasible": res.report.feasible,
           "violations": len(res.report.violations), "dual_value": res.dual_value, "cpu_s": cpu_s,
           "evaluations": res.de.evaluations, "migrations": res.de.migrations, "run_id": run.run_id}
    run.log_metrics({k: float(out[k]) for k in ("cost", "fitness", "dual_value", "cpu_s", "evaluations",
                                                 "migrations", "violations")})
    write_npz(sm.output.npz, u=res.u, p=res.p, multipliers=res.de.x,
              **{k: np.asarray(v) for k, v in res.de.history.items()})
    write_json(sm.output.json, out)
    log.info("n=%d %s rep %d: cost %.1f feasible=%s (%.1f CPU-s)", size, method, rep, res.cost,
             res.report.feasible, cpu_s)
