"""The study's figures, one function per paper figure or table image, drawn from result files only."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator

from energyrepro.plotting import PAPER_STYLE, new_figure, table_figure

CLASS_NAMES = ("functional", "defective")


def fig5_augmentation(images: pd.DataFrame, cells: pd.DataFrame, root: str | os.PathLike, cells_per_class: int = 2,
                      columns: int = 6):
    """Paper Fig. 5's idea: real cells (first column) beside their flipped/rotated copies, for a few cells of
    each class, from one training job's image list and the ingested originals."""
    from energyrepro.el.augment import apply_transform
    from energyrepro.el.ingest import load_cell

    aug = images[images["transform"] != "identity"]
    counts = aug.groupby("source_id").size().sort_values(ascending=False, kind="stable")
    label_of = images.drop_duplicates("source_id").set_index("source_id")["label"]
    file_of = cells.set_index("id")["file"]
    chosen = [sid for lab in (0, 1) for sid in [s for s in counts.index if label_of[s] == lab][:cells_per_class]]
    columns = min(columns, 1 + int(counts.max()))
    fig, axes = new_figure(len(chosen), columns, figsize=(1.6 * columns, 1.75 * len(chosen)), squeeze=False)
    for row, sid in zip(axes, chosen):
        cell = load_cell(Path(root) / file_of[sid])
        copies = images[images["source_id"] == sid].sort_values("transform", key=lambda t: t != "identity")
        for ax, r in zip(row, list(copies.itertuples())[:columns]):
            ax.imshow(apply_transform(cell, r.transform), cmap="gray", vmin=0, vmax=255)
            ax.set_title(("original" if r.transform == "identity" else r.transform) +
                         (f"\n{CLASS_NAMES[r.label]} ({r.split})"), fontsize=7)
        for ax in row:
            ax.axis("off")
    fig.suptitle("Real ELPV cells (left) and their seeded flip/rotation copies (cf. paper Fig. 5, section 3.1)",
                 fontsize=9)
    return fig


def figs6_8_curves(summary: pd.DataFrame, lr: float, fig_no: str, paper_acc: float | None, pretrained: bool):
    """Paper Figs 6-8 for one learning rate: confusion matrix at the longest run and the per-epoch
    accuracy and loss curves (mean over seeds, band = +-1 std), one row per protocol."""
    protocols = list(dict.fromkeys(summary["protocol"]))
    fig, axes = new_figure(len(protocols), 3, figsize=(12, 3.4 * len(protocols)), squeeze=False)
    for (ax_cm, ax_acc, ax_loss), protocol in zip(axes, protocols):
        s = summary[(summary["protocol"] == protocol) & np.isclose(summary["learning_rate"], lr)].sort_values("epoch")
        last = s.iloc[-1]
        cm = np.array([[last.tn_mean, last.fp_mean], [last.fn_mean, last.tp_mean]])
        ax_cm.imshow(cm, cmap="Blues", vmin=0)
        ax_cm.grid(False)
        for (i, j), v in np.ndenumerate(cm):
            ax_cm.text(j, i, f"{v:.4g}\n({100 * v / cm[i].sum():.1f}% of row)" if cm[i].sum() else "0",
                       ha="center", va="center", fontsize=8, color="white" if v > cm.max() / 2 else "black")
        ax_cm.set_xticks([0, 1], [f"pred. {c}" for c in CLASS_NAMES], fontsize=8)
        ax_cm.set_yticks([0, 1], [f"true {c}" for c in CLASS_NAMES], fontsize=8)
        ax_cm.set_title(f"{protocol}: confusion after {int(last.epoch)} epochs\n"
                        f"(validation images, mean over {int(last.n_seeds)} seed(s))")
        ep = s["epoch"].to_numpy()
        for key, label, ax in (("train_accuracy", "training", ax_acc), ("accuracy", "validation", ax_acc),
                               ("train_loss", "training", ax_loss), ("val_loss", "validation", ax_loss)):
            scale = 100 if "accuracy" in key else 1
            m, sd = scale * s[f"{key}_mean"].to_numpy(), scale * s[f"{key}_std"].to_numpy()
            ax.plot(ep, m, marker=".", label=label)
            ax.fill_between(ep, m - sd, m + sd, alpha=0.2)
        if paper_acc is not None:
            ax_acc.axhline(paper_acc, **{k: v for k, v in PAPER_STYLE.items() if k != "marker"},
                           label="paper, 50 epochs")
        ax_acc.set(xlabel="epoch", ylabel="accuracy (%)", title=f"{protocol}: accuracy, lr={lr:g}")
        ax_loss.set(xlabel="epoch", ylabel="cross-entropy loss", title=f"{protocol}: loss, lr={lr:g}")
        for ax in (ax_acc, ax_loss):
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            ax.legend(fontsize=8)
    origin = "ImageNet-pretrained" if pretrained else "from scratch (no ImageNet weights: deviation.pretrained=false)"
    fig.suptitle(f"Reproduction of paper Fig. {fig_no}: AlexNet, learning rate {lr:g}, {origin}", fontsize=10)
    fig.tight_layout()
    return fig


def fig9_accuracy_vs_epochs(table: pd.DataFrame, paper_table: pd.DataFrame, pretrained: bool):
    """Paper Fig. 9: validation accuracy vs epochs per learning rate (ours: accuracy pooled over seeds with its 95 %
    Wilson interval; the paper's whole Table 1 row dashed, also where our profile runs other epoch counts)."""
    protocols = list(dict.fromkeys(table["protocol"]))
    fig, axes = new_figure(1, len(protocols), figsize=(5.2 * len(protocols), 3.8), squeeze=False, sharey=True)
    for ax, protocol in zip(axes[0], protocols):
        t = table[table["protocol"] == protocol]
        for i, (lr, g) in enumerate(t.groupby("learning_rate", sort=False)):
            color = f"C{i}"
            g = g.dropna(subset=["accuracy_pct"])
            ax.errorbar(g["epochs"], g["accuracy_pct"], yerr=g["accuracy_ci95_pct"], color=color, marker="o",
                        capsize=3, label=f"ours, lr={lr:g}")
            ref = paper_table[np.isclose(paper_table["learning_rate"], lr)].sort_values("epochs")
            if len(ref):
                ax.plot(ref["epochs"], ref["paper_accuracy_pct"], **{**PAPER_STYLE, "color": color},
                        label=f"paper, lr={lr:g}")
        ax.axhline(50, color="grey", lw=0.8, ls=":", label="chance (balanced)")
        ax.set(xlabel="epochs", ylabel="validation accuracy (%)", title=f"protocol {protocol}")
        ax.legend(fontsize=7, ncol=2, loc="lower right")
    origin = "ImageNet-pretrained" if pretrained else "trained from scratch (deviation.pretrained=false)"
    fig.suptitle(f"Reproduction of paper Fig. 9: accuracy vs epochs per learning rate; ours {origin}", fontsize=10)
    fig.tight_layout()
    return fig


def table1_image(table: pd.DataFrame, pretrained: bool, profile: str):
    """Table 1 beside ours, through the shared table renderer."""
    origin = "ImageNet-pretrained" if pretrained else "from scratch"
    return table_figure(table, f"Table 1 (paper) beside ours: validation accuracy in %, mean and std over seeds, "
                               f"95 % Wilson half-width on the pooled validation cases; AlexNet {origin}, "
                               f"{profile} profile", fmt={"learning_rate": "{:g}", "epochs": "{:.0f}"})
