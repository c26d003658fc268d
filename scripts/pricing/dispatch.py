"""Snakemake entry point: GA vs PSO on each IEEE 30-bus dispatch variant, pymoo's cross-check and the wheeling
charges; the logic is energyrepro.pricing.experiment."""

import numpy as np

from energyrepro.io import write_csv, write_json, write_npz
from energyrepro.pricing import experiment, paper
from energyrepro.runtime import set_threads, setup_logging, summary
from energyrepro.tracking import job_run

sm = snakemake  # noqa: F821 (injected by Snakemake)
setup_logging(sm.log[0])
set_threads(sm.threads)
cfg = sm.params.cfg

with job_run(sm, "pricing", "dispatch") as run:
    case = cfg["dispatch"]["case"]
    run.log_input(case, f"pandapower.networks.{case}", digest=experiment.case_digest(case), context="input")
    res = experiment.run_all(cfg, sm.params.seed, on_metrics=run.log_metrics)
    write_csv(sm.output.runs, res["runs"])
    write_npz(sm.output.curves, **res["curves"])
    write_json(sm.output.references, res["references"])
    write_csv(sm.output.pymoo, res["pymoo"])
    for key in ("wheeling_users", "wheeling_lines", "wheeling_summary"):
        write_csv(sm.output[key], res[key])
    run.deviations(paper.deviations(cfg, "dispatch"))
    med = res["runs"].groupby(["variant", "method"]).cost.median()
    summary("pricing dispatch: median cost " + ", ".join(f"{v}/{m} {c:.4f}" for (v, m), c in med.items())
            + f" $/h ({int(np.max(res['runs'].seed_index)) + 1} seeds)")
