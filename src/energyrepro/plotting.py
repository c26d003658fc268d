"""One look for every figure of every study; each figure saved as PNG and PDF, atomically."""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

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


def save_figure(fig, png_path: str | os.PathLike) -> tuple[Path, Path]:
    """Save ``fig`` to ``png_path`` and the PDF beside it; close it. Returns both paths."""
    png = Path(png_path)
    pdf = png.with_suffix(".pdf")
    for path, fmt in ((png, "png"), (pdf, "pdf")):
        with atomic_path(path) as tmp:
            fig.savefig(tmp, format=fmt, metadata={"CreationDate": None} if fmt == "pdf" else None)
    plt.close(fig)
    return png, pdf
