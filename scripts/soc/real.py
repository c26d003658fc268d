"""Snakemake entry point: one held-out temperature of the real LG HG2 cells - every network and seed, then the
honest and idealised baselines (logic in energyrepro.soc.real / lg_hg2)."""

import pandas as pd

from energyrepro.io import write_csv, write_npz
from energyrepro.runtime import Progress, pick_device, set_threads, setup_logging, summary
from energyrepro.soc import lg_hg2, paper, real
from energyrepro.tracking import job_run

sm = snakemake  # noqa: F821 (injected by Snakemake)
log = setup_logging(sm.log[0])
set_threads(sm.threads)
device = pick_device(sm.params.device)
cfg = sm.params.cfg
lg = cfg["lg_hg2"]
held_out = int(sm.wildcards.fold.replace("n", "-"))
cycles = {n: lg_hg2.cycle(n, lg["path"]) for n in lg_hg2.drive_cycles()}
train, test = real.fold_cycles(held_out, lg["train_kinds"], lg["extra_tests"])

rows, arrays = [], {}
with job_run(sm, "soc", f"real_{sm.wildcards.fold}", device=device, tags={"data": "lg_hg2"}) as run:
    run.deviations(paper.deviations(cfg, data="lg_hg2"))
    run.log_input("LG HG2 cycles", sm.input.lg)
    run.set_tags({"held_out_degC": held_out, "train_cycles": ",".join(train), "test_cycles": ",".join(test)})
    prog = Progress(len(lg["models"]) * lg["train"]["seeds"] * lg["train"]["epochs"], "epochs", logger=log)
    for model in lg["models"]:
        def on_epoch(epoch, row, model=model):
            run.log_metrics({f"{model}.{k}": v for k, v in row.items()}, step=epoch)
            prog.update(1, model=model)

        r, a = real.train_fold(cycles, held_out, model, cfg, sm.params.seed, device, on_epoch)
        rows += r
        arrays.update(a)
    r, a = real.baseline_fold(cycles, held_out, cfg, lg["path"])
    rows += r
    arrays.update(a)
    long = pd.DataFrame(rows)
    for x in long.itertuples():
        run.log_metrics({f"{x.cycle}.{x.method}.mae": x.mae, f"{x.cycle}.{x.method}.rmse": x.rmse}, step=int(x.seed))
    write_csv(sm.output.metrics, long)
    write_npz(sm.output.preds, **arrays)
    mae = long[long.cycle.str.startswith("us06")].groupby("method").mae.mean()
    summary(f"soc real, {held_out} degC held out: US06 MAE " + ", ".join(f"{m} {v:.4f}" for m, v in mae.items()))
