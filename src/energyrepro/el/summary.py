"""From per-run histories to the sweep summary (mean and std over seeds), Table 1 and the claims."""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np
import pandas as pd

from energyrepro.claims import Claim
from energyrepro.el import paper

METRICS = ["train_loss", "train_accuracy", "val_loss", "accuracy", "precision", "recall", "f1", "tn", "fp", "fn", "tp"]
KEYS = ["protocol", "learning_rate", "epoch"]


def summarise(histories: pd.DataFrame) -> pd.DataFrame:
    """Per (protocol, learning_rate, epoch): ``<metric>_mean``, ``<metric>_std`` over seeds and ``n_seeds``.
    The std is the sample std (ddof=1), 0 with one seed."""
    g = histories.groupby(KEYS)[METRICS]
    mean, std = g.mean().add_suffix("_mean"), g.std(ddof=1).fillna(0.0).add_suffix("_std")
    out = pd.concat([mean, std], axis=1)
    out["n_seeds"] = histories.groupby(KEYS)["rep"].nunique()
    return out.reset_index()


def table1(summary: pd.DataFrame, epochs: list[int]) -> pd.DataFrame:
    """Table 1 in long form: ours (percent, at the configured epoch counts) and the paper's accuracy, on
    the union of both epoch grids (a blank side where that run does not exist)."""
    ours = summary[summary["epoch"].isin(epochs)].rename(columns={"epoch": "epochs"})
    ours = ours.assign(accuracy_pct=100 * ours["accuracy_mean"], accuracy_std_pct=100 * ours["accuracy_std"],
                       lr_key=ours["learning_rate"].round(12))
    ref = paper.table1()
    ref = pd.concat([ref.assign(protocol=p) for p in dict.fromkeys(summary["protocol"])], ignore_index=True)
    ref = ref.assign(lr_key=ref["learning_rate"].round(12)).drop(columns="learning_rate")
    t = ours.merge(ref, on=["protocol", "lr_key", "epochs"], how="outer")
    t["learning_rate"] = t["lr_key"]
    cols = ["protocol", "learning_rate", "epochs", "paper_accuracy_pct", "accuracy_pct", "accuracy_std_pct",
            "precision_mean", "recall_mean", "f1_mean", "n_seeds"]
    return t[cols].sort_values(["protocol", "learning_rate", "epochs"], ascending=[True, False, True]) \
        .reset_index(drop=True)


def lower_lr_is_better(summary: pd.DataFrame, protocol: str, epoch: int) -> tuple[bool, str]:
    """The paper's statement as a test: mean accuracy strictly rises as the learning rate falls, at ``epoch``."""
    at = summary[(summary["protocol"] == protocol) & (summary["epoch"] == epoch)].sort_values("learning_rate")
    acc = at["accuracy_mean"].to_numpy()
    holds = bool(len(acc) >= 2 and np.all(np.diff(acc) < 0))
    detail = ", ".join(f"lr {lr:g}: {100 * a:.2f}%" for lr, a in zip(at["learning_rate"], acc))
    return holds, f"test: mean validation accuracy strictly decreasing in learning rate at {epoch} epochs ({detail})"


def claims(summary: pd.DataFrame, meta: Mapping[str, Mapping[str, Any]], cfg: Mapping[str, Any], profile: str,
           eval_run_id: str) -> list[Claim]:
    """The paper's headline numbers and its learning-rate statement, per protocol, with computed verdicts.

    ``meta[protocol]`` holds what the training jobs recorded: ``pretrained``, ``n_train``, ``n_val``,
    ``run_ids`` ({learning_rate: [run ids over seeds]}). A claim is comparable only when the model was
    fine-tuned from ImageNet weights (the paper's method) and the paper's epoch count was run.
    """
    p = paper.load_paper()
    head_ep = int(p["headline_epochs"])
    claims_out = []
    for protocol, m in meta.items():
        s = summary[summary["protocol"] == protocol]
        our_ep = head_ep if head_ep in set(s["epoch"]) else int(s["epoch"].max())
        setting = (f"{profile} profile, protocol {protocol}: {m['n_train']} train / {m['n_val']} validation images "
                   f"at {cfg['input_size']} px, {int(s['n_seeds'].max())} seed(s), our value at {our_ep} epochs")
        problems = []
        if not m["pretrained"]:
            problems.append("trained from scratch: no ImageNet AlexNet weights offline (deviation.pretrained=false), "
                            "so this does not test the paper's transfer learning")
        if our_ep != head_ep:
            problems.append(f"the paper's {head_ep}-epoch run is not in this profile's sweep")
        if profile != "paper":
            problems.append("quick/test profile: smaller data and inputs, verdicts expected to differ")
        reason = "; ".join([setting, *problems, "ELPV cells instead of the authors' lab images"])
        for lr, by_ep in p["table1"].items():
            row = s[np.isclose(s["learning_rate"], float(lr)) & (s["epoch"] == our_ep)]
            ours = 100 * float(row["accuracy_mean"].iloc[0]) if len(row) else None
            spread = 100 * float(row["accuracy_std"].iloc[0]) if len(row) else 0.0
            runs = ";".join(m["run_ids"].get(f"{float(lr):g}", []))
            claims_out.append(Claim(
                "el", f"{protocol}.accuracy_lr{float(lr):g}_e{head_ep}",
                f"validation accuracy at learning rate {float(lr):g} after {head_ep} epochs ({protocol} protocol)",
                float(by_ep[head_ep]), ours, unit="%", tolerance=float(cfg["tolerance_pct"]), spread=spread,
                reason=reason, mlflow_run_id=runs or eval_run_id, profile=profile,
                comparable=bool(m["pretrained"]) and our_ep == head_ep))
        holds, test = lower_lr_is_better(summary, protocol, our_ep)
        claims_out.append(Claim(
            "el", f"{protocol}.lower_lr_higher_accuracy",
            f"lower learning rates give higher accuracy ({protocol} protocol)",
            bool(p["lower_lr_higher_accuracy"]), holds, reason=f"{test}; {reason}", mlflow_run_id=eval_run_id,
            profile=profile, comparable=bool(m["pretrained"])))
    return claims_out
