"""From per-run histories to the sweep summary (mean and std over seeds, pooled validation counts) and Table 1."""

from __future__ import annotations

import numpy as np
import pandas as pd

from energyrepro.claims import wilson_halfwidth
from energyrepro.el import paper

METRICS = ["train_loss", "train_accuracy", "val_loss", "accuracy", "precision", "recall", "f1", "tn", "fp", "fn", "tp"]
KEYS = ["protocol", "learning_rate", "epoch"]


def summarise(histories: pd.DataFrame) -> pd.DataFrame:
    """Per (protocol, learning_rate, epoch): ``<metric>_mean``, ``<metric>_std`` over seeds, ``n_seeds``, and the
    validation counts pooled over seeds (``correct``, ``n_val``: each seed validates on its own split, so the
    pooled accuracy is a proportion on ``n_val`` cases). The std is the sample std (ddof=1), 0 with one seed."""
    g = histories.groupby(KEYS)[METRICS]
    mean, std = g.mean().add_suffix("_mean"), g.std(ddof=1).fillna(0.0).add_suffix("_std")
    out = pd.concat([mean, std], axis=1)
    out["n_seeds"] = histories.groupby(KEYS)["rep"].nunique()
    counts = histories.assign(correct=histories["tp"] + histories["tn"],
                              n_val=histories[["tp", "tn", "fp", "fn"]].sum(axis=1)).groupby(KEYS)
    out["correct"] = counts["correct"].sum().astype(int)
    out["n_val"] = counts["n_val"].sum().astype(int)
    return out.reset_index()


def table1(summary: pd.DataFrame, epochs: list[int]) -> pd.DataFrame:
    """Table 1 in long form: ours (percent, at the configured epoch counts: mean and std over seeds, and the 95 %
    Wilson half-width of the accuracy pooled over seeds) beside the paper's accuracy, on the union of both epoch
    grids (a blank side where that run does not exist)."""
    ours = summary[summary["epoch"].isin(epochs)].rename(columns={"epoch": "epochs"})
    ci = [100 * wilson_halfwidth(c / n, n) for c, n in zip(ours["correct"], ours["n_val"])]
    ours = ours.assign(accuracy_pct=100 * ours["accuracy_mean"], accuracy_std_pct=100 * ours["accuracy_std"],
                       accuracy_ci95_pct=np.asarray(ci, dtype=float), lr_key=ours["learning_rate"].round(12))
    ref = paper.table1()
    ref = pd.concat([ref.assign(protocol=p) for p in dict.fromkeys(summary["protocol"])], ignore_index=True)
    ref = ref.assign(lr_key=ref["learning_rate"].round(12)).drop(columns="learning_rate")
    t = ours.merge(ref, on=["protocol", "lr_key", "epochs"], how="outer")
    t["learning_rate"] = t["lr_key"]
    cols = ["protocol", "learning_rate", "epochs", "paper_accuracy_pct", "accuracy_pct", "accuracy_std_pct",
            "accuracy_ci95_pct", "precision_mean", "recall_mean", "f1_mean", "n_seeds", "n_val"]
    return t[cols].sort_values(["protocol", "learning_rate", "epochs"], ascending=[True, False, True]) \
        .reset_index(drop=True)
