"""Snakemake entry point: one shard of a dataset's faults through DPsim (logic in energyrepro.relay.cases)."""

from energyrepro.io import write_npz
from energyrepro.relay.cases import load_system, run_cases
from energyrepro.relay.faults import case_grid, shard
from energyrepro.runtime import Progress, set_threads, setup_logging
from energyrepro.tracking import job_run

sm = snakemake  # noqa: F821 (injected by Snakemake)
log = setup_logging(sm.log[0])
set_threads(sm.threads)
dataset, index = sm.wildcards.relay_set, int(sm.wildcards.shard)
grid = sm.params.grid
system = load_system(sm.input.system)

with job_run(sm, "relay", f"simulate_{dataset}_{index}",
             tags={"engine": "dpsim", "dpsim_domain": "emt.ph3"}) as run:
    run.deviation("simulator", "dpsim-emt", "ATP replaced by DPsim 1.4 three-phase EMT (no ATP available)")
    run.deviation("line_model", "cascaded-pi", "transposed line as cascaded pi sections from sequence constants; "
                  "the paper used the tower geometry in ATP (not given)")
    run.deviation("load_condition", "single", "one pre-fault load flow (10 deg / -10 deg sources); the paper's "
                  "operating conditions are not listed")
    cases = shard(case_grid(dataset, grid), index, grid["shards"])
    log.info("dataset %s shard %d/%d: %d EMT cases", dataset, index, grid["shards"], len(cases))
    out = run_cases(system, cases, Progress(len(cases), "EMT cases", logger=log))
    write_npz(sm.output.npz, **out)
    run.log_metrics({"cases": len(cases)})
