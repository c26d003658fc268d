"""Snakemake entry point: one seed of one protocol, one MLflow run per learning rate, evaluated every epoch."""

from pathlib import Path

import pandas as pd

from energyrepro.el.data import load_split
from energyrepro.el.model import build_alexnet, resolve_weights, transfer_optimizer
from energyrepro.el.paper import deviations
from energyrepro.el.train import train_run
from energyrepro.io import write_csv, write_json
from energyrepro.runtime import Progress, pick_device, set_threads, setup_logging
from energyrepro.seeding import derive_seed, seed_everything
from energyrepro.tracking import job_run

sm = snakemake  # noqa: F821 (injected by Snakemake)
log = setup_logging(sm.log[0])
set_threads(sm.threads)
device = pick_device(sm.config["device"])
cfg = sm.params.cfg
protocol, rep = sm.wildcards.protocol, int(sm.wildcards.rep)
seed = derive_seed(sm.config["seed"], "el", "train", rep)  # shared by all learning rates: paired comparison

weights = resolve_weights(cfg["weights"])
(log.info if weights.pretrained else log.warning)(weights.message)
manifest = pd.read_csv(sm.input.manifest)
root = Path(sm.input.manifest).parent
train = load_split(manifest, root, "train", cfg["input_size"])
val = load_split(manifest, root, "val", cfg["input_size"])
log.info("protocol %s seed %d: %d train / %d val images at %d px on %s", protocol, seed, len(train[0]),
         len(val[0]), cfg["input_size"], device)

n_epochs = max(cfg["epochs"])
progress = Progress(len(cfg["learning_rates"]) * n_epochs, "epochs", logger=log)
run_ids = {}
for lr, history_path, run_path in zip(sm.params.learning_rates, sm.output.histories, sm.output.runs):
    with job_run(sm, "el", f"train_{protocol}_rep{rep}_lr{lr:g}", run_json=run_path, seed=seed, device=device,
                 extra_params={"learning_rate": lr, "n_train": len(train[0]), "n_val": len(val[0])},
                 tags={"pretrained": str(weights.pretrained).lower(), "weights": weights.message}) as run:
        for key, value, why in deviations(cfg, weights.pretrained):
            run.deviation(key, value, why)
        seed_everything(seed)
        model = build_alexnet(weights)
        optimizer = transfer_optimizer(model, lr, cfg["head_lr_factor"], cfg["momentum"], cfg["weight_decay"])

        def on_epoch(row, run=run, lr=lr):
            run.log_metrics({k: v for k, v in row.items() if k != "epoch"}, step=row["epoch"])
            progress.update(1, lr=lr, train_loss=row["train_loss"], val_acc=row["accuracy"])

        history = train_run(model, optimizer, train, val, n_epochs, cfg["batch_size"], seed, device, on_epoch)
        write_csv(history_path, history.assign(protocol=protocol, learning_rate=lr, rep=rep))
        run.log_artifact(history_path)
        run_ids[f"{lr:g}"] = run.run_id

write_json(sm.output.meta, {"protocol": protocol, "rep": rep, "seed": seed, "pretrained": weights.pretrained,
                            "weights": weights.message, "n_train": len(train[0]), "n_val": len(val[0]),
                            "input_size": cfg["input_size"], "device": device, "run_ids": run_ids})
