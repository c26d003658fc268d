"""Figures and table images of study uc: one function per paper figure/table, each returning a Figure."""

from __future__ import annotations

import numpy as np
import pandas as pd

from energyrepro.plotting import PAPER_STYLE, new_figure, table_figure
from energyrepro.uc.lr import LABEL_OF as LABEL

MONEY = "{:,.0f}"


def table1_schedule(u: np.ndarray, method: str, cost: float, gap_pct: float):
    """Table 1 as a picture: units x hours of the best schedule, on = dark."""
    n, t = u.shape
    fig, ax = new_figure(figsize=(6.4, max(3.0, 0.06 * n + 1.5)))
    ax.imshow(u.astype(float), aspect="auto", cmap="Greys", vmin=0, vmax=1, interpolation="nearest",
              extent=(0.5, t + 0.5, n + 0.5, 0.5))
    ax.set_xlabel("hour")
    ax.set_ylabel("unit")
    ax.set_xticks(range(1, t + 1, 2))
    ax.set_yticks(range(1, n + 1, max(1, n // 20)))
    ax.grid(False)
    ax.set_title(f"Table 1 (reproduced): best {LABEL[method]} schedule, {n} units, cost {cost:,.0f} $ "
                 f"({gap_pct:.3f} % above the optimum)", fontsize=9)
    return fig


def convergence(curves: dict[str, np.ndarray], fig_no: int, what: str, ylabel: str, size: int,
                paper_value: float | None, optimum: float, zoom: bool):
    """Figs 2-3: mean over seeds with a min-max band per method; curves[method] has shape (seeds, generations).

    ``zoom`` adds a right panel on the last 90 % of generations (the first ones carry large penalties).
    """
    fig, axes = new_figure(1, 2 if zoom else 1, figsize=(10, 4) if zoom else None, squeeze=False)
    for k, ax in enumerate(axes[0]):
        for method, c in sorted(curves.items(), key=lambda mc: mc[0] != "hde_matched"):  # drawn first: wide
            g = np.arange(1, c.shape[1] + 1)
            keep = g > (c.shape[1] // 10 if k else 0)
            ax.plot(g[keep], c.mean(axis=0)[keep], label=f"{LABEL.get(method, method)}: mean of {c.shape[0]} runs",
                    **({"linewidth": 4, "alpha": 0.5} if method == "hde_matched" else {}))
            ax.fill_between(g[keep], c.min(axis=0)[keep], c.max(axis=0)[keep], alpha=0.2)
        if paper_value is not None:
            ax.axhline(paper_value, label="paper (IHDE, Table 3)",
                       **{key: v for key, v in PAPER_STYLE.items() if key != "marker"})
        ax.axhline(optimum, color="#66a182", linestyle=":", label="proven optimum (MILP)")
        ax.set_xlabel("generation")
        if k == 0:
            ax.set_ylabel(ylabel)
        if zoom and k == 0:
            ax.set_yscale("log")
            ax.set_title("all generations (log scale)")
        else:
            ax.ticklabel_format(axis="y", useOffset=False, style="plain")
            if zoom:
                ax.set_title("after the first 10 % of generations")
        if k == len(axes[0]) - 1:
            ax.legend(fontsize=7, loc="upper right")
    fig.suptitle(f"Fig. {fig_no} (reproduced): {what} convergence, {size} units (band: min-max over runs)")
    return fig


def table2(t2: pd.DataFrame):
    money = ("best", "mean", "worst", "std", "optimum") + tuple(c for c in t2.columns if c.startswith("paper"))
    return table_figure(t2, "Table 2 (reproduced): cost over runs [$], gap to the proven optimum, evaluations, "
                            "migrations per run", {**{c: MONEY for c in money if c in t2.columns},
                                                   **{c: "{:.4f}" for c in t2.columns if "gap" in c},
                                                   "CPU s/run": "{:.1f}", "evaluations": "{:.0f}",
                                                   "migrations/run": "{:.2f}", "size": "{:.0f}"})


def table3(t3: pd.DataFrame):
    show = t3[["size"] + [c for c in t3.columns if c.startswith(("paper ", "our ")) and "gap" not in c]
              + ["optimum"] + [c for c in ("gap paper IHDE %", "gap our IHDE %") if c in t3.columns]]
    return table_figure(show, "Table 3 (reproduced): the paper's columns beside our best runs and the proven "
                              "optimum [$]",
                        {**{c: MONEY for c in show.columns if not c.startswith("gap")},
                         **{c: "{:.4f}" for c in show.columns if c.startswith("gap")}, "size": "{:.0f}"})


def table_optimum(opt: pd.DataFrame):
    return table_figure(opt, "The exact yardstick: proven optimum per size (aggregated MILP, HiGHS), re-priced by "
                             "the independent checker",
                        {"optimum": "{:,.2f}", "bound": "{:,.2f}", "gap": "{:.1e}", "CPU s": "{:.1f}",
                         "size": "{:.0f}"})


def table_migration(mig: pd.DataFrame):
    return table_figure(mig, "Migration (eqs. 21-23): migrations per IHDE run and cost by eps1",
                        {"best": MONEY, "mean": MONEY, "gap_best_pct": "{:.4f}", "gap_mean_pct": "{:.4f}",
                         "migrations_mean": "{:.2f}", "min_diversity": "{:.2f}", "evaluations": "{:.0f}",
                         "size": "{:.0f}"})
