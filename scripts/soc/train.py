"""Snakemake entry point: every network of one dataset under one training setting, each protocol and seed.

Models that the precomputed GPU run holds are imported (checked) instead of trained; logic in
energyrepro.soc.evaluate / precomputed.
"""

import pandas as pd

from energyrepro.io import write_json, write_npz
from energyrepro.runtime import Progress, pick_device, set_threads, setup_logging, summary
from energyrepro.soc import paper, precomputed
from energyrepro.soc.evaluate import dataset_cycles, models_for, prefix_predictions, train_dataset
from energyrepro.tracking import job_run

sm = snakemake  # noqa: F821 (injected by Snakemake)
log = setup_logging(sm.log[0])
set_threads(sm.threads)
device = pick_device(sm.params.device)
cfg, base = sm.params.cfg, sm.params.seed
dataset, setting = sm.wildcards.dataset, sm.wildcards.setting
manifest = pd.read_csv(sm.input.manifest)
cycles = {c: pd.read_csv(p) for c, p in zip(sm.params.cycles, sm.input.cycles)}
ds = dataset_cycles(cfg, dataset, cycles, float(manifest.nominal_ah.iloc[0]))
seeds = range(cfg["train"]["seeds"])
models = models_for(cfg["models"], setting)
trained = [m for m in models if m not in sm.params.imported]

records, tunes, arrays = [], [], {}
with job_run(sm, "soc", f"train_{dataset}_{setting}", device=device, tags={"data": "simulated"}) as run:
    run.deviations(paper.deviations(cfg, setting=setting))
    for model in models:
        run.deviations([d for d in paper.deviations(cfg, model=model) if d[0].startswith(f"{model}.")])
    run.log_input("measured cycles", [p for c, p in zip(sm.params.cycles, sm.input.cycles)
                                      if c in ds.train or c in ds.test])
    if sm.params.imported:
        digest = precomputed.cycles_digest(cycles)
        for model in sm.params.imported:
            recs, arr, tun, meta = precomputed.import_runs(cfg["precomputed"], cfg, base, digest, ds, model, setting)
            records += recs
            tunes += tun
            arrays.update(prefix_predictions(arr, model))
        run.set_tags({"precomputed_from": cfg["precomputed"], "computed_on": meta["device_name"],
                      "precomputed_commit": meta["commit"], "precomputed_models": ",".join(sm.params.imported)})
    prog = Progress(len(trained) * len(cfg["protocols"]) * len(seeds) * cfg["train"]["epochs"], "epochs", logger=log)

    def on_epoch(model, protocol, s, epoch, row):
        run.log_metrics({f"{model}.{protocol}.s{s}.{k}": v for k, v in row.items()}, step=epoch)
        prog.update(1, model=model, protocol=protocol, seed=s)

    def on_run(r):
        log.info("%s %s %s %s seed %d: MAE %.4f RMSE %.4f (epoch %d, lr %g)%s", dataset, r["method"], setting,
                 r["protocol"], r["seed"], r["mae"], r["rmse"], r["best_epoch"], r["lr"],
                 " DIVERGED (non-finite loss)" if r["diverged"] else "")

    recs, tun, arr = train_dataset(ds, trained, setting, cfg, base, device, on_epoch, on_run)
    records += recs
    tunes += tun
    arrays.update(arr)
    for r in records:
        run.log_metrics({f"{r['method']}.{r['protocol']}.{k}": r[k] for k in ("mae", "rmse", "r2")}, step=r["seed"])
    write_npz(sm.output.preds, **arrays)
    write_json(sm.output.metrics, {"dataset": dataset, "setting": setting, "run_id": run.run_id,
                                   "imported": list(sm.params.imported), "records": records, "tunes": tunes})
    summary(f"soc train {dataset} {setting}: {len(records)} runs "
            f"({len(trained)} models trained, {len(sm.params.imported)} imported)")
