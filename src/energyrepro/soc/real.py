"""Real LG 18650HG2 cycles: train on one temperature and test on the other (both ways), the baselines on the
same cycles, and models trained on simulated dataset 2 applied unchanged to the real cells.

Transfer from simulation works only because the inputs use C-rate (current / nominal capacity): the
simulated cell is a 5 Ah LG M50, the real one a 3 Ah LG HG2 (both NMC/graphite, 2.5-4.2 V).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from energyrepro.seeding import derive_seed
from energyrepro.soc.datasets import build_split
from energyrepro.soc.evaluate import baseline_estimates, mean_std, run_network, score_at
from energyrepro.soc.features import (
    MinMaxScaler,
    make_windows,
    measured_features,
    window_ends,
)
from energyrepro.soc.metrics import all_metrics


def transfer_rows(cycles: dict[str, pd.DataFrame], transfers: list, models: list[str], cfg: dict,
                  nominal_ah: float, base_seed: int, device: str, on_done=None) -> tuple[list[dict], dict]:
    """Per (train cycle -> test cycle): every network over seeds, then Coulomb counting and the EKF."""
    rows, arrays = [], {}
    for train_name, test_name in transfers:
        setting = f"{train_name} -> {test_name}"
        train, test = {train_name: cycles[train_name]}, {test_name: cycles[test_name]}
        split = build_split("heldout", train, test, nominal_ah=nominal_ah, ma_s=cfg["features"]["ma_s"],
                            length=cfg["features"]["window"], rng=np.random.default_rng(0))
        for model_name in models:
            for s in range(cfg["train"]["seeds"]):
                seed = derive_seed(base_seed, "soc", "real", setting, model_name, s)
                _, m, pred, _ = run_network(model_name, split, cfg, "paper", seed, device)
                rows.append({"setting": setting, "method": model_name, "seed": s, **m})
                if s == 0:
                    arrays[f"{setting}/{model_name}"] = pred
                if on_done:
                    on_done(setting, model_name, s, m)
        capacity = float(cycles[test_name].attrs["capacity_ah"])
        est, _ = baseline_estimates(train, test, capacity, cfg["baselines"])
        for method, series in est.items():
            m, pred = score_at(split, series)
            rows.append({"setting": setting, "method": method, "seed": 0, **m})
            arrays[f"{setting}/{method}"] = pred
        arrays[f"{setting}/y"] = split.y_test
        arrays[f"{setting}/end"] = split.test_end
    return rows, arrays


def sim_to_real_rows(cycles: dict[str, pd.DataFrame], checkpoints: dict[str, dict], nominal_ah: float,
                     device: str) -> list[dict]:
    """Models trained on simulated cells (their own scaler and window) scored on each real cycle."""
    from energyrepro.soc.evaluate import parse_variant
    from energyrepro.soc.models import build_model
    from energyrepro.soc.train import predict

    rows = []
    for model_name, ck in checkpoints.items():
        kind, hidden = parse_variant(ck["model"], ck["hidden"])
        model = build_model(kind, hidden=hidden, channels=ck["channels"])
        model.load_state_dict(ck["state_dict"])
        scaler = MinMaxScaler(np.asarray(ck["scaler"]["lo"]), np.asarray(ck["scaler"]["lo"]) + np.asarray(ck["scaler"]["span"]))
        for name, df in cycles.items():
            f = measured_features(df, nominal_ah, ck["ma_s"])
            ends = window_ends(len(df), ck["window"])
            pred = predict(model, make_windows(scaler(f), ends, ck["window"]), device)
            rows.append({"setting": f"simulated d2 -> {name}", "method": model_name, "seed": 0,
                         **all_metrics(df.soc.to_numpy()[ends], pred)})
    return rows


def real_table(long: pd.DataFrame) -> pd.DataFrame:
    """Mean ± std over seeds per (setting, method)."""
    out = [{"setting": st, "method": m, **mean_std(g.to_dict("records")), "n_seeds": len(g)}
           for (st, m), g in long.groupby(["setting", "method"], sort=False)]
    return pd.DataFrame(out)
