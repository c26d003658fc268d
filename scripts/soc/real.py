"""Snakemake entry point: the real LG 18650HG2 evaluation (logic in energyrepro.soc.real / readers)."""

import os

import pandas as pd
import torch

from energyrepro.io import write_csv, write_npz
from energyrepro.runtime import Progress, pick_device, set_threads, setup_logging
from energyrepro.soc.readers import lg_capacity_from_raw, read_lg_hg2
from energyrepro.soc.real import sim_to_real_rows, transfer_rows
from energyrepro.tracking import job_run

sm = snakemake  # noqa: F821 (injected by Snakemake)
log = setup_logging(sm.log[0])
set_threads(sm.threads)
device = pick_device(sm.config["device"])
cfg = sm.config["soc"]
lg = cfg["lg_hg2"]
cycles = {}
for name, spec in lg["cycles"].items():
    cap = lg_capacity_from_raw(os.path.join(sm.params.path, spec["capacity_file"])) if spec.get("capacity_file") else None
    cycles[name] = read_lg_hg2(os.path.join(sm.params.path, spec["file"]), cap, lg["end_fraction"])
    log.info("%s: %d samples at 1 s, SOC capacity %.4f Ah (%s)", name, len(cycles[name]),
             cycles[name].attrs["capacity_ah"], "1C test" if cap else f"final/{lg['end_fraction']}")

with job_run(sm, "soc", "real_lg_hg2", device=device, tags={"data": "real_lg_hg2"}) as run:
    run.deviation("real_data", "LG 18650HG2 US06 (Kollmeyer 2020)", "the paper's CALCE files are not available; "
                  "real LG HG2 cycles stand in for the real-data check")
    prog = Progress(len(lg["transfers"]) * len(sm.params.models) * cfg["train"]["seeds"], "trainings", logger=log)
    rows, arrays = transfer_rows(cycles, lg["transfers"], sm.params.models, cfg, lg["nominal_ah"], sm.config["seed"],
                                 device, on_done=lambda st, m, s, met: prog.update(1, mae=met["mae"]))
    checkpoints = {m: torch.load(p, weights_only=False) for m, p in zip(sm.params.models, sm.input.sim_models)}
    rows += sim_to_real_rows(cycles, checkpoints, lg["nominal_ah"], device)
    long = pd.DataFrame(rows)
    for r in long.itertuples():  # MLflow keys allow no '>' or spaces
        key = r.setting.replace(" -> ", "_to_").replace(" ", "_")
        run.log_metrics({f"{key}.{r.method}.mae": r.mae, f"{key}.{r.method}.rmse": r.rmse}, step=int(r.seed))
    write_csv(sm.output.metrics, long)
    write_npz(sm.output.preds, **arrays)
    log.info("real-cell results:\n%s", long.groupby(["setting", "method"]).mae.mean().to_string())
