"""MLP training: learns a separable toy problem; early stopping returns the minimum-validation weights."""

import numpy as np
import torch

from energyrepro.relay.mlp import build_mlp, rms, train


def toy(n=400, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, (n, 24)).astype(np.float32)
    Y = np.stack([(X[:, 0] > 0), (X[:, 1] + X[:, 2] > 0)], axis=1).astype(np.float32)
    return X, Y


def test_training_learns_and_keeps_best_epoch():
    X, Y = toy()
    res = train(X, Y, [9], lr=0.1, momentum=0.2, batch_size=16, max_epochs=60, patience=100, val_frac=0.2, seed=1)
    val = [h["val_rms"] for h in res.history]
    assert res.best_val_rms == min(val) and res.history[res.best_epoch - 1]["val_rms"] == res.best_val_rms
    assert res.best_val_rms < 0.6 * val[0]


def test_same_seed_same_weights():
    X, Y = toy(200)
    a = train(X, Y, [5], 0.1, 0.1, 16, 5, 5, 0.2, seed=3)
    b = train(X, Y, [5], 0.1, 0.1, 16, 5, 5, 0.2, seed=3)
    for p, q in zip(a.model.parameters(), b.model.parameters()):
        assert torch.equal(p, q)


def test_architecture_is_tanh_everywhere():
    m = build_mlp([24, 48, 44, 3])
    assert [type(x).__name__ for x in m] == ["Linear", "Tanh"] * 3
    assert rms(m, torch.zeros(2, 24), torch.zeros(2, 3)) < 1.0
