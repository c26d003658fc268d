"""Snakemake entry point: the exact MILP reference for one size (HiGHS); logic in energyrepro.uc.milp."""

from energyrepro.io import write_json, write_npz
from energyrepro.runtime import set_threads, setup_logging
from energyrepro.tracking import job_run
from energyrepro.uc.milp import solve_milp
from energyrepro.uc.system import load_base, scale

sm = snakemake  # noqa: F821 (injected by Snakemake)
log = setup_logging(sm.log[0])
threads = set_threads(sm.threads)
cfg = sm.params.cfg
size = int(sm.wildcards.size)
system = scale(load_base(cfg["units_csv"], cfg["load_csv"], cfg["reserve_frac"]), size)

with job_run(sm, "uc", f"milp_n{size}") as run:
    log.info("MILP %d units: %d segments, time limit %ss, gap %g", size, cfg["milp_segments"],
             cfg["milp_time_limit"], cfg["milp_gap"])
    res = solve_milp(system, cfg["milp_segments"], cfg["milp_time_limit"], cfg["milp_gap"], threads,
                     log_file=sm.log.highs)
    out = {"size": size, "objective": res.objective, "bound": res.bound, "quadratic_bound": res.quadratic_bound,
           "pwl_slack": res.pwl_slack, "exact_cost": res.exact_cost, "gap": res.gap, "status": res.status,
           "cpu_s": res.seconds, "run_id": run.run_id}
    run.log_metrics({k: float(out[k]) for k in ("objective", "bound", "quadratic_bound", "exact_cost", "gap",
                                                 "cpu_s")})
    run.set_tags({"milp_status": res.status})
    write_npz(sm.output.npz, u=res.u, p=res.p)
    write_json(sm.output.json, out)
    log.info("MILP %d units: %s, exact cost %.2f, bound %.2f, gap %.4f%%, %.1f CPU-s", size, res.status,
             res.exact_cost, res.bound, 100 * res.gap, res.seconds)
