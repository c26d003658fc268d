"""Figures 6-7 (estimated vs true SOC over time, with error) and tables drawn as images for the report."""

from __future__ import annotations

import numpy as np
import pandas as pd

from energyrepro.plotting import new_figure, save_figure
from energyrepro.soc.summary import LABELS

COLORS = {"cnn": "#edae49", "lstm": "#1b6ca8", "cnnlstm": "#d1495b", "ekf": "#66a182", "coulomb": "#8d5a97"}


def _fmt(v: float, sd: float | None = None) -> str:
    if v is None or not np.isfinite(v):
        return ""
    return f"{v:.4f}" if sd is None else f"{v:.4f} ± {sd:.4f}"


def table_image(df: pd.DataFrame, title: str, png: str) -> None:
    """Draw a results table (ours mean ± std beside the paper's values) as a PNG/PDF."""
    cells = [[r.Method, r.protocol, _fmt(r.rmse, r.rmse_std), _fmt(r.mae, r.mae_std), _fmt(r.r2, r.r2_std),
              str(int(r.n_seeds)), _fmt(r.paper_rmse), _fmt(r.paper_mae), _fmt(r.paper_r2)] for r in df.itertuples()]
    cols = ["Method", "protocol", "RMSE (ours)", "MAE (ours)", "R² (ours)", "seeds", "RMSE paper", "MAE paper", "R² paper"]
    draw_table(cells, cols, title, png)


def draw_table(cells: list[list[str]], cols: list[str], title: str, png: str) -> None:
    """A table as an image, so the Snakemake report shows it (a CSV shows only as a download)."""
    fig, ax = new_figure(figsize=(11, 0.28 * len(cells) + 0.6))
    ax.axis("off")
    tab = ax.table(cellText=cells, colLabels=cols, loc="center", cellLoc="center")
    tab.auto_set_font_size(False)
    tab.set_fontsize(8)
    tab.auto_set_column_width(list(range(len(cols))))
    ax.set_title(title)
    save_figure(fig, png)


def soc_figure(dataset_label: str, fig_no: int, nets: dict[str, dict], base: dict, cycles: dict[str, pd.DataFrame],
               random_cycle: str | None, heldout_cycle: str | None, png: str) -> None:
    """(a) random-split test windows of one training cycle; (b) a held-out cycle; (c) its estimation error.

    ``nets``: model -> npz arrays of its training job; ``base``: the baselines' npz arrays (seed 0 shown).
    """
    panels = [p for p in (random_cycle, heldout_cycle) if p]
    fig, axes = new_figure(len(panels) + (1 if heldout_cycle else 0), 1, figsize=(7.5, 2.6 * (len(panels) + 1)),
                           sharex=False)
    axes = np.atleast_1d(axes)
    k = 0
    if random_cycle:
        ax = axes[k]
        k += 1
        df = cycles[random_cycle]
        ax.plot(df.time_s / 60, 100 * df.soc, color="black", lw=1.2, label="true SOC")
        for m, arr in nets.items():
            sel = arr["random/s0/cycle"] == random_cycle
            order = np.argsort(arr["random/s0/end"][sel])
            ax.plot(arr["random/s0/end"][sel][order] / 60, 100 * arr["random/s0/pred"][sel][order], ".", ms=1.5,
                    color=COLORS.get(m.split("-")[0]), label=LABELS.get(m, m))
        ax.set(ylabel="SOC (%)", xlabel="time (min)",
               title=f"(a) random 80/20 split (paper protocol): test windows of cycle {random_cycle}")
        ax.legend(fontsize=7, markerscale=6, ncol=3)
    if heldout_cycle:
        ax, ax_err = axes[k], axes[k + 1]
        df = cycles[heldout_cycle]
        ax.plot(df.time_s / 60, 100 * df.soc, color="black", lw=1.2, label="true SOC")
        for m, arr in nets.items():
            sel = arr["heldout/s0/cycle"] == heldout_cycle
            t, p, y = arr["heldout/s0/end"][sel] / 60, arr["heldout/s0/pred"][sel], arr["heldout/s0/y"][sel]
            ax.plot(t, 100 * p, lw=0.8, color=COLORS.get(m.split("-")[0]), label=LABELS.get(m, m))
            ax_err.plot(t, 100 * (p - y), lw=0.8, color=COLORS.get(m.split("-")[0]), label=LABELS.get(m, m))
        for m in ("coulomb", "ekf"):
            key = f"{m}/heldout/series/{heldout_cycle}"
            if key in base:
                ax.plot(df.time_s / 60, 100 * base[key], lw=0.8, ls=":", color=COLORS[m], label=LABELS[m])
                ax_err.plot(df.time_s / 60, 100 * (base[key] - df.soc), lw=0.8, ls=":", color=COLORS[m], label=LABELS[m])
        ax.set(ylabel="SOC (%)", xlabel="time (min)", title=f"(b) held-out cycle {heldout_cycle} (never trained on)")
        ax.legend(fontsize=7, ncol=3)
        ax_err.axhline(0, color="grey", lw=0.5)
        ax_err.set(ylabel="estimate - true (% SOC)", xlabel="time (min)", title="(c) error on the held-out cycle")
    fig.suptitle(f"Fig. {fig_no} reproduced: SOC estimates on {dataset_label} (seed 0, simulated cells)", fontsize=10)
    fig.tight_layout()
    save_figure(fig, png)
