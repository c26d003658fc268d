"""One dataset under each protocol and training setting: train the networks / run the baselines over seeds.

Two training settings, both reported and labelled (``soc.settings``):

* ``paper``: section 1.2 as printed (Adam, ``train.lr`` 0.025, ``train.batch_size`` 10, dropout 0.5),
  trained on every training window and kept after the last epoch.
* ``tuned``: the learning rate chosen from ``tuned.lr_grid`` on a validation split of the training
  windows only (whole blocks of each cycle, :func:`energyrepro.soc.datasets.validation_blocks`; never
  test windows or held-out cycles), batch ``tuned.batch_size``, and the weights of the epoch with the
  lowest validation MAE.

Seeds: the random split of seed ``s`` depends only on (dataset, protocol, s), so every model and the
baselines of one seed are scored on the same test windows; network initialisation, shuffling and the
validation blocks use seeds that also depend on the model and setting.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from energyrepro.seeding import derive_seed, seed_everything
from energyrepro.soc import baselines as bl
from energyrepro.soc.datasets import Split, build_split, validation_blocks
from energyrepro.soc.metrics import all_metrics

SETTINGS = ("paper", "tuned")


VARIANT = re.compile(r"(cnn|lstm|cnnlstm)(?:-h(\d+))?(-ah)?")


def parse_variant(name: str, default_hidden: int) -> tuple[str, int]:
    """'cnnlstm-h300' -> ('cnnlstm', 300); 'lstm' and 'lstm-ah' -> ('lstm', default_hidden)."""
    m = VARIANT.fullmatch(name)
    if not m:
        raise ValueError(f"soc.models entry {name!r} is not cnn|lstm|cnnlstm[-h<N>][-ah]")
    return m.group(1), int(m.group(2) or default_hidden)


def uses_charge(name: str) -> bool:
    """'-ah' variants get the cumulative-charge input (energyrepro.soc.features)."""
    m = VARIANT.fullmatch(name)
    return bool(m and m.group(3))


def models_for(models: list[str], setting: str) -> list[str]:
    """The networks trained under ``setting``: every one, except that the cumulative-charge (-ah) variants run
    under the tuned setting only - they measure what an input adds, and the paper's setting does not train
    reliably (docs/soc.md), which would confound that."""
    return [m for m in models if setting == "tuned" or not uses_charge(m)]


def split_for(protocol: str, dataset: str, s: int, base_seed: int, train: dict, test: dict,
              cfg: dict, nominal_ah: float, train_stride: int, charge: bool = False) -> Split:
    rng = np.random.default_rng(derive_seed(base_seed, "soc", dataset, protocol, "split", s))
    return build_split(protocol, train, test, nominal_ah=nominal_ah, ma_s=cfg["features"]["ma_s"],
                       length=cfg["features"]["window"], rng=rng, test_fraction=cfg["train"]["test_fraction"],
                       train_stride=train_stride, charge=charge)


def recipe(cfg: dict, setting: str) -> dict:
    """Batch size, epochs and epoch selection of a setting (the learning rate of ``tuned`` comes from the grid)."""
    tr = cfg["train"]
    if setting == "paper":
        return {"lr": tr["lr"], "batch_size": tr["batch_size"], "epochs": tr["epochs"], "select": "last"}
    if setting == "tuned":
        tu = cfg["tuned"]
        return {"lr": None, "batch_size": tu["batch_size"], "epochs": tr["epochs"], "select": "best_val"}
    raise ValueError(f"unknown soc training setting {setting!r} (known: {', '.join(SETTINGS)})")


def fit_val(split: Split, cfg: dict, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The (fit, validation) masks over ``split``'s training windows for the tuned setting."""
    tu = cfg["tuned"]
    return validation_blocks(split.train_cycle, split.train_end, cfg["features"]["window"], tu["val_fraction"],
                             tu["val_block_s"], np.random.default_rng(seed))


def _train(model_name: str, split: Split, cfg: dict, seed: int, device: str, *, lr: float, batch_size: int,
           epochs: int, select: str, with_test: bool, on_epoch=None):
    from energyrepro.soc.models import build_model
    from energyrepro.soc.train import train_model

    tr = cfg["train"]
    kind, hidden = parse_variant(model_name, tr["lstm_hidden"])
    x, y = split.x_train, split.y_train
    monitor = {}
    if select == "best_val":
        fit, val = fit_val(split, cfg, seed)
        x, y = x[fit], y[fit]
        monitor["val"] = (split.x_train[val], split.y_train[val])
    if with_test:  # a per-epoch diagnostic only: nothing is chosen on it
        monitor["test"] = (split.x_test, split.y_test)
    seed_everything(seed)
    model = build_model(kind, n_in=x.shape[2], hidden=hidden, channels=tr["channels"], dropout=tr["dropout"])
    hist = train_model(model, x, y, epochs=epochs, lr=lr, batch_size=batch_size, seed=seed, device=device,
                       grad_clip=tr["grad_clip"], monitor=monitor, select=select, on_epoch=on_epoch)
    return model, hist, len(y)


def tune_lr(model_name: str, split: Split, cfg: dict, seed: int, device: str) -> tuple[float, list[dict]]:
    """The grid learning rate with the lowest validation MAE after ``tuned.grid_epochs`` (best epoch)."""
    tu = cfg["tuned"]
    rows = []
    for lr in tu["lr_grid"]:
        _, hist, _ = _train(model_name, split, cfg, seed, device, lr=lr, batch_size=tu["batch_size"],
                            epochs=tu["grid_epochs"], select="best_val", with_test=False)
        rows.append({"lr": float(lr), "val_mae": float(min(hist["val_mae"])), "diverged": hist["diverged"]})
    best = min(rows, key=lambda r: (not np.isfinite(r["val_mae"]), r["val_mae"]))
    return best["lr"], rows


def run_network(model_name: str, split: Split, cfg: dict, setting: str, seed: int, device: str,
                lr: float | None = None, on_epoch: Callable[[int, dict], None] | None = None):
    """Train one network on ``split`` under ``setting``; return (model, metrics dict, test predictions, history).

    ``lr`` overrides the setting's learning rate (the tuned setting passes the one :func:`tune_lr` chose).
    """
    from energyrepro.soc.train import predict

    rc = recipe(cfg, setting)
    lr = rc["lr"] if lr is None else lr
    if lr is None:
        raise ValueError(f"setting {setting!r} needs the learning rate chosen by tune_lr")
    model, hist, n_fit = _train(model_name, split, cfg, seed, device, lr=lr, batch_size=rc["batch_size"],
                                epochs=rc["epochs"], select=rc["select"], with_test=True, on_epoch=on_epoch)
    pred = predict(model, split.x_test, device)
    metrics = all_metrics(split.y_test, pred) if np.all(np.isfinite(pred)) else \
        {"rmse": float("nan"), "mae": float("nan"), "r2": float("nan")}
    metrics.update(max_abs=float(np.max(np.abs(pred - split.y_test))) if np.all(np.isfinite(pred)) else float("nan"),
                   diverged=hist["diverged"], final_train_mse=hist["train_mse"][-1], best_epoch=hist["best_epoch"],
                   lr=float(lr), batch_size=rc["batch_size"], n_train=n_fit, n_test=len(split.y_test))
    return model, metrics, pred, hist


@dataclass
class DatasetCycles:
    """What every unit of one dataset trains and tests on."""

    name: str
    train: dict[str, pd.DataFrame]
    test: dict[str, pd.DataFrame]  # the held-out cycles
    nominal_ah: float
    stride: int  # keep every k-th training window


def dataset_cycles(cfg: dict, dataset: str, cycles: dict[str, pd.DataFrame], nominal_ah: float) -> DatasetCycles:
    spec = cfg["datasets"][dataset]
    return DatasetCycles(dataset, {c: cycles[c] for c in spec["cycles"]},
                         {c: cycles[c] for c in cfg["heldout_cycles"]}, nominal_ah, spec.get("train_stride", 1))


def unit_split(ds: DatasetCycles, protocol: str, s: int, cfg: dict, base_seed: int, charge: bool = False) -> Split:
    return split_for(protocol, ds.name, s, base_seed, ds.train, {} if protocol == "random" else ds.test, cfg,
                     ds.nominal_ah, ds.stride, charge)


def unit_seed(base_seed: int, dataset: str, protocol: str, model_name: str, setting: str, s: int | str) -> int:
    """Initialisation/shuffling seed of one training run (the paper setting keeps the seeds it always had)."""
    labels = (dataset, protocol, model_name, s) if setting == "paper" else (dataset, protocol, model_name, setting, s)
    return derive_seed(base_seed, "soc", *labels)


def tune_unit(ds: DatasetCycles, model_name: str, protocol: str, cfg: dict, base_seed: int,
              device: str) -> tuple[float, list[dict]]:
    """The tuned learning rate of (dataset, model, protocol), chosen on seed 0's training windows."""
    split = unit_split(ds, protocol, 0, cfg, base_seed, uses_charge(model_name))
    return tune_lr(model_name, split, cfg, unit_seed(base_seed, ds.name, protocol, model_name, "tuned", "grid"),
                   device)


def run_unit(ds: DatasetCycles, model_name: str, setting: str, protocol: str, s: int, cfg: dict, base_seed: int,
             device: str, lr: float | None = None, on_epoch: Callable[[int, dict], None] | None = None) -> dict:
    """One training run: its metrics record (with the per-epoch history), test arrays, model and scaler."""
    split = unit_split(ds, protocol, s, cfg, base_seed, uses_charge(model_name))
    seed = unit_seed(base_seed, ds.name, protocol, model_name, setting, s)
    model, metrics, pred, hist = run_network(model_name, split, cfg, setting, seed, device, lr, on_epoch)
    record = {"dataset": ds.name, "method": model_name, "setting": setting, "protocol": protocol, "seed": s,
              **metrics, "history": hist}
    arrays = {"y": split.y_test, "pred": pred, "cycle": split.test_cycle.astype(str), "end": split.test_end}
    return {"record": record, "arrays": {f"{setting}/{protocol}/s{s}/{k}": v for k, v in arrays.items()},
            "model": model, "scaler": split.scaler}


def inference_ms(model_names: list[str], cfg: dict, n_in: int = 6, repeats: int = 200) -> dict[str, dict]:
    """Median and 95th percentile time to estimate ONE sample (a batch of one window, one CPU thread) per
    network, as a BMS runs it online (paper section 3.2: < 0.5 ms): ten medians of ``repeats / 10`` calls.
    Weights do not change the cost, so freshly initialised networks are timed."""
    import platform

    import torch

    from energyrepro.soc.models import build_model
    from energyrepro.soc.train import time_per_sample

    tr, window = cfg["train"], cfg["features"]["window"]
    x = np.random.default_rng(0).random((1, window, n_in), dtype=np.float32)
    out = {}
    for name in model_names:
        kind, hidden = parse_variant(name, tr["lstm_hidden"])
        torch.manual_seed(0)
        model = build_model(kind, n_in=n_in + uses_charge(name), hidden=hidden, channels=tr["channels"])
        xm = np.concatenate([x, x[:, :, :1]], axis=2) if uses_charge(name) else x
        times = [1e3 * time_per_sample(model, xm, "cpu", repeats=repeats // 10) for _ in range(10)]
        out[name] = {"median_ms": float(np.median(times)), "p95_ms": float(np.percentile(times, 95)),
                     "repeats_ms": times, "window": window, "hidden": hidden if kind != "cnn" else None,
                     "params": int(sum(p.numel() for p in model.parameters())),
                     "cpu": platform.processor() or platform.machine(), "threads": torch.get_num_threads()}
    return out


def train_dataset(ds: DatasetCycles, models: list[str], setting: str, cfg: dict, base_seed: int, device: str,
                  on_epoch: Callable[[str, str, int, int, dict], None] | None = None,
                  on_run: Callable[[dict], None] | None = None) -> tuple[list[dict], list[dict], dict]:
    """Every (model, protocol, seed) of one dataset under one setting, as the pipeline's training job runs them
    (the GPU script runs the same units in parallel): (run records, learning-rate choices, test arrays).

    The labels and window positions of a (protocol, seed) are shared by every model and stored once; each
    model's predictions are stored under ``<model>/...``. ``on_epoch(model, protocol, seed, epoch, row)`` and
    ``on_run(record)`` report progress.
    """
    records, tunes, arrays = [], [], {}
    for model in models:
        for protocol in cfg["protocols"]:
            lr = None
            if setting == "tuned":
                lr, grid = tune_unit(ds, model, protocol, cfg, base_seed, device)
                tunes.append({"dataset": ds.name, "method": model, "protocol": protocol, "lr": lr, "grid": grid})
            for s in range(cfg["train"]["seeds"]):
                def epoch_cb(epoch, row, model=model, protocol=protocol, s=s):
                    if on_epoch:
                        on_epoch(model, protocol, s, epoch, row)

                out = run_unit(ds, model, setting, protocol, s, cfg, base_seed, device, lr, epoch_cb)
                records.append(out["record"])
                arrays.update(prefix_predictions(out["arrays"], model))
                if on_run:
                    on_run(out["record"])
    return records, tunes, arrays


def prefix_predictions(arrays: dict[str, np.ndarray], model: str) -> dict[str, np.ndarray]:
    """A unit's arrays keyed for a job's file: predictions under ``<model>/``, shared labels and windows bare."""
    return {f"{model}/{k}" if k.endswith("/pred") else k: v for k, v in arrays.items()}


BASELINES = ("coulomb", "ekf", "coulomb_ideal", "ekf_ideal")


def baseline_estimates(train: dict[str, pd.DataFrame], test: dict[str, pd.DataFrame], nominal_ah: float,
                       true_ah: float, bcfg: dict) -> tuple[dict[str, dict[str, np.ndarray]], bl.Thevenin]:
    """Coulomb counting and the EKF over every test cycle (full series), ECM identified on ``train``.

    Honest (``coulomb``, ``ekf``): what a BMS knows - the initial SOC read on the ECM's OCV curve from the first
    voltage sample less the ECM's R0 drop at the first current, and the nominal capacity. Idealised
    (``*_ideal``, an upper bound only): the true initial SOC and the cell's true capacity.
    """
    ecm = bl.identify_thevenin([(d.voltage_meas.to_numpy(), d.current_meas.to_numpy(), d.soc.to_numpy())
                                for d in train.values()], nominal_ah, n_knots=bcfg["ocv_knots"])
    est: dict[str, dict[str, np.ndarray]] = {m: {} for m in BASELINES}
    for name, d in test.items():
        v, i = d.voltage_meas.to_numpy(), d.current_meas.to_numpy()
        guess = bl.soc_from_ocv(ecm, float(v[0] - ecm.r0 * i[0]))  # the first voltage, less the ECM's IR drop
        for suffix, soc0, q in (("", guess, nominal_ah), ("_ideal", float(d.soc.iloc[0]), true_ah)):
            est["coulomb" + suffix][name] = bl.coulomb_count(i, soc0, q)
            est["ekf" + suffix][name] = bl.ekf(bl.Thevenin(ecm.grid, ecm.ocv, ecm.r0, ecm.r1, ecm.tau, q), v, i, soc0,
                                               q_soc=bcfg["q_soc"], q_v1=bcfg["q_v1"], r_v=bcfg["r_v"],
                                               p0_soc=bcfg["p0_soc"])
    return est, ecm


def score_at(split: Split, series: dict[str, np.ndarray]) -> tuple[dict, np.ndarray]:
    """Metrics of a per-cycle estimate read at the split's test windows."""
    pred = np.array([series[c][e] for c, e in zip(split.test_cycle, split.test_end)])
    return all_metrics(split.y_test, pred), pred


def mean_std(rows: list[dict], keys=("rmse", "mae", "r2")) -> dict:
    out = {}
    for k in keys:
        v = np.array([r[k] for r in rows], float)
        out[k] = float(np.nanmean(v)) if np.isfinite(v).any() else float("nan")
        out[f"{k}_std"] = float(np.nanstd(v, ddof=1)) if np.isfinite(v).sum() > 1 else 0.0
    return out
