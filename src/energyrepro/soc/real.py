"""Real LG 18650HG2 cells, leave one temperature out: does the paper's ranking hold on real data?

For each held-out ambient temperature T of {-20, -10, 0, 10, 25, 40} degC the networks train on every Mixed
drive cycle and every US06 cycle at the *other* temperatures (the data set's authors train on Mixed cycles)
and are tested on the US06 cycle at T, which they never saw, and on the LA92 cycle at -20 degC, a profile no
fold trains on. Inputs: V, I, T and their moving averages (``vit_ma``, Kollmeyer's standard set); labels from
the 1C capacity of each cycle's test series (:mod:`energyrepro.soc.lg_hg2`).

Training recipe (``soc.lg_hg2.train``): Adam at a fixed learning rate, the epoch with the lowest MAE on
validation blocks of the fold's training cycles (never the held-out cycle), seeds as in the simulated study.

Baselines, honest (what a BMS knows): Coulomb counting and an EKF on a Thevenin ECM identified from the fold's
training cycles at the nearest training temperatures, both starting from the SOC that the C/20 pseudo-OCV curve
of the nearest *training* temperature gives for the first voltage sample, and integrating current with the
nominal capacity. Their
idealised versions (true initial SOC, the held-out cycle's true 1C capacity) are reported as a labelled upper
bound only.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from energyrepro.seeding import derive_seed
from energyrepro.soc import baselines as bl
from energyrepro.soc import lg_hg2
from energyrepro.soc.datasets import Split, build_split
from energyrepro.soc.evaluate import mean_std, run_network, score_at

TEMPS = (-20, -10, 0, 10, 25, 40)
BASELINES = ("coulomb", "ekf", "coulomb_ideal", "ekf_ideal")


def fold_cycles(held_out: int, train_kinds: list[str], extra_tests: list[str]) -> tuple[list[str], list[str]]:
    """(training cycles, test cycles) of the fold that holds out ``held_out`` degC."""
    if held_out not in TEMPS:
        raise ValueError(f"soc.lg_hg2.held_out: {held_out} is not one of the data set's temperatures {TEMPS}")
    train = [e.name for e in lg_hg2.CATALOG if e.kind in train_kinds and e.temp_c != held_out]
    test = [e.name for e in lg_hg2.CATALOG if e.kind == "us06" and e.temp_c == held_out]
    return train, test + [n for n in extra_tests if n not in train]


def protocol_cfg(soc: dict) -> dict:
    """The study's training settings in the shape :func:`energyrepro.soc.evaluate.run_network` reads: the
    "tuned" recipe (validation blocks, best epoch) at the fixed learning rate of ``soc.lg_hg2.train``."""
    lg, tr = soc["lg_hg2"], soc["train"]
    return {"features": lg["features"],
            "train": {"epochs": lg["train"]["epochs"], "lstm_hidden": tr["lstm_hidden"], "channels": tr["channels"],
                      "dropout": tr["dropout"], "grad_clip": tr["grad_clip"], "lr": lg["train"]["lr"],
                      "batch_size": lg["train"]["batch_size"], "test_fraction": tr["test_fraction"]},
            "tuned": {"batch_size": lg["train"]["batch_size"], "lr_grid": [lg["train"]["lr"]], "grid_epochs": 1,
                      "val_fraction": lg["train"]["val_fraction"], "val_block_s": lg["train"]["val_block_s"]}}


def fold_split(cycles: dict[str, pd.DataFrame], held_out: int, soc: dict) -> Split:
    lg = soc["lg_hg2"]
    train, test = fold_cycles(held_out, lg["train_kinds"], lg["extra_tests"])
    return build_split("heldout", {c: cycles[c] for c in train}, {c: cycles[c] for c in test},
                       nominal_ah=lg["nominal_ah"], ma_s=lg["features"]["ma_s"], length=lg["features"]["window"],
                       rng=np.random.default_rng(0), train_stride=lg["train"]["train_stride"], inputs="vit_ma")


def train_fold(cycles: dict[str, pd.DataFrame], held_out: int, model: str, soc: dict, base_seed: int, device: str,
               on_epoch: Callable[[int, dict], None] | None = None) -> tuple[list[dict], dict[str, np.ndarray]]:
    """Every seed of one network in one fold: per (seed, test cycle) rows and the test arrays."""
    split = fold_split(cycles, held_out, soc)
    cfg = protocol_cfg(soc)
    rows, arrays = [], {}
    for s in range(soc["lg_hg2"]["train"]["seeds"]):
        seed = derive_seed(base_seed, "soc", "lg_hg2", held_out, model, s)
        _, m, pred, hist = run_network(model, split, cfg, "tuned", seed, device, lr=cfg["train"]["lr"],
                                       on_epoch=on_epoch)
        for c in np.unique(split.test_cycle):
            sel = split.test_cycle == c
            rows.append({"held_out": held_out, "cycle": c, "method": model, "seed": s,
                         **per_cycle_metrics(split.y_test[sel], pred[sel]), "best_epoch": m["best_epoch"],
                         "epochs_run": len(hist["train_mse"]),
                         "n_train": m["n_train"]})
        arrays[f"{held_out}/{model}/s{s}/pred"] = pred.astype(np.float32)
        arrays[f"{held_out}/{model}/s{s}/val_mae"] = np.asarray(hist["val_mae"], np.float32)
        arrays[f"{held_out}/{model}/s{s}/train_mse"] = np.asarray(hist["train_mse"], np.float32)
    arrays[f"{held_out}/y"] = split.y_test
    arrays[f"{held_out}/cycle"] = split.test_cycle.astype(str)
    arrays[f"{held_out}/end"] = split.test_end
    return rows, arrays


def per_cycle_metrics(y: np.ndarray, p: np.ndarray) -> dict:
    from energyrepro.soc.metrics import all_metrics

    if not np.all(np.isfinite(p)):
        return {"rmse": float("nan"), "mae": float("nan"), "r2": float("nan"), "max_abs": float("nan")}
    return {**all_metrics(y, p), "max_abs": float(np.max(np.abs(p - y)))}


def initial_soc(voltage0: float, temp_c: float, train_temps: list[int], full_dir=None) -> float:
    """SOC read from the first voltage on the C/20 pseudo-OCV curve of the nearest training temperature."""
    nearest = min(train_temps, key=lambda t: (abs(t - temp_c), t))
    soc, v = lg_hg2.pseudo_ocv(nearest, full_dir)
    return float(np.interp(voltage0, v, soc))


def baseline_fold(cycles: dict[str, pd.DataFrame], held_out: int, soc: dict,
                  full_dir=None) -> tuple[list[dict], dict[str, np.ndarray]]:
    """Coulomb counting and the EKF, honest and idealised, on the fold's test cycles at the networks' windows.

    The EKF's Thevenin ECM is identified from the training cycles at the two training temperatures nearest to
    the test cycle's (a BMS schedules its model by temperature; one ECM for -20 to 40 degC is far off).
    """
    lg, bcfg = soc["lg_hg2"], soc["baselines"]
    train, test = fold_cycles(held_out, lg["train_kinds"], lg["extra_tests"])
    split = fold_split(cycles, held_out, soc)
    nominal = float(lg["nominal_ah"])
    train_temps = sorted({int(cycles[c].attrs["temp_c"]) for c in train})
    est: dict[str, dict[str, np.ndarray]] = {m: {} for m in BASELINES}
    soc0_used, ecm_temps = {}, {}
    for c in test:
        d = cycles[c]
        v, i = d.voltage_meas.to_numpy(), d.current_meas.to_numpy()
        t0 = float(d.temperature_meas.iloc[0])
        near = sorted(train_temps, key=lambda t: (abs(t - t0), t))[:2]
        ecm = bl.identify_thevenin([(cycles[n].voltage_meas.to_numpy(), cycles[n].current_meas.to_numpy(),
                                     cycles[n].soc.to_numpy()) for n in train if cycles[n].attrs["temp_c"] in near],
                                   nominal, n_knots=bcfg["ocv_knots"])
        soc0 = initial_soc(float(v[0]), t0, train_temps, full_dir)
        soc0_used[c], ecm_temps[c] = soc0, near
        for suffix, s0, q in (("", soc0, nominal), ("_ideal", float(d.soc.iloc[0]), float(d.attrs["capacity_ah"]))):
            est["coulomb" + suffix][c] = bl.coulomb_count(i, s0, q)
            est["ekf" + suffix][c] = bl.ekf(bl.Thevenin(ecm.grid, ecm.ocv, ecm.r0, ecm.r1, ecm.tau, q), v, i, s0,
                                            q_soc=bcfg["q_soc"], q_v1=bcfg["q_v1"], r_v=bcfg["r_v"],
                                            p0_soc=bcfg["p0_soc"])
    rows, arrays = [], {}
    for method, series in est.items():
        _, pred = score_at(split, series)
        for c in np.unique(split.test_cycle):
            sel = split.test_cycle == c
            rows.append({"held_out": held_out, "cycle": c, "method": method, "seed": 0,
                         **per_cycle_metrics(split.y_test[sel], pred[sel]), "soc0": soc0_used[c],
                         "ecm_temps": "/".join(map(str, ecm_temps[c]))})
        arrays[f"{held_out}/{method}/s0/pred"] = pred.astype(np.float32)
    return rows, arrays


def summary(long: pd.DataFrame) -> pd.DataFrame:
    """Mean ± std over seeds per (held-out temperature, test cycle, method)."""
    out = [{"held_out": t, "cycle": c, "method": m, **mean_std(g.to_dict("records"), ("rmse", "mae", "max_abs")),
            "n_seeds": len(g)} for (t, c, m), g in long.groupby(["held_out", "cycle", "method"], sort=True)]
    return pd.DataFrame(out)


def fold_means(long: pd.DataFrame, method: str, cycle_kind: str = "us06") -> pd.DataFrame:
    """Per seed: the MAE over the held-out US06 cycles of every fold (rows: seed; columns: held-out temperature)."""
    sel = long[(long.method == method) & long.cycle.str.startswith(cycle_kind)]
    return sel.pivot_table(index="seed", columns="held_out", values="mae")
