"""Snakemake entry point: one seed of one protocol, one MLflow run per learning rate, evaluated every epoch
(trained here, or imported from el.precomputed after its checks)."""

from pathlib import Path

import pandas as pd

from energyrepro.el import paper, precomputed
from energyrepro.el.augment import protocol_images
from energyrepro.el.data import load_cells
from energyrepro.el.ingest import data_digest
from energyrepro.el.model import resolve_weights
from energyrepro.el.train import job_tensors, train_lr, train_seed
from energyrepro.io import write_csv, write_json
from energyrepro.runtime import Progress, pick_device, set_threads, setup_logging, summary
from energyrepro.tracking import job_run

sm = snakemake  # noqa: F821 (injected by Snakemake)
log = setup_logging(sm.log[0])
set_threads(sm.threads)
cfg, protocol, rep = sm.params.cfg, sm.wildcards.protocol, int(sm.wildcards.rep)
originals = pd.read_csv(sm.input.manifest)
images = protocol_images(originals, protocol, rep, cfg["images_per_class"], cfg["val_fraction"], sm.params.seed)
write_csv(sm.output.images, images)
n_train, n_val = int((images.split == "train").sum()), int((images.split == "val").sum())

if cfg["precomputed"]:
    done, meta = precomputed.load_job(cfg["precomputed"], cfg, sm.params.seed, data_digest(originals), images,
                                      protocol, rep, sm.params.learning_rates)
    pretrained, device, weights_msg = meta["pretrained"], meta["device_name"], meta["weights"]
    tags = {"precomputed_from": str(Path(cfg["precomputed"]) / precomputed.HISTORIES), "computed_on": device,
            "precision": meta["precision"], "computed_commit": meta["git_commit"]}
else:
    device = pick_device(sm.params.device)
    weights = resolve_weights(cfg["weights"])
    (log.info if weights.pretrained else log.warning)(weights.message)
    pretrained, weights_msg, tags = weights.pretrained, weights.message, {"computed_on": device}
    train, val = job_tensors(originals, load_cells(originals, Path(sm.input.manifest).parent, cfg["input_size"]),
                             images)
    progress = Progress(len(sm.params.learning_rates) * max(cfg["epochs"]), "epochs", logger=log)

seed = train_seed(sm.params.seed, rep)
run_ids = {}
for lr, history_path, run_path in zip(sm.params.learning_rates, sm.output.histories, sm.output.runs):
    with job_run(sm, "el", f"train_{protocol}_rep{rep}_lr{lr:g}", run_json=run_path, seed=seed, device=device,
                 extra_params={"learning_rate": lr, "n_train": n_train, "n_val": n_val},
                 tags={**tags, "pretrained": str(pretrained).lower(), "weights": weights_msg}) as run:
        run.deviations(paper.deviations(cfg, pretrained))
        run.log_input("elpv_originals", sm.input.manifest)
        run.log_input(f"elpv_{protocol}_rep{rep}_images", sm.output.images)
        if cfg["precomputed"]:
            history = done[lr]
            for row in history.to_dict("records"):
                run.log_metrics({k: v for k, v in row.items() if k != "epoch"}, step=int(row["epoch"]))
        else:
            def on_epoch(row, run=run, lr=lr):
                run.log_metrics({k: v for k, v in row.items() if k != "epoch"}, step=row["epoch"])
                progress.update(1, lr=lr, train_loss=row["train_loss"], val_acc=row["accuracy"])

            history = train_lr(train, val, cfg, lr, seed, weights, device, on_epoch)
        write_csv(history_path, history.assign(protocol=protocol, learning_rate=lr, rep=rep))
        run.log_artifact(history_path)
        run_ids[f"{lr:g}"] = run.run_id

write_json(sm.output.meta, {"protocol": protocol, "rep": rep, "seed": seed, "pretrained": pretrained,
                            "weights": weights_msg, "n_train": n_train, "n_val": n_val,
                            "input_size": cfg["input_size"], "computed_on": device, "run_ids": run_ids,
                            "precomputed_from": cfg["precomputed"]})
last = history.iloc[-1]
summary(f"el train {protocol} rep {rep}: {len(run_ids)} learning rates x {int(last.epoch)} epochs on {device}"
        f"{' (imported)' if cfg['precomputed'] else ''}; last lr val acc {100 * last.accuracy:.1f} %")
