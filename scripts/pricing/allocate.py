"""Snakemake entry point: price both networks (Tables 1-8 and the sensitivity to unknown inputs); the logic is
energyrepro.pricing.study."""

import pandas as pd

from energyrepro.io import write_csv
from energyrepro.pricing import networks, paper
from energyrepro.pricing.study import SYSTEMS, allocate_system, run_metrics
from energyrepro.runtime import set_threads, setup_logging, summary
from energyrepro.tracking import job_run

sm = snakemake  # noqa: F821 (injected by Snakemake)
setup_logging(sm.log[0])
set_threads(sm.threads)
cfg = sm.params.cfg

with job_run(sm, "pricing", "allocate") as run:
    tables = paper.tables()
    run.log_input("paper_tables", [str(paper.DATA / paper.paper()["tables_file"])], context="evaluation")
    run.log_input("network_data", [str(networks.DATA / f) for f in networks.DATA_FILES], context="input")
    out = {system: allocate_system(system, cfg, tables) for system in SYSTEMS}
    for key in ("allocation", "users", "lines", "paper_vs_ours", "sensitivity", "implied"):
        write_csv(sm.output[key], pd.concat([o[key].assign(system=s) for s, o in out.items()], ignore_index=True))
    for system, path in zip(SYSTEMS, sm.output.user_flows):
        write_csv(path, out[system]["user_flows"])
    for system, o in out.items():
        run.log_metrics({f"{system}.{k}": v for k, v in run_metrics(o).items()})
    run.deviations(paper.deviations(cfg, "allocation"))
    summary("pricing allocate: " + ", ".join(f"{s} {len(o['users'])} users" for s, o in out.items()))
