"""One function per figure or table image of the study, each returning a matplotlib Figure."""

from __future__ import annotations

import numpy as np
import pandas as pd

from energyrepro.plotting import PAPER_STYLE, new_figure, table_figure
from energyrepro.soc.summary import label

COLORS = {"cnn": "#edae49", "lstm": "#1b6ca8", "cnnlstm": "#d1495b", "ekf": "#66a182", "coulomb": "#8d5a97"}
PCT = "{:.2f}"
SOC_AXIS = (-20.0, 120.0)  # % SOC: a diverged network's estimates (thousands of %) would hide every other curve
ERR_AXIS = (-60.0, 60.0)


def _clip_axis(ax, limits: tuple[float, float], series: dict[str, np.ndarray]) -> None:
    """Fix the y range and say, per method, how many estimates lie outside it (never drop them silently)."""
    ax.set_ylim(*limits)
    out = {m: int(np.sum((v < limits[0]) | (v > limits[1]))) for m, v in series.items()}
    text = ", ".join(f"{label(m)} {n}" for m, n in out.items() if n)
    if text:
        ax.text(0.01, 0.03, f"outside the axis: {text} estimates", transform=ax.transAxes, fontsize=7,
                color="#b00020")


def _color(method: str) -> str:
    return COLORS.get(method.split("-")[0].removesuffix("_ideal"), "grey")


def table_paper(table: pd.DataFrame, number: int, dataset: str):
    """Table 2 / 3 reproduced: our mean ± std (in % SOC) beside the paper's values."""
    df = pd.DataFrame({
        "Method": table.Method, "Setting": table.Setting, "protocol": table.protocol,
        "MAE % (ours)": [f"{100 * m:.2f} ± {100 * s:.2f}" for m, s in zip(table.mae, table.mae_std)],
        "RMSE % (ours)": [f"{100 * m:.2f} ± {100 * s:.2f}" for m, s in zip(table.rmse, table.rmse_std)],
        "R² (ours)": [f"{m:.3f}" for m in table.r2], "seeds": table.n_seeds,
        "MAE % paper": 100 * table.paper_mae, "RMSE % paper": 100 * table.paper_rmse, "R² paper": table.paper_r2})
    return table_figure(df, f"Table {number} reproduced: dataset {dataset[1]}, SOC error in % (ours: mean ± std over "
                            "seeds; setting: the paper's, or chosen on validation data; baselines: honest, or ideal = "
                            "an upper bound; paper: random 80/20 split)", wrap=16,
                        fmt={"MAE % paper": PCT, "RMSE % paper": PCT, "R² paper": "{:.4f}"},
                        highlight=table.paper_mae.notna())


def fig_soc(dataset_label: str, fig_no: int, data: dict[str, np.ndarray], dataset: str):
    """(a) random-split test windows of one training cycle; (b) a held-out cycle; (c) its estimation error.

    ``data``: the study's figure data (``summary.figure_data``): seed-0 estimates of the shown setting.
    """
    setting = str(data["shown_setting"])
    parts = [p for p in ("random", "heldout") if f"{dataset}/{p}/cycle" in data]
    n = len(parts) + ("heldout" in parts)
    fig, axes = new_figure(n, 1, figsize=(7.5, 2.6 * n + 0.4), squeeze=False)
    axes = list(axes[:, 0])
    for protocol in parts:
        key, ax = f"{dataset}/{protocol}", axes.pop(0)
        cycle, t = str(data[f"{key}/cycle"]), data[f"{key}/time_s"] / 60
        ax.plot(t, 100 * data[f"{key}/soc"], color="black", lw=1.2, label="true SOC")
        end = data[f"{key}/end"]
        order = np.argsort(end)
        models = [k.rsplit("/", 1)[1] for k in data if k.startswith(f"{key}/pred/")]
        _clip_axis(ax, SOC_AXIS, {m: 100 * data[f"{key}/pred/{m}"] for m in models})
        for m in models:
            p = data[f"{key}/pred/{m}"]
            if protocol == "random":
                ax.plot(end[order] / 60, 100 * p[order], ".", ms=1.5, color=_color(m), label=label(m))
            else:
                ax.plot(end / 60, 100 * p, lw=0.8, color=_color(m), label=label(m))
        if protocol == "random":
            ax.set(ylabel="SOC (%)", xlabel="time (min)",
                   title=f"(a) random 80/20 split (paper protocol): test windows of cycle {cycle}")
            ax.legend(fontsize=7, markerscale=6, ncol=3)
            continue
        ax_err = axes.pop(0)
        y = data[f"{key}/soc"][end]
        for m in models:
            ax_err.plot(end / 60, 100 * (data[f"{key}/pred/{m}"] - y), lw=0.8, color=_color(m), label=label(m))
        for m in ("coulomb", "ekf"):
            if f"{key}/baseline/{m}" in data:
                series = data[f"{key}/baseline/{m}"]
                ax.plot(t, 100 * series, lw=0.8, ls=":", color=COLORS[m], label=label(m))
                ax_err.plot(t, 100 * (series - data[f"{key}/soc"]), lw=0.8, ls=":", color=COLORS[m], label=label(m))
        ax.set(ylabel="SOC (%)", xlabel="time (min)", title=f"(b) held-out cycle {cycle} (never trained on)")
        ax.legend(fontsize=7, ncol=3)
        ax_err.axhline(0, color="grey", lw=0.5)
        _clip_axis(ax_err, ERR_AXIS, {m: 100 * (data[f"{key}/pred/{m}"] - y) for m in models})
        ax_err.set(ylabel="estimate - true (% SOC)", xlabel="time (min)", title="(c) error on the held-out cycle")
    which = "the paper's setting" if setting == "paper" else "setting chosen on validation data"
    fig.suptitle(f"Fig. {fig_no} reproduced: SOC estimates on {dataset_label} ({which}, seed 0, simulated cells)",
                 fontsize=10)
    fig.tight_layout()
    return fig


def fig_training_curves(histories: pd.DataFrame):
    """Per epoch, each setting: training loss (dropout on) and test / validation MAE (inference mode), for the
    networks of Table 1 on dataset 2, random split (else the first protocol), seed 0.

    ``histories``: the study's per-epoch curves (``summary.histories``).
    """
    protocol = "random" if "random" in set(histories.protocol) else histories.protocol.iloc[0]
    histories = histories[(histories.dataset == "d2") & (histories.seed == 0) & (histories.protocol == protocol)
                          & histories.method.isin(["cnn", "lstm", "cnnlstm"])]
    settings = list(dict.fromkeys(histories.setting))
    fig, axes = new_figure(len(settings), 2, figsize=(10, 3.0 * len(settings)), squeeze=False)
    for row, setting in zip(axes, settings):
        h = histories[histories.setting == setting]
        for m, g in h.groupby("method", sort=False):
            row[0].semilogy(g.epoch + 1, g.train_mse, color=_color(m), label=label(m))
            row[1].semilogy(g.epoch + 1, 100 * g.test_mae, color=_color(m), label=f"{label(m)} test")
            if g.val_mae.notna().any():
                row[1].semilogy(g.epoch + 1, 100 * g.val_mae, color=_color(m), ls="--", label=f"{label(m)} validation")
        name = {"paper": "paper's setting", "tuned": "setting chosen on validation data"}[setting]
        row[0].set(title=f"{name}: training loss (dropout on)", xlabel="epoch", ylabel="MSE")
        row[1].set(title=f"{name}: MAE in inference mode", xlabel="epoch", ylabel="MAE (% SOC)")
        row[1].legend(fontsize=6, ncol=2)
    fig.suptitle(f"Training curves, dataset 2, {protocol} protocol, seed 0 (the test curve is a diagnostic: "
                 "nothing is chosen on it)", fontsize=10)
    fig.tight_layout()
    return fig


def real_table(summary: pd.DataFrame) -> pd.DataFrame:
    """MAE (% SOC, mean ± std over seeds) per method and held-out temperature, US06 and LA92, and the mean."""
    rows = []
    for method, g in summary.groupby("method", sort=False):
        row = {"Method": label(method)}
        us = g[g.cycle.str.startswith("us06")].sort_values("held_out")
        for r in us.itertuples():
            row[f"US06 {r.held_out} °C"] = f"{100 * r.mae:.2f} ± {100 * r.mae_std:.2f}"
        row["US06 mean"] = f"{100 * us.mae.mean():.2f}"
        la = g[g.cycle.str.startswith("la92")]
        if len(la):
            own = la[la.held_out == -20]
            row["LA92 -20 °C (fold -20)"] = f"{100 * own.mae.mean():.2f}" if len(own) else ""
            row["LA92 -20 °C (other folds)"] = f"{100 * la[la.held_out != -20].mae.mean():.2f}"
        rows.append(row)
    return pd.DataFrame(rows)


def table_real(table: pd.DataFrame, peer_mae: float):
    return table_figure(table, "Real LG 18650HG2 cells, leave one temperature out: MAE in % SOC on the held-out "
                               f"US06 cycle (mean ± std over seeds). Published deep LSTM (Wong et al. 2021, trained on "
                               f"every temperature): {100 * peer_mae:.2f} % (peer, not the paper)", wrap=14)


def fig_real_error(summary: pd.DataFrame, data: dict[str, np.ndarray], peer_mae: float):
    """(a) MAE against the held-out temperature per method; (b) absolute error against the true SOC (networks and
    honest baselines, seed 0, every held-out US06 cycle; ``data``: the study's figure data)."""
    fig, (a, b) = new_figure(1, 2, figsize=(11, 4))
    us = summary[summary.cycle.str.startswith("us06")]
    for method, g in us.groupby("method", sort=False):
        g = g.sort_values("held_out")
        ls = ":" if method.endswith("_ideal") else "-"
        a.errorbar(g.held_out, 100 * g.mae, yerr=100 * g.mae_std, color=_color(method), ls=ls, marker="o", ms=3,
                   capsize=2, label=label(method))
    a.axhline(100 * peer_mae, **{**PAPER_STYLE, "marker": None}, lw=0.8,
              label="published deep LSTM, 0-25 °C (peer, not the paper)")
    a.set(yscale="log", xlabel="held-out ambient temperature (°C)", ylabel="MAE on the held-out US06 cycle (% SOC)",
          title="(a) error by held-out temperature")
    a.legend(fontsize=6)
    parts = [pd.DataFrame({"method": k.split("/")[3], "y": data[f"real/{k.split('/')[1]}/y"], "pred": v})
             for k, v in data.items() if k.startswith("real/") and "/pred/" in k and not k.endswith("_ideal")]
    bins = np.linspace(0, 1, 11)
    for method, g in pd.concat(parts, ignore_index=True).groupby("method", sort=False):
        idx = np.clip(np.digitize(g.y, bins) - 1, 0, len(bins) - 2)
        err = pd.Series(np.abs(g.pred - g.y)).groupby(idx).mean()
        b.plot(100 * (bins[err.index] + 0.05), 100 * err.to_numpy(), marker="o", ms=3, color=_color(method),
               label=label(method))
    b.set(xlabel="true SOC (%)", ylabel="mean absolute error (% SOC)", yscale="log",
          title="(b) error by SOC, all held-out US06 cycles, seed 0")
    b.legend(fontsize=7)
    fig.suptitle("Real LG 18650HG2 cells: where the error comes from", fontsize=10)
    fig.tight_layout()
    return fig
