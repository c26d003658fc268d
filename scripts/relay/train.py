"""Snakemake entry point: train one relay MLP (logic in energyrepro.relay.datasets / mlp)."""

import pandas as pd

from energyrepro.io import write_csv, write_json
from energyrepro.relay import models
from energyrepro.relay.cases import load_system
from energyrepro.relay.datasets import load_shards, training_set
from energyrepro.relay.mlp import train
from energyrepro.runtime import Progress, pick_device, set_threads, setup_logging
from energyrepro.seeding import derive_seed, seed_everything
from energyrepro.tracking import job_run

sm = snakemake  # noqa: F821 (injected by Snakemake)
log = setup_logging(sm.log[0])
set_threads(sm.threads)
device = pick_device(sm.config["device"])
net = sm.wildcards.relay_net
system = load_system(sm.input.system)
arch, hp = system["nets"][net], sm.params.hp
seed = derive_seed(sm.config["seed"], "relay", "train", net)
rng = seed_everything(seed)

with job_run(sm, "relay", f"train_{net}", seed=seed, device=device) as run:
    run.deviation("optimizer", "sgd-momentum", "NeuralWorks Norm-Cum-Delta replaced by torch mini-batch SGD "
                  "with momentum (same lr/momentum ranges)")
    if sm.config["profile"] != "paper":
        run.deviation("grid", "thinned", f"{sm.config['profile']} profile: fault grid thinned from the paper's")
    data = load_shards(sm.input.shards)
    X, Y, case = training_set(net, data, system, sm.params.n_normal, rng)
    sizes = [X.shape[1], *arch["hidden"], arch["outputs"]]
    log.info("%s: %d patterns from %d cases, architecture %s", net, len(X), len(data["case"]),
             "-".join(map(str, sizes)))
    prog = Progress(hp["max_epochs"], "epochs", logger=log)

    def on_epoch(rec):
        run.log_metrics({"train_rms": rec["train_rms"], "val_rms": rec["val_rms"]}, step=rec["epoch"])
        prog.update(val_rms=rec["val_rms"])

    res = train(X, Y, arch["hidden"], hp["lr"], hp["momentum"], hp["batch_size"], hp["max_epochs"], hp["patience"],
                sm.params.val_frac, seed, device=device, on_epoch=on_epoch)
    models.save(sm.output.model, res.model, sizes)
    write_csv(sm.output.history, pd.DataFrame(res.history))
    metrics = {"net": net, "architecture": "-".join(map(str, sizes)), "patterns": len(X),
               "cases": int(len(data["case"])), "best_epoch": res.best_epoch, "epochs_run": len(res.history),
               "best_val_rms": res.best_val_rms}
    write_json(sm.output.metrics, metrics)
    run.log_metrics({"best_val_rms": res.best_val_rms, "best_epoch": res.best_epoch, "patterns": len(X)})
    log.info("%s: best validation RMS %.4f at epoch %d", net, res.best_val_rms, res.best_epoch)
