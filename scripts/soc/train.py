"""Snakemake entry point: train one network on one dataset under every protocol and seed, score it.

Logic in energyrepro.soc.evaluate / datasets / models / train.
"""

import pandas as pd
import torch

from energyrepro.io import atomic_path, write_json, write_npz
from energyrepro.runtime import Progress, pick_device, set_threads, setup_logging
from energyrepro.seeding import derive_seed
from energyrepro.soc import paper
from energyrepro.soc.evaluate import mean_std, run_network, split_for, tune_lr
from energyrepro.tracking import job_run

sm = snakemake  # noqa: F821 (injected by Snakemake)
log = setup_logging(sm.log[0])
set_threads(sm.threads)
device = pick_device(sm.config["device"])
cfg = dict(sm.config["soc"], _profile=sm.config["profile"])
dataset, model_name = sm.wildcards.dataset, sm.wildcards.model
manifest = pd.read_csv(sm.input.manifest).set_index("cycle")
cycles = {c: pd.read_csv(p) for c, p in zip(sm.params.cycles, sm.input.cycles)}
train = {c: cycles[c] for c in cfg["datasets"][dataset]["cycles"]}
test = {c: cycles[c] for c in cfg["heldout_cycles"]}
nominal = float(manifest.nominal_ah.iloc[0])
stride = cfg["datasets"][dataset]["train_stride"]
seeds = range(cfg["train"]["seeds"])
base = sm.config["seed"]

results, arrays, saved = [], {}, None
with job_run(sm, "soc", f"train_{dataset}_{model_name}", seed=base, device=device,
             tags={"data": "simulated"}) as run:
    setting = cfg["settings"][0]  # interim: the first setting until the rules run each setting
    for key, value, why in paper.deviations(cfg, model_name, setting):
        run.deviation(key, value, why)
    prog = Progress(len(cfg["protocols"]) * len(seeds) * cfg["train"]["epochs"], "epochs", logger=log)
    for protocol in cfg["protocols"]:
        for s in seeds:
            split = split_for(protocol, dataset, s, base, train, {} if protocol == "random" else test,
                              cfg, nominal, stride)

            def on_epoch(epoch, row, protocol=protocol, s=s):
                run.log_metrics({f"{protocol}.s{s}.{k}": v for k, v in row.items()}, step=epoch)
                prog.update(1, protocol=protocol, seed=s, mse=row["train_mse"])

            seed = derive_seed(base, "soc", dataset, protocol, model_name, s)
            lr = tune_lr(model_name, split, cfg, seed, device)[0] if setting == "tuned" else None
            model, m, pred, hist = run_network(model_name, split, cfg, setting, seed, device, lr, on_epoch)
            log.info("%s %s %s seed %d: %s", dataset, model_name, protocol, s, m)
            if m["diverged"]:
                log.warning("training diverged (non-finite loss) at lr=%s batch=%s", cfg["train"]["lr"],
                            cfg["train"]["batch_size"])
            results.append({"protocol": protocol, "seed": s, "setting": setting, **m})
            run.log_metrics({f"{protocol}.{k}": v for k, v in m.items() if k in ("rmse", "mae", "r2")}, step=s)
            arrays.update({f"{protocol}/s{s}/{k}": v for k, v in
                           {"y": split.y_test, "pred": pred, "cycle": split.test_cycle.astype(str),
                            "end": split.test_end}.items()})
            if s == 0 and (saved is None or protocol == "heldout"):
                saved = {"state_dict": model.cpu().state_dict(), "model": model_name, "scaler": split.scaler.state(),
                         "window": cfg["features"]["window"], "ma_s": cfg["features"]["ma_s"],
                         "hidden": cfg["train"]["lstm_hidden"], "channels": cfg["train"]["channels"],
                         "trained_on": list(train), "protocol": protocol}
        summ = mean_std([r for r in results if r["protocol"] == protocol])
        run.log_metrics({f"{protocol}.{k}_mean" if not k.endswith("_std") else f"{protocol}.{k}": v
                         for k, v in summ.items()})
    with atomic_path(sm.output.model) as tmp:
        torch.save(saved, tmp)
    write_npz(sm.output.preds, **arrays)
    write_json(sm.output.metrics, {"dataset": dataset, "method": model_name, "kind": "network",
                                   "results": results, "run_id": run.run_id})
