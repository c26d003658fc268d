"""Snakemake entry point: train one relay MLP for every seed at once (logic in energyrepro.relay.training)."""

from energyrepro.io import write_csv, write_json
from energyrepro.relay import models, paper
from energyrepro.relay.cases import load_system
from energyrepro.relay.datasets import load_shards
from energyrepro.relay.training import train_network
from energyrepro.runtime import set_threads, setup_logging, summary
from energyrepro.tracking import job_run

sm = snakemake  # noqa: F821 (injected by Snakemake)
log = setup_logging(sm.log[0])
set_threads(sm.threads)
net, cfg = sm.wildcards.relay_net, sm.params.cfg

with job_run(sm, "relay", f"train_{net}") as run:
    run.deviations(paper.deviations(cfg))
    run.log_input(f"relay_{net}_simulations", sm.input.shards)
    out = train_network(net, load_shards(sm.input.shards, net), load_system(sm.input.system), cfg, sm.params.seed,
                        on_epoch=lambda k, rec: run.log_metrics(
                            {f"train_rms_s{k}": rec["train_rms"], f"val_rms_s{k}": rec["val_rms"]},
                            step=rec["epoch"]))
    models.save(sm.output.model, out.models, out.metrics["seeds"])
    write_csv(sm.output.history, out.history)
    write_json(sm.output.metrics, out.metrics)
    run.log_metrics({"best_val_rms_mean": sum(out.metrics["best_val_rms"]) / len(out.metrics["seeds"])})
summary(f"relay train {net} ({out.metrics['architecture']}, {out.metrics['patterns']} patterns): best validation "
        f"RMS " + ", ".join(f"{r:.4f}" for r in out.metrics["best_val_rms"]))
