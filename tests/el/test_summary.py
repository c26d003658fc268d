"""Summary over seeds, Table 1 beside the paper's, and claims with computed verdicts (synthetic histories)."""

import numpy as np
import pandas as pd
import pytest

from energyrepro.el.summary import claims, lower_lr_is_better, summarise, table1

CFG = {"input_size": 224, "tolerance_pct": 3.0}


def _histories(acc_at_50: dict[float, list[float]]) -> pd.DataFrame:
    rows = []
    for lr, accs in acc_at_50.items():
        for rep, acc in enumerate(accs):
            for epoch in (5, 50):
                a = acc if epoch == 50 else 0.5
                rows.append({"protocol": "paper", "learning_rate": lr, "rep": rep, "epoch": epoch,
                             "train_loss": 0.1, "train_accuracy": 0.9, "val_loss": 0.3, "accuracy": a,
                             "precision": a, "recall": a, "f1": a, "tn": 0, "fp": 0, "fn": 0, "tp": 0})
    return pd.DataFrame(rows)


def _meta(pretrained: bool) -> dict:
    return {"paper": {"pretrained": pretrained, "n_train": 1964, "n_val": 492,
                      "run_ids": {"0.01": ["a"], "0.001": ["b"], "0.0001": ["c"]}}}


def test_summary_mean_and_sample_std_over_seeds():
    s = summarise(_histories({0.01: [0.70, 0.80], 0.001: [0.84], 0.0001: [0.85]}))
    r = s[(s.learning_rate == 0.01) & (s.epoch == 50)].iloc[0]
    assert r.accuracy_mean == pytest.approx(0.75) and r.accuracy_std == pytest.approx(np.std([0.7, 0.8], ddof=1))
    assert r.n_seeds == 2
    assert s[(s.learning_rate == 0.001) & (s.epoch == 50)].accuracy_std.iloc[0] == 0.0


def test_table1_puts_paper_values_beside_ours():
    t = table1(summarise(_histories({0.01: [0.79], 0.001: [0.84], 0.0001: [0.86]})), [5, 50])
    row = t[(t.learning_rate == 0.0001) & (t.epochs == 50)].iloc[0]
    assert row.paper_accuracy_pct == pytest.approx(85.16) and row.accuracy_pct == pytest.approx(86.0)
    assert len(t) == 3 * 5  # our epochs {5, 50} are inside the paper's grid


def test_claims_verdicts_are_computed():
    s = summarise(_histories({0.01: [0.7927], 0.001: [0.80], 0.0001: [0.8516]}))
    got = {c.claim_id: c for c in claims(s, _meta(True), CFG, "paper", "eval")}
    assert got["paper.accuracy_lr0.0001_e50"].verdict == "reproduced"
    assert got["paper.accuracy_lr0.001_e50"].verdict == "not reproduced"  # 80.00 vs 84.55 > 3 points
    assert got["paper.lower_lr_higher_accuracy"].verdict == "reproduced"  # 79.27 < 80 < 85.16
    scratch = claims(s, _meta(False), CFG, "paper", "eval")
    assert {c.verdict for c in scratch} == {"not comparable"}
    assert all("pretrained=false" in c.reason for c in scratch)


def test_lower_lr_statement_is_strict():
    s = summarise(_histories({0.01: [0.85], 0.001: [0.80], 0.0001: [0.80]}))
    holds, text = lower_lr_is_better(s, "paper", 50)
    assert not holds and "lr 0.0001: 80.00%" in text
