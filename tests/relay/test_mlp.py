"""MLP training: exact gradients, learns a separable toy problem, keeps the best epoch, seeds independent."""

import numpy as np
import pytest

from energyrepro.relay.mlp import gradients, init_stack, rms, train
from energyrepro.relay.models import as_function, load, save


def toy(n=400, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, (n, 24)).astype(np.float32)
    Y = np.stack([(X[:, 0] > 0), (X[:, 1] + X[:, 2] > 0)], axis=1).astype(np.float32)
    return X, Y


def test_gradients_match_finite_differences():
    rng = np.random.default_rng(0)
    net = init_stack([5, 4, 3, 2], [np.random.default_rng(s) for s in (1, 2)], dtype=np.float64)
    X, T = rng.normal(size=(2, 7, 5)), rng.uniform(size=(2, 7, 2))

    def loss():
        return np.mean((net(X) - T) ** 2, axis=(1, 2))

    gW, gb = gradients(net, X, T)
    for params, grads in ((net.W, gW), (net.b, gb)):
        for p, g in zip(params, grads):
            for idx in [(0, 0, 0), (1, -1, -1), (1, 0, 1)]:
                idx = tuple(i % s for i, s in zip(idx, p.shape))
                old = p[idx]
                p[idx] = old + 1e-6
                up = loss()
                p[idx] = old - 1e-6
                down = loss()
                p[idx] = old
                num = (up - down) / 2e-6
                assert g[idx] == pytest.approx(num[idx[0]], rel=1e-5, abs=1e-9)


def test_training_learns_and_keeps_best_epoch():
    X, Y = toy()
    (res,) = train(X, Y, [9], lr=0.1, momentum=0.2, batch_size=16, max_epochs=60, patience=100, val_frac=0.2,
                   seeds=[1])
    val = [h["val_rms"] for h in res.history]
    assert res.best_val_rms == pytest.approx(min(val)) and res.history[res.best_epoch - 1]["val_rms"] == min(val)
    assert res.best_val_rms < 0.6 * val[0]


def test_early_stopping_after_patience():
    X, Y = toy(200)
    (res,) = train(X, Y, [5], 0.1, 0.2, 16, 500, 3, 0.2, seeds=[4])
    assert len(res.history) == res.best_epoch + 3 < 500


def test_a_seed_trains_the_same_alone_or_stacked():
    X, Y = toy(200)
    alone = train(X, Y, [5], 0.1, 0.1, 16, 8, 3, 0.2, seeds=[3])[0]
    stacked = train(X, Y, [5], 0.1, 0.1, 16, 8, 3, 0.2, seeds=[7, 3])
    assert stacked[1].seed == 3 and stacked[0].seed == 7
    assert stacked[1].best_epoch == alone.best_epoch and len(stacked[1].history) == len(alone.history)
    for p, q in zip(alone.model.W + alone.model.b, stacked[1].model.W + stacked[1].model.b):
        np.testing.assert_allclose(p, q, rtol=1e-5, atol=1e-6)
    assert not np.allclose(stacked[0].model.W[0], stacked[1].model.W[0])


def test_tanh_outputs_are_bounded():
    net = init_stack([24, 48, 44, 3], [np.random.default_rng(0)])
    out = net(np.full((5, 24), 100.0, np.float32))
    assert out.shape == (1, 5, 3) and np.all(np.abs(out) <= 1)
    assert rms(net, np.zeros((2, 24), np.float32), np.zeros((2, 3), np.float32))[0] < 1.0


def test_save_load_round_trip(tmp_path):
    X, Y = toy(100)
    res = train(X, Y, [4], 0.1, 0.1, 16, 2, 2, 0.2, seeds=[5, 6])
    save(tmp_path / "m.npz", [r.model for r in res], [5, 6])
    net, seeds = load(tmp_path / "m.npz")
    assert seeds == [5, 6] and net.members == 2 and net.sizes == (24, 4, 2)
    f = as_function(net, 1)
    np.testing.assert_allclose(f(X[0]), res[1].model(X[:1])[0, 0], rtol=1e-6)
