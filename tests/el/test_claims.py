"""Summary over seeds, Table 1 beside the paper's, and claims whose spread is the binomial uncertainty of an
accuracy on a finite validation set (synthetic histories with known counts)."""

import numpy as np
import pandas as pd
import pytest
from conftest import REPO

from energyrepro.claims import claims_frame, mark_comparability, recompute_verdicts, wilson_halfwidth
from energyrepro.config import load_config
from energyrepro.el.claims import claims, lr_ordering, one_sided_z
from energyrepro.el.summary import summarise, table1

PAPER_EL = load_config(REPO / "config" / "paper.yaml")["el"]


def _histories(correct_at_50: dict[float, list[int]], n_val: int, protocol: str = "paper") -> pd.DataFrame:
    """One row per (lr, seed) at epochs 5 and 50; ``correct`` of ``n_val`` right at 50 (balanced classes)."""
    rows = []
    for lr, per_seed in correct_at_50.items():
        for rep, c in enumerate(per_seed):
            for epoch in (5, 50):
                right = c if epoch == 50 else n_val // 2
                tp = right // 2
                tn = right - tp
                rows.append({"protocol": protocol, "learning_rate": lr, "rep": rep, "epoch": epoch,
                             "train_loss": 0.1, "train_accuracy": 0.9, "val_loss": 0.3, "accuracy": right / n_val,
                             "precision": 0.5, "recall": 0.5, "f1": 0.5, "tn": tn, "fp": n_val // 2 - tn,
                             "fn": n_val // 2 - tp, "tp": tp})
    return pd.DataFrame(rows)


def _meta(pretrained=True, protocol="paper", n_val=492):
    return {protocol: {"pretrained": pretrained, "n_train": 1964, "n_val": n_val, "computed_on": "test",
                       "run_ids": {"0.01": ["a"], "0.001": ["b"], "0.0001": ["c"]}}}


def _pct(pct: float, n: int) -> int:
    return int(round(pct / 100 * n))


def _claims(hist, meta, cfg=PAPER_EL):
    out = claims(summarise(hist), meta, cfg, "paper", "eval")
    return {c.claim_id: c for c in mark_comparability(out, cfg, PAPER_EL)}


def test_summary_means_stds_and_pooled_counts():
    s = summarise(_histories({0.01: [350, 400], 0.001: [416], 0.0001: [419]}, 492))
    r = s[(s.learning_rate == 0.01) & (s.epoch == 50)].iloc[0]
    assert r.accuracy_mean == pytest.approx(375 / 492)
    assert r.accuracy_std == pytest.approx(np.std([350, 400], ddof=1) / 492)
    assert (r.n_seeds, r.correct, r.n_val) == (2, 750, 984)


def test_table1_puts_paper_values_beside_ours_with_the_binomial_interval():
    t = table1(summarise(_histories({0.01: [390], 0.001: [416], 0.0001: [423]}, 492)), [5, 50])
    row = t[(t.learning_rate == 0.0001) & (t.epochs == 50)].iloc[0]
    assert row.paper_accuracy_pct == pytest.approx(85.16) and row.accuracy_pct == pytest.approx(100 * 423 / 492)
    assert row.accuracy_ci95_pct == pytest.approx(100 * wilson_halfwidth(423 / 492, 492))
    assert len(t) == 3 * 5  # our epochs {5, 50} are inside the paper's grid


def test_the_spread_is_the_binomial_uncertainty_so_small_validation_sets_are_lenient():
    """4 points below the paper: refuted on 3 x 492 images, within the noise of 3 x 78 real cells."""
    big = _claims(_histories({lr: [_pct(a - 4, 492)] * 3 for lr, a in ((0.01, 79.27), (0.001, 84.55),
                                                                      (0.0001, 85.16))}, 492), _meta())
    small = _claims(_histories({lr: [_pct(a - 4, 78)] * 3 for lr, a in ((0.01, 79.27), (0.001, 84.55),
                                                                       (0.0001, 85.16))}, 78, "clean"),
                    _meta(protocol="clean", n_val=78))
    assert big["paper.accuracy_lr0.0001_e50"].verdict == "not reproduced"
    assert 3 < big["paper.accuracy_lr0.0001_e50"].spread < 4
    assert small["clean.accuracy_lr0.0001_e50"].verdict == "reproduced"
    assert 5.5 < small["clean.accuracy_lr0.0001_e50"].spread < 7
    c = big["paper.accuracy_lr0.0001_e50"]
    assert c.tolerance == pytest.approx(0.005) and "Wilson" in c.tolerance_rule and c.kind == "claim"


def test_clearly_above_the_paper_is_better_than_paper_and_the_band_flips_the_verdict():
    hist = _histories({0.01: [_pct(95, 492)] * 3, 0.001: [_pct(84.55, 492)] * 3, 0.0001: [_pct(85.16, 492)] * 3},
                      492)
    got = _claims(hist, _meta())
    assert got["paper.accuracy_lr0.01_e50"].verdict == "better than paper"
    assert got["paper.best_accuracy_lr0.01"].verdict == "better than paper"
    c = got["paper.accuracy_lr0.0001_e50"]
    assert c.verdict == "reproduced"
    band = c.tolerance + c.spread
    for sign in (1, -1):
        moved = claims_frame([c]).assign(our_value=c.paper_value + sign * (band + 0.01))
        assert recompute_verdicts(moved.assign(verdict="")).iloc[0] != "reproduced"


def test_best_accuracy_is_the_maximum_over_table1s_epochs():
    hist = _histories({0.01: [400], 0.001: [416], 0.0001: [419]}, 492)
    hist.loc[(hist.learning_rate == 0.001) & (hist.epoch == 5), ["tp", "tn", "fp", "fn"]] = [240, 240, 6, 6]
    got = _claims(hist, _meta())
    best = got["paper.best_accuracy_lr0.001"]
    assert best.our_value == pytest.approx(100 * 480 / 492) and best.paper_value == pytest.approx(84.55)
    assert "at 5 (paper: 50)" in best.reason


def test_scratch_training_and_other_settings_are_not_comparable():
    hist = _histories({0.01: [390], 0.001: [416], 0.0001: [419]}, 492)
    scratch = _claims(hist, _meta(pretrained=False))
    counted = [c for c in scratch.values() if c.kind == "claim"]
    assert {c.verdict for c in counted} == {"not comparable"}
    assert all("pretrained=false" in c.reason for c in counted)
    small = _claims(hist, _meta(), cfg={**PAPER_EL, "input_size": 64})
    assert small["paper.accuracy_lr0.01_e50"].verdict == "not comparable"
    assert "el.input_size=64 (paper profile: 224)" in small["paper.accuracy_lr0.01_e50"].reason


def test_lr_ordering_does_not_hinge_on_a_small_gap():
    n = 1476
    holds, why = lr_ordering({0.01: (_pct(79.27, n), n), 0.001: (_pct(84.55, n), n), 0.0001: (_pct(85.16, n), n)})
    assert holds and "lr 0.001 -> 0.0001: +0.61 points" in why  # 1257 vs 1248 of 1476
    flat, _ = lr_ordering({0.01: (1200, n), 0.001: (1201, n), 0.0001: (1202, n)})
    assert not flat  # no practical, significant gain
    reversed_mid, why = lr_ordering({0.01: (1100, n), 0.001: (1300, n), 0.0001: (1200, n)})
    assert not reversed_mid and "significantly worse" in why  # 0.001 -> 0.0001 loses 6.8 points
    gain, p = one_sided_z(60, 100, 50, 100)
    assert gain == pytest.approx(10) and p == pytest.approx(0.0776, abs=1e-4)  # z = 0.1 / sqrt(.55 .45 .02) = 1.42


def test_the_papers_own_table_supports_its_statement_only_as_a_consistency_row():
    got = _claims(_histories({0.01: [390], 0.001: [416], 0.0001: [419]}, 492), _meta())
    support = got["paper.lower_lr_higher_accuracy_support"]
    assert support.kind == "consistency" and support.our_value is True
    assert "lr 0.001 -> 0.0001" in support.reason
    statement = got["paper.lower_lr_higher_accuracy"]
    assert statement.kind == "claim" and isinstance(statement.our_value, bool)
