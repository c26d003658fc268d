"""Snakemake entry point: one shard of a batch of fault grids through DPsim and the measurement chain
(logic in energyrepro.relay.cases)."""

from energyrepro.io import write_npz
from energyrepro.relay import paper
from energyrepro.relay.cases import load_system, run_cases
from energyrepro.relay.faults import batch_grid, shard
from energyrepro.runtime import Progress, set_threads, setup_logging, summary
from energyrepro.tracking import job_run

sm = snakemake  # noqa: F821 (injected by Snakemake)
log = setup_logging(sm.log[0])
set_threads(sm.threads)
name, index, cfg = sm.wildcards.relay_batch, int(sm.wildcards.shard), sm.params.cfg
batch = cfg["batches"][name]

with job_run(sm, "relay", f"simulate_{name}_{index}", tags={"engine": "dpsim", "dpsim_domain": "emt.ph3"}) as run:
    run.deviations(paper.deviations(cfg))
    cases = shard(batch_grid(batch["sets"], cfg["datasets"]), index, batch["shards"])
    out = run_cases(load_system(sm.input.system), cases, Progress(len(cases), "EMT cases", logger=log))
    write_npz(sm.output.npz, **out)
    run.log_metrics({"cases": len(cases)})
summary(f"relay simulate {name} {index + 1}/{batch['shards']}: {len(cases)} EMT cases")
