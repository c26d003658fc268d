"""One dataset under each protocol: train the networks / run the baselines over seeds, score the test windows.

Seeds: the random split of seed ``s`` depends only on (dataset, protocol, s), so every model and the
baselines of one seed are scored on the same test windows; network initialisation and shuffling use a
seed that also depends on the model.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from energyrepro.seeding import derive_seed, seed_everything
from energyrepro.soc import baselines as bl
from energyrepro.soc.datasets import Split, build_split
from energyrepro.soc.metrics import all_metrics


def parse_variant(name: str, default_hidden: int) -> tuple[str, int]:
    """'cnnlstm-h300' -> ('cnnlstm', 300); 'lstm' -> ('lstm', default_hidden)."""
    m = re.fullmatch(r"(cnn|lstm|cnnlstm)(?:-h(\d+))?", name)
    if not m:
        raise ValueError(f"soc.models entry {name!r} is not cnn|lstm|cnnlstm[-h<N>]")
    return m.group(1), int(m.group(2) or default_hidden)


def split_for(protocol: str, dataset: str, s: int, base_seed: int, train: dict, test: dict,
              cfg: dict, nominal_ah: float, train_stride: int) -> Split:
    rng = np.random.default_rng(derive_seed(base_seed, "soc", dataset, protocol, "split", s))
    return build_split(protocol, train, test, nominal_ah=nominal_ah, ma_s=cfg["features"]["ma_s"],
                       length=cfg["features"]["window"], rng=rng, test_fraction=cfg["train"]["test_fraction"],
                       train_stride=train_stride)


def run_network(model_name: str, split: Split, cfg: dict, seed: int, device: str,
                on_epoch: Callable[[int, float], None] | None = None):
    """Train one network on ``split``; return (model, metrics dict, test predictions, history)."""
    from energyrepro.soc.models import build_model
    from energyrepro.soc.train import predict, time_per_sample, train_model

    tr = cfg["train"]
    kind, hidden = parse_variant(model_name, tr["lstm_hidden"])
    seed_everything(seed)
    model = build_model(kind, n_in=split.x_train.shape[2], hidden=hidden, channels=tr["channels"],
                        dropout=tr["dropout"])
    hist = train_model(model, split.x_train, split.y_train, epochs=tr["epochs"], lr=tr["lr"],
                       batch_size=tr["batch_size"], seed=seed, device=device, grad_clip=tr["grad_clip"],
                       on_epoch=on_epoch)
    pred = predict(model, split.x_test, device)
    metrics = all_metrics(split.y_test, pred) if np.all(np.isfinite(pred)) else \
        {"rmse": float("nan"), "mae": float("nan"), "r2": float("nan")}
    metrics.update(diverged=hist["diverged"], final_train_mse=hist["train_mse"][-1],
                   ms_per_sample=1e3 * time_per_sample(model, split.x_test, device),
                   n_train=len(split.y_train), n_test=len(split.y_test))
    return model, metrics, pred, hist


def baseline_estimates(train: dict[str, pd.DataFrame], test: dict[str, pd.DataFrame], capacity_ah: float,
                       bcfg: dict) -> tuple[dict[str, dict[str, np.ndarray]], bl.Thevenin]:
    """Coulomb counting and EKF over every test cycle (full series), ECM identified on ``train``."""
    ecm = bl.identify_thevenin([(d.voltage_meas.to_numpy(), d.current_meas.to_numpy(), d.soc.to_numpy())
                                for d in train.values()], capacity_ah, n_knots=bcfg["ocv_knots"])
    est: dict[str, dict[str, np.ndarray]] = {"coulomb": {}, "ekf": {}}
    for name, d in test.items():
        soc0 = float(d.soc.iloc[0])  # known initial SOC, for both
        est["coulomb"][name] = bl.coulomb_count(d.current_meas.to_numpy(), soc0, capacity_ah)
        est["ekf"][name] = bl.ekf(ecm, d.voltage_meas.to_numpy(), d.current_meas.to_numpy(), soc0,
                                  q_soc=bcfg["q_soc"], q_v1=bcfg["q_v1"], r_v=bcfg["r_v"], p0_soc=bcfg["p0_soc"])
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


# the paper's training setting (section 1.2, Table 1); every departure is tagged on the training runs
PAPER_TRAIN = {"lr": 0.025, "batch_size": 10, "dropout": 0.5, "channels": 128, "test_fraction": 0.2}


def train_deviations(cfg: dict, model_name: str) -> list[tuple[str, object, str]]:
    """(key, value, why) for every training setting that differs from the paper's."""
    tr = cfg["train"]
    out: list[tuple[str, object, str]] = [
        ("data", "simulated", "CALCE drive cycles are not available offline: PyBaMM-simulated cycles"),
        ("features", "V,C-rate,T,MA(V),MA(C-rate),P/Ah", "the paper names only V, I, T of its six inputs"),
    ]
    for key, paper in PAPER_TRAIN.items():
        if tr[key] != paper:
            why = f"paper {paper}; changed for the compute budget of profile {cfg.get('_profile', '')} (docs/soc.md)"
            out.append((f"train.{key}", tr[key], why))
    kind, hidden = parse_variant(model_name, tr["lstm_hidden"])
    if kind != "cnn" and hidden != 300:
        out.append(("lstm_units", hidden, "paper text says 300 units, its Table 1 says 16; 16 used here"))
    return out
