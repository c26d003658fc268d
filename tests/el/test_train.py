"""A tiny training run produces the metrics the rules expect; a long run's epoch-k row equals a
k-epoch run (what justifies one run per learning rate); metrics match hand-computed values."""

import numpy as np
import pandas as pd
import pytest
import torch

from energyrepro.el.data import Normalise, epoch_order
from energyrepro.el.metrics import confusion, scores
from energyrepro.el.model import build_alexnet, resolve_weights, transfer_optimizer
from energyrepro.el.train import HISTORY_COLUMNS, train_lr, train_run
from energyrepro.seeding import seed_everything

SIZE = 64  # about the smallest input AlexNet accepts


def _data(n: int, seed: int):
    """Two separable classes: dark vs bright noisy squares, uint8 [n, 1, SIZE, SIZE]."""
    g = torch.Generator().manual_seed(seed)
    y = torch.arange(n) % 2
    x = (torch.rand(n, 1, SIZE, SIZE, generator=g) * 100 + 40 + 80 * y.view(-1, 1, 1, 1)).to(torch.uint8)
    return x, y


def _run(epochs: int, lr: float = 1e-3, seed: int = 3):
    seed_everything(seed)
    model = build_alexnet(resolve_weights("none"))
    opt = transfer_optimizer(model, lr, 20, 0.9, 1e-4)
    return train_run(model, opt, _data(24, 0), _data(12, 1), epochs, 8, seed)


def test_tiny_run_history_has_the_expected_metrics():
    seen = []
    seed_everything(0)
    model = build_alexnet(resolve_weights("none"))
    opt = transfer_optimizer(model, 1e-3, 20, 0.9, 1e-4)
    hist = train_run(model, opt, _data(24, 0), _data(12, 1), 1, 8, 0, on_epoch=seen.append)
    assert list(hist.columns) == HISTORY_COLUMNS and len(hist) == 1 and len(seen) == 1
    row = hist.iloc[0]
    assert row[["tn", "fp", "fn", "tp"]].sum() == 12
    assert 0 <= row["accuracy"] <= 1 and np.isfinite(row["train_loss"]) and np.isfinite(row["val_loss"])
    assert row["accuracy"] == pytest.approx((row["tp"] + row["tn"]) / 12)


def test_checkpoint_of_long_run_equals_short_run():
    """Epoch 1 of a 2-epoch run (recipe built by hand) equals a 1-epoch run of train_lr, the function the
    pipeline's jobs and the GPU script call: one run per learning rate is the whole epoch sweep."""
    cfg = {"head_lr_factor": 20, "momentum": 0.9, "weight_decay": 1e-4, "epochs": [1], "batch_size": 8}
    short = train_lr(_data(24, 0), _data(12, 1), cfg, 1e-3, 3, resolve_weights("none"))
    long = _run(2)
    pd.testing.assert_frame_equal(short, long.iloc[:1], check_exact=True)
    assert not long.iloc[1].equals(long.iloc[0])


def test_epoch_order_is_a_permutation_fixed_by_seed():
    a, b = epoch_order(50, 7), epoch_order(50, 7)
    assert torch.equal(a, b) and sorted(a.tolist()) == list(range(50))
    assert not torch.equal(a, epoch_order(50, 8))


def test_normalise_replicates_gray_and_uses_imagenet_stats():
    x = torch.full((2, 1, 4, 4), 255, dtype=torch.uint8)
    out = Normalise()(x)
    assert out.shape == (2, 3, 4, 4)
    assert out[0, :, 0, 0].tolist() == pytest.approx([(1 - 0.485) / 0.229, (1 - 0.456) / 0.224, (1 - 0.406) / 0.225])


def test_metrics_hand_computed():
    c = confusion(np.array([1, 1, 1, 0, 0, 0, 0, 1]), np.array([1, 1, 0, 0, 0, 1, 0, 1]))
    assert c == {"tn": 3, "fp": 1, "fn": 1, "tp": 3}
    s = scores(c)
    assert s == pytest.approx({"accuracy": 0.75, "precision": 0.75, "recall": 0.75, "f1": 0.75})
    assert scores({"tn": 5, "fp": 0, "fn": 5, "tp": 0}) == {"accuracy": 0.5, "precision": 0.0, "recall": 0.0, "f1": 0.0}
