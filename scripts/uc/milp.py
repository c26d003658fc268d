"""Snakemake entry point: the proven optimum of one size (aggregated MILP, HiGHS); logic in energyrepro.uc.milp."""

import time

from energyrepro.io import write_json, write_npz
from energyrepro.runtime import set_threads, setup_logging, summary
from energyrepro.tracking import job_run
from energyrepro.uc.milp import solve_milp
from energyrepro.uc.system import data_files, from_config

sm = snakemake  # noqa: F821 (injected by Snakemake)
setup_logging(sm.log.main)
threads = set_threads(sm.threads)
cfg, size = sm.params.cfg, int(sm.wildcards.size)
system = from_config(cfg, size)

with job_run(sm, "uc", f"milp_n{size}") as run:
    run.log_input("unit_system", data_files(cfg), context="eval")
    startup_cpu_s = time.process_time()
    res = solve_milp(system, cfg["milp_gap"], cfg["milp_time_limit"], cfg["milp_tangents"], threads=threads,
                     log_file=sm.log.highs)
    out = {"size": size, "cost": res.cost, "bound": res.bound, "gap": res.gap, "proven": res.gap <= cfg["milp_gap"],
           "status": res.status, "rounds": res.iterations, "tangents": res.tangents, "cpu_s": res.seconds,
           "startup_cpu_s": startup_cpu_s, "highs_version": res.highs_version,
           "highspy_version": res.highspy_version, "history": res.history, "run_id": run.run_id}
    run.log_metrics({k: float(out[k]) for k in ("cost", "bound", "gap", "cpu_s", "rounds", "startup_cpu_s")})
    run.set_tags({"milp_status": res.status, "highs_version": res.highs_version,
                  "highspy_version": res.highspy_version, "proven": str(out["proven"]).lower()})
    write_npz(sm.output.npz, u=res.u, p=res.p)
    write_json(sm.output.json, out)
summary(f"uc MILP {size} units: {res.cost:,.2f} $, bound {res.bound:,.2f} (gap {res.gap:.1e}, "
        f"{'proven' if out['proven'] else 'NOT proven'}), {res.seconds:.1f} CPU-s, HiGHS {res.highs_version}")
