"""The paper's claims as rows of claims.csv: its 50-epoch accuracies, its best accuracy per learning rate,
and "lower learning rates give higher accuracy", each with the binomial uncertainty of an accuracy measured on
a finite validation set.

An accuracy on n validation cases is a proportion: at the paper's 492 validation images its 95 % Wilson
half-width is about 3 points, on the 78 real cells of our ``clean`` protocol about 9. A claim's spread is the
95 % half-width of the *difference* between the paper's number and ours (the two Wilson half-widths in
quadrature; ours pooled over the seeds, each of which validates on its own split). The learning-rate statement
is tested on those counts too, so it cannot hinge on a gap the validation set cannot resolve (the paper's
own 0.001 vs 0.0001 gap is 0.6 points).
"""

from __future__ import annotations

import math
from typing import Any, Mapping

import numpy as np
import pandas as pd

from energyrepro.claims import Claim, rounding_tolerance, statement, wilson_halfwidth
from energyrepro.el import paper

ALPHA = 0.05
"""Significance level of the learning-rate statement's tests."""
MIN_EFFECT_PCT = 1.0
"""Smallest accuracy gain (percentage points) that counts as 'higher accuracy' in practice: below one point a
defect screen would not change which learning rate one picks."""
DEPENDS_ON = ("cell_types", "label_levels", "originals_per_class", "images_per_class", "val_fraction", "input_size",
              "batch_size", "epochs", "weights", "head_lr_factor", "momentum", "weight_decay")
"""The el settings every accuracy depends on (compared with the paper profile's by ``write_claims``)."""


def one_sided_z(c1: int, n1: int, c2: int, n2: int) -> tuple[float, float]:
    """(p1 - p2 in points, one-sided p-value of H1: p1 > p2) of a two-proportion z-test with pooled variance."""
    p1, p2, pool = c1 / n1, c2 / n2, (c1 + c2) / (n1 + n2)
    se = math.sqrt(pool * (1 - pool) * (1 / n1 + 1 / n2))
    if se == 0:
        return 100 * (p1 - p2), 0.0 if p1 > p2 else 1.0
    return 100 * (p1 - p2), 0.5 * math.erfc((p1 - p2) / se / math.sqrt(2))


ORDERING_RULE = (f"statement: the lowest rate beats the highest at alpha {ALPHA:g} by at least {MIN_EFFECT_PCT:g} "
                 "points, and no step to a lower rate is significantly worse")


def lr_ordering(counts: Mapping[float, tuple[int, int]]) -> tuple[bool, str]:
    """The paper's statement as a noise-aware test on (correct, n) per learning rate: the lowest rate beats the
    highest significantly and by at least ``MIN_EFFECT_PCT``, and no step to a lower rate is significantly worse."""
    lrs = sorted(counts)
    if len(lrs) < 2:
        return False, "fewer than two learning rates: nothing to order"
    gain, p = one_sided_z(*counts[lrs[0]], *counts[lrs[-1]])
    holds, why = statement(p, ALPHA, gain, MIN_EFFECT_PCT, effect_name="accuracy gain in points",
                           test=f"one-sided two-proportion z-test, lr {lrs[0]:g} vs {lrs[-1]:g}")
    steps = []
    for low, high in zip(lrs, lrs[1:]):
        step, p_gain = one_sided_z(*counts[low], *counts[high])
        _, p_loss = one_sided_z(*counts[high], *counts[low])
        worse = p_loss < ALPHA and -step >= MIN_EFFECT_PCT
        holds &= not worse
        verdict = ("significantly worse" if worse else "a significant gain" if p_gain < ALPHA
                   else "within the binomial error")
        steps.append(f"lr {high:g} -> {low:g}: {step:+.2f} points (one-sided p={p_gain:.2g} for a gain: {verdict})")
    return bool(holds), f"{why}; steps: {'; '.join(steps)}"


def _spread(ours: tuple[int, int], paper_pct: float, paper_n: int) -> float:
    """95 % half-width (points) of our pooled accuracy minus the paper's: Wilson half-widths in quadrature."""
    (c, n), p = ours, paper_pct / 100
    return 100 * math.hypot(wilson_halfwidth(c / n, n), wilson_halfwidth(p, paper_n))


def claims(summary: pd.DataFrame, meta: Mapping[str, Mapping[str, Any]], cfg: Mapping[str, Any], profile: str,
           eval_run_id: str) -> list[Claim]:
    """Every el row of claims.csv. ``meta[protocol]`` holds what the training jobs recorded: ``pretrained``,
    ``n_train``, ``n_val``, ``run_ids`` ({learning rate: [run ids over seeds]}), ``computed_on``."""
    p = paper.paper()
    head_ep, n_paper = int(p["headline_epochs"]), int(p["setting"]["val_images"])
    tol = rounding_tolerance(int(p["table1_decimals"]))
    rule = (f"the paper's rounding ({tol:g} points); spread: 95 % binomial uncertainty of the difference, i.e. "
            f"the Wilson half-widths of our accuracy pooled over seeds (n = seeds x validation cases) and of the "
            f"paper's ({n_paper} validation images) in quadrature")
    out = [_paper_support(p, n_paper, profile)]
    for protocol, m in meta.items():
        s = summary[summary["protocol"] == protocol]
        at = {(round(float(r.learning_rate), 12), int(r.epoch)): r for r in s.itertuples()}
        setting = (f"protocol {protocol}: {m['n_train']} train / {m['n_val']} validation images per seed at "
                   f"{cfg['input_size']} px, {int(s['n_seeds'].max())} seed(s), trained on {m['computed_on']}")
        problems = [] if m["pretrained"] else [
            "trained from scratch: no ImageNet AlexNet weights (deviation.pretrained=false), so this does not test "
            "the paper's transfer learning"]
        reason = "; ".join([setting, *problems, "ELPV cells instead of the authors' lab images"])
        comparable = bool(m["pretrained"])
        for lr, by_ep in p["table1"].items():
            lr = float(lr)
            runs = ";".join(m["run_ids"].get(f"{lr:g}", [])) or eval_run_id
            row = at.get((round(lr, 12), head_ep))
            ours = None if row is None else 100 * row.correct / row.n_val
            out.append(Claim(
                "el", f"{protocol}.accuracy_lr{lr:g}_e{head_ep}",
                f"validation accuracy at learning rate {lr:g} after {head_ep} epochs ({protocol} protocol)",
                float(by_ep[head_ep]), ours, unit="%", tolerance=tol, tolerance_rule=rule,
                spread=0.0 if row is None else _spread((row.correct, row.n_val), by_ep[head_ep], n_paper),
                direction="higher_better", depends_on=DEPENDS_ON, mlflow_run_id=runs, profile=profile,
                comparable=comparable,
                reason=reason if row is not None else f"the {head_ep}-epoch run is not in this sweep; {reason}"))
            out.append(_best(protocol, lr, by_ep, at, tol, rule, n_paper, runs, profile, comparable, reason))
        out.append(_ordering(protocol, s, head_ep, cfg, eval_run_id, profile, comparable, reason))
    return out


def _best(protocol, lr, by_ep, at, tol, rule, n_paper, runs, profile, comparable, reason) -> Claim:
    """Best accuracy over the epoch counts both Table 1 and our sweep evaluate (selection bias alike)."""
    paper_ep = max(by_ep, key=lambda e: by_ep[e])
    rows = [at[(round(lr, 12), int(e))] for e in by_ep if (round(lr, 12), int(e)) in at]
    best = max(rows, key=lambda r: r.correct / r.n_val, default=None)
    where = (f"best of epochs {sorted(int(r.epoch) for r in rows)} at {int(best.epoch)} (paper: {paper_ep})"
             if best is not None else "none of Table 1's epoch counts is in this sweep")
    return Claim(
        "el", f"{protocol}.best_accuracy_lr{lr:g}",
        f"best validation accuracy at learning rate {lr:g} within {max(by_ep)} epochs ({protocol} protocol)",
        float(by_ep[paper_ep]), None if best is None else 100 * best.correct / best.n_val, unit="%",
        tolerance=tol, tolerance_rule=rule + "; both maxima over the same epoch counts",
        spread=0.0 if best is None else _spread((best.correct, best.n_val), by_ep[paper_ep], n_paper),
        direction="higher_better", depends_on=DEPENDS_ON, mlflow_run_id=runs, profile=profile,
        comparable=comparable, reason=f"{where}; {reason}")


def _ordering(protocol, s, head_ep, cfg, eval_run_id, profile, comparable, reason) -> Claim:
    epoch = head_ep if head_ep in set(s["epoch"]) else int(s["epoch"].max())
    at = s[s["epoch"] == epoch]
    holds, why = lr_ordering({float(r.learning_rate): (int(r.correct), int(r.n_val)) for r in at.itertuples()})
    return Claim(
        "el", f"{protocol}.lower_lr_higher_accuracy",
        f"lower learning rates give higher accuracy ({protocol} protocol, after {epoch} epochs)",
        bool(paper.paper()["lower_lr_higher_accuracy"]), holds, depends_on=DEPENDS_ON + ("learning_rates",),
        tolerance_rule=ORDERING_RULE,
        mlflow_run_id=eval_run_id, profile=profile, comparable=comparable, reason=f"{why}; {reason}")


def _paper_support(p: Mapping[str, Any], n_paper: int, profile: str) -> Claim:
    """The same test on the paper's own Table 1 (accuracies on its 492 validation images): what its data can show."""
    head = int(p["headline_epochs"])
    counts = {float(lr): (int(np.rint(by_ep[head] / 100 * n_paper)), n_paper) for lr, by_ep in p["table1"].items()}
    holds, why = lr_ordering(counts)
    return Claim(
        "el", "paper.lower_lr_higher_accuracy_support",
        f"the paper's own Table 1 ({head} epochs, {n_paper} validation images) supports its learning-rate statement",
        True, holds, kind="consistency", from_paper_inputs=True, profile=profile, tolerance_rule=ORDERING_RULE,
        reason=f"{why}; a step within the binomial error of {n_paper} validation images orders nothing by itself")
