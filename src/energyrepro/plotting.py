"""One look for every figure of every study; figures and table images saved atomically to declared paths."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from energyrepro.io import atomic_path  # noqa: E402

STYLE = {
    "figure.figsize": (6.4, 4.0),
    "figure.dpi": 110,
    "savefig.dpi": 150,
    "savefig.bbox": "tight",
    "font.size": 10,
    "axes.titlesize": 10,
    "axes.labelsize": 10,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.frameon": False,
    "lines.linewidth": 1.5,
    "axes.prop_cycle": matplotlib.cycler(color=["#1b6ca8", "#d1495b", "#00798c", "#edae49",
                                                "#66a182", "#8d5a97", "#2e4057", "#f28f3b"]),
    "pdf.fonttype": 42,
    "svg.hashsalt": "energyrepro",
}
PAPER_STYLE = {"color": "black", "linestyle": "--", "marker": "x"}
"""How a number taken from the paper is drawn (always with label 'paper')."""


def apply_style() -> None:
    plt.rcParams.update(STYLE)


def new_figure(nrows: int = 1, ncols: int = 1, **kw):
    apply_style()
    return plt.subplots(nrows, ncols, **kw)


def save_figure(fig, *paths: str | os.PathLike) -> list[Path]:
    """Save ``fig`` to exactly the given paths (format from each extension, e.g. the PNG and PDF a rule
    declares with ``multiext``) and close it. Nothing undeclared is written."""
    if not paths:
        raise ValueError("save_figure needs at least one output path")
    out = []
    for path in map(Path, paths):
        fmt = path.suffix.lstrip(".").lower()
        with atomic_path(path) as tmp:
            fig.savefig(tmp, format=fmt, metadata={"CreationDate": None} if fmt == "pdf" else None)
        out.append(path)
    plt.close(fig)
    return out


def _cell(v, fmt: str | None) -> str:
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return ""
    if fmt:
        return fmt.format(v)
    return f"{v:.4g}" if isinstance(v, float) else str(v)


def table_figure(df: pd.DataFrame, title: str, fmt: dict[str, str] | None = None, wrap: int = 12,
                 highlight: pd.Series | None = None):
    """A table drawn as an image so the Snakemake report shows it inline (the one renderer of every study).

    ``fmt`` maps a column to a format string (floats default to 4 significant digits, blanks for NaN);
    ``highlight`` is an optional boolean per row drawn with a tinted background (e.g. the paper's rows).
    """
    fmt = fmt or {}
    cells = [[_cell(v, fmt.get(c)) for c, v in row.items()] for _, row in df.iterrows()]
    labels = ["\n".join(textwrap.wrap(str(c).replace("_", " "), wrap)) or " " for c in df.columns]
    # each column as wide as its longest line (7.5 pt text: about 0.065 in a character, plus padding)
    inches = [0.065 * max(len(line) for text in [lab, *(row[j] for row in cells)] for line in text.split("\n"))
              + 0.15 for j, lab in enumerate(labels)]
    width = min(28.0, max(6.0, sum(inches) / 0.775))  # the axes span 77.5 % of a default figure
    fig, ax = new_figure(figsize=(width, 0.9 + 0.3 * (len(df) + 2)))
    ax.axis("off")
    tab = ax.table(cellText=cells or [[""] * len(df.columns)], colLabels=labels, loc="center", cellLoc="center")
    tab.auto_set_font_size(False)
    tab.set_fontsize(7.5)
    tab.scale(1.0, 1.25)
    for (r, c), cell in tab.get_celld().items():
        cell.set_width(inches[c] / sum(inches))
        if r == 0:
            cell.set_height(cell.get_height() * 2.2)
            cell.set_facecolor("#e8eef4")
        elif highlight is not None and bool(highlight.iloc[r - 1]):
            cell.set_facecolor("#f4f1e8")
    ax.set_title(title, fontsize=9)
    return fig
