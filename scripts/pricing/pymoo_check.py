"""Snakemake entry point: one pymoo GA run and one pymoo PSO run on our dispatch problem (cross-check)."""

import pandas as pd

from energyrepro.io import write_csv
from energyrepro.pricing.dispatch import load_case, problem_from_net
from energyrepro.pricing.pymoo_check import run_pymoo
from energyrepro.runtime import set_threads, setup_logging
from energyrepro.seeding import derive_seed
from energyrepro.tracking import job_run

sm = snakemake  # noqa: F821 (injected by Snakemake)
log = setup_logging(sm.log[0])
set_threads(sm.threads)
d = sm.params.cfg["dispatch"]
seed = derive_seed(sm.config["seed"], "pricing", "pymoo")

with job_run(sm, "pricing", "pymoo_check", seed=seed) as run:
    problem = problem_from_net(load_case(d["case"]), d["penalty_per_mw"], d["feasibility_tol_mw"])
    rows = []
    for algo, pop, gens in (("ga", d["ga"]["pop_size"], d["ga"]["generations"]),
                            ("pso", d["pso"]["n_particles"], d["pso"]["iterations"])):
        res = run_pymoo(problem, algo, pop, gens, seed, pso=d["pso"])
        ev = problem.evaluate(res.x)
        rows.append({"method": f"pymoo_{algo}", "fitness": res.fun, "cost": float(ev["cost"][0]),
                     "violation_mw": float(ev["violation"][0]), "feasible": bool(ev["feasible"][0]), "nfev": res.nfev})
        for step, v in enumerate(res.history):
            run.log_metrics({f"pymoo_{algo}_best_fitness": v}, step=step)
        log.info("pymoo %s: %.6f $/h", algo, res.fun)
    write_csv(sm.output.csv, pd.DataFrame(rows))
