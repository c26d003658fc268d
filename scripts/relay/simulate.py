"""Snakemake entry point: one shard of a dataset's faults through DPsim (logic in energyrepro.relay.cases)."""

from energyrepro.config import study_slice
from energyrepro.io import write_npz
from energyrepro.relay.cases import load_system, run_cases
from energyrepro.relay.faults import case_grid, shard
from energyrepro.runtime import Progress, set_threads, setup_logging
from energyrepro.tracking import tracked_run

sm = snakemake  # noqa: F821 (injected by Snakemake)
log = setup_logging(sm.log[0])
set_threads(sm.threads)
dataset, index = sm.wildcards.relay_set, int(sm.wildcards.shard)
grid = sm.params.grid
system = load_system(sm.input.system)

with tracked_run(experiments_json=sm.input.experiments, study="relay", run_name=f"simulate_{dataset}_{index}",
                 run_json=sm.output.run, params=study_slice(sm.config, "relay"), seed=sm.config["seed"],
                 device="cpu", profile=sm.config["profile"], rule=sm.rule, wildcards=dict(sm.wildcards),
                 config=sm.config, tags={"engine": "dpsim", "dpsim_domain": "emt.ph3"}) as run:
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
