"""Figures and table renderings of study uc (read result arrays/frames only)."""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd

from energyrepro.plotting import PAPER_STYLE, new_figure, save_figure


def table_figure(df: pd.DataFrame, png: str, title: str, fmt: dict[str, str] | None = None) -> None:
    """Render a table as an image so the Snakemake report shows it."""
    fmt = {"size": "{:.0f}", **(fmt or {})}
    cells = [[(fmt.get(c, "{}").format(v) if pd.notna(v) else "–") for c, v in row.items()]
             for _, row in df.iterrows()]
    labels = ["\n".join(textwrap.wrap(str(c), 11)) for c in df.columns]
    width = max(6.0, 0.85 * len(df.columns))
    fig, ax = new_figure(figsize=(width, 0.9 + 0.3 * (len(df) + 2)))
    ax.axis("off")
    tab = ax.table(cellText=cells, colLabels=labels, loc="center", cellLoc="right")
    for (r, _), cell in tab.get_celld().items():
        if r == 0:
            cell.set_height(cell.get_height() * 2.2)
    tab.auto_set_font_size(False)
    tab.set_fontsize(7.5)
    tab.scale(1.0, 1.25)
    ax.set_title(title, fontsize=9)
    save_figure(fig, png)


def schedule_heatmap(u: np.ndarray, png: str, title: str) -> None:
    """Table 1 as a picture: units x hours, on = dark."""
    n, t = u.shape
    fig, ax = new_figure(figsize=(6.4, max(3.0, 0.06 * n + 1.5)))
    ax.imshow(u.astype(float), aspect="auto", cmap="Greys", vmin=0, vmax=1, interpolation="nearest",
              extent=(0.5, t + 0.5, n + 0.5, 0.5))
    ax.set_xlabel("hour")
    ax.set_ylabel("unit")
    ax.set_xticks(range(1, t + 1, 2))
    ax.set_yticks(range(1, n + 1, max(1, n // 20)))
    ax.grid(False)
    ax.set_title(title)
    save_figure(fig, png)


def convergence(curves: dict[str, np.ndarray], png: str, ylabel: str, title: str,
                paper_value: float | None = None, reference: tuple[str, float] | None = None,
                zoom: bool = False) -> None:
    """Mean over seeds with a min-max band per method; curves[method] has shape (seeds, generations).

    ``zoom`` adds a right panel on the last 90 % of generations (the first ones carry large penalties).
    """
    fig, axes = new_figure(1, 2 if zoom else 1, figsize=(10, 4) if zoom else None, squeeze=False)
    for k, ax in enumerate(axes[0]):
        for method, c in curves.items():
            g = np.arange(1, c.shape[1] + 1)
            keep = g > (c.shape[1] // 10 if k else 0)
            ax.plot(g[keep], c.mean(axis=0)[keep], label=f"{method.upper()} mean of {c.shape[0]} seeds")
            ax.fill_between(g[keep], c.min(axis=0)[keep], c.max(axis=0)[keep], alpha=0.2,
                            label=f"{method.upper()} min-max")
        if paper_value is not None:
            ax.axhline(paper_value, label="paper (IHDE, Table 3)",
                       **{key: v for key, v in PAPER_STYLE.items() if key != "marker"})
        if reference is not None:
            ax.axhline(reference[1], color="#66a182", linestyle=":", label=reference[0])
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
    fig.suptitle(title)
    save_figure(fig, png)
