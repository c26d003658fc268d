"""Per-seed results -> mean ± std per (dataset, protocol, setting, method), and Tables 2-3 beside the paper's."""

from __future__ import annotations

import numpy as np
import pandas as pd

from energyrepro.soc import paper as P

LABELS = {"cnn": "CNN", "lstm": "LSTM", "cnnlstm": "CNN-LSTM", "coulomb": "Coulomb (honest)",
          "ekf": "EKF (honest)", "coulomb_ideal": "Coulomb, ideal", "ekf_ideal": "EKF, ideal"}
SETTING_LABELS = {"paper": "paper's", "tuned": "validation", "": "-"}
METRICS = ("rmse", "mae", "r2", "max_abs")


def label(method: str) -> str:
    """'cnnlstm-h300-ah' -> 'CNN-LSTM (300 units, + charge input)'."""
    parts = method.split("-")
    extra = [f"{p[1:]} units" for p in parts[1:] if p.startswith("h")] + \
            ["+ charge input" for p in parts[1:] if p == "ah"]
    base = LABELS.get(parts[0], parts[0]) if parts[0] in ("cnn", "lstm", "cnnlstm") else LABELS.get(method, method)
    return base + (f" ({', '.join(extra)})" if extra else "")


def long_frame(train_jsons: list[dict], baselines_json: dict) -> pd.DataFrame:
    """One row per (dataset, method, setting, protocol, seed) from the training and baseline JSONs."""
    rows = []
    for obj in train_jsons:
        rows += [{**{k: v for k, v in r.items() if k != "history"}, "kind": "network", "run_id": obj["run_id"]}
                 for r in obj["records"]]
    rows += [{**r, "kind": "baseline", "run_id": baselines_json["run_id"]} for r in baselines_json["records"]]
    return pd.DataFrame(rows)


def summarise(long: pd.DataFrame) -> pd.DataFrame:
    """Mean and standard deviation over seeds of every metric."""
    metrics = [m for m in METRICS if m in long]
    g = long.groupby(["dataset", "protocol", "setting", "method", "kind"], sort=False)
    out = g[metrics].agg(["mean", "std"])
    out.columns = [f"{a}{'' if b == 'mean' else '_std'}" for a, b in out.columns]
    out["n_seeds"] = g.size()
    out["run_id"] = g.run_id.first()
    return out.fillna({f"{m}_std": 0.0 for m in metrics}).reset_index()


def paper_table(summary: pd.DataFrame, dataset: str) -> pd.DataFrame:
    """Our mean ± std per protocol, setting and method, with the paper's Table 2/3 values beside the networks
    of Table 1 on the random-split rows (the paper reports its random split only, at its own setting)."""
    ref = P.paper()["tables"][dataset]
    df = summary[summary.dataset == dataset].copy()
    df.insert(0, "Method", [label(m) for m in df.method])
    df.insert(1, "Setting", [SETTING_LABELS.get(s, s) for s in df.setting])
    for k in ("rmse", "mae", "r2"):
        df[f"paper_{k}"] = [float(ref[m][k]) if m in ref and p == "random" and s == "paper" else np.nan
                            for m, p, s in zip(df.method, df.protocol, df.setting)]
    order = {"random": 0, "heldout": 1}
    df = df.assign(_p=df.protocol.map(order), _s=df.setting.map({"paper": 0, "tuned": 1, "": 2}),
                   _k=df.kind.map({"network": 0, "baseline": 1})).sort_values(["_p", "_s", "_k"], kind="stable")
    cols = ["Method", "Setting", "protocol", "rmse", "rmse_std", "mae", "mae_std", "r2", "r2_std", "n_seeds",
            "paper_rmse", "paper_mae", "paper_r2"]
    return df[cols].reset_index(drop=True)


def figure_data(cfg: dict, cycles: dict[str, pd.DataFrame], train_npz: dict[tuple[str, str], dict],
                base_npz: dict, real_npz: list[dict]) -> dict[str, np.ndarray]:
    """Exactly what the figures draw, in one small file (the published paper run ships it, not the predictions):
    per dataset the shown setting's seed-0 estimates on one random-split cycle and on one held-out cycle with the
    honest baselines, and per held-out temperature the seed-0 estimates on its US06 cycle.

    ``train_npz``: (dataset, setting) -> arrays of a training job; ``base_npz``: the baselines' arrays;
    ``real_npz``: the arrays of every real-cell fold job.
    """
    settings = cfg["settings"]
    shown = "paper" if "paper" in settings else settings[0]
    out: dict[str, np.ndarray] = {"shown_setting": np.array(shown)}
    for dataset in ("d1", "d2"):
        arr = train_npz[(dataset, shown)]
        for protocol, cycle in (("random", cfg["datasets"][dataset]["cycles"][0]),
                                ("heldout", (cfg["heldout_cycles"] or [None])[0])):
            if protocol not in cfg["protocols"] or cycle is None:
                continue
            key = f"{dataset}/{protocol}"
            out[f"{key}/cycle"] = np.array(cycle)
            out[f"{key}/time_s"] = cycles[cycle].time_s.to_numpy(np.float32)
            out[f"{key}/soc"] = cycles[cycle].soc.to_numpy(np.float32)
            sel = arr[f"{shown}/{protocol}/s0/cycle"] == cycle
            out[f"{key}/end"] = arr[f"{shown}/{protocol}/s0/end"][sel]
            for m in cfg["models"]:
                if f"{m}/{shown}/{protocol}/s0/pred" in arr:
                    out[f"{key}/pred/{m}"] = arr[f"{m}/{shown}/{protocol}/s0/pred"][sel].astype(np.float32)
            for m in ("coulomb", "ekf"):
                series = base_npz.get(f"{dataset}/{m}/{protocol}/series/{cycle}")
                if series is not None and protocol == "heldout":
                    out[f"{key}/baseline/{m}"] = series.astype(np.float32)
    for z in real_npz:
        for fold in sorted({k.split("/")[0] for k in z}):
            sel = np.char.startswith(z[f"{fold}/cycle"].astype(str), "us06")
            out[f"real/{fold}/y"] = z[f"{fold}/y"][sel].astype(np.float32)
            for key in z:
                if key.startswith(f"{fold}/") and key.endswith("/s0/pred"):
                    out[f"real/{fold}/pred/{key.split('/')[1]}"] = z[key][sel].astype(np.float32)
    return out


def histories(train_jsons: list[dict]) -> pd.DataFrame:
    """Per-epoch curves of every training run: (dataset, setting, method, protocol, seed, epoch, train_mse,
    val_mae, test_mae); val_mae is empty for the paper setting (it has no validation split)."""
    rows = []
    for obj in train_jsons:
        for r in obj["records"]:
            h = r["history"]
            n = len(h["train_mse"])
            val = h.get("val_mae") or [np.nan] * n
            rows += [{"dataset": r["dataset"], "setting": r["setting"], "method": r["method"],
                      "protocol": r["protocol"], "seed": r["seed"], "epoch": e, "train_mse": h["train_mse"][e],
                      "val_mae": val[e], "test_mae": h["test_mae"][e]} for e in range(n)]
    return pd.DataFrame(rows)
