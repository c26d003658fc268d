"""The paper's three networks: output shapes, what each can see, and a tiny fit."""

import numpy as np
import pytest
import torch

from energyrepro.soc.evaluate import parse_variant
from energyrepro.soc.models import build_model
from energyrepro.soc.train import predict, train_model


@pytest.mark.parametrize("name", ["cnn", "lstm", "cnnlstm"])
def test_output_shape(name):
    torch.manual_seed(0)
    m = build_model(name, hidden=16).eval()
    assert m(torch.rand(7, 20, 6)).shape == (7,)


def test_cnn_sees_only_the_last_step():
    torch.manual_seed(0)
    m = build_model("cnn").eval()
    x = torch.rand(3, 10, 6)
    y = x.clone()
    y[:, :-1] = 0.0
    assert torch.allclose(m(x), m(y))


def test_lstm_uses_history():
    torch.manual_seed(0)
    m = build_model("lstm").eval()
    x = torch.rand(3, 10, 6)
    y = x.clone()
    y[:, 0] += 1.0
    assert not torch.allclose(m(x), m(y))


def test_variants():
    assert parse_variant("cnnlstm-h300", 16) == ("cnnlstm", 300)
    assert parse_variant("lstm", 16) == ("lstm", 16)
    with pytest.raises(ValueError):
        parse_variant("gru", 16)


def test_training_reduces_loss_and_is_deterministic():
    rng = np.random.default_rng(0)
    x = rng.random((256, 8, 6), dtype=np.float32)
    y = x[:, -1, 0] * 0.5 + 0.2

    def fit():
        torch.manual_seed(1)
        m = build_model("lstm", hidden=8, dropout=0.0)
        h = train_model(m, x, y, epochs=5, lr=0.01, batch_size=32, seed=1)
        return h, predict(m, x)

    (h1, p1), (h2, p2) = fit(), fit()
    assert h1["train_mse"][-1] < h1["train_mse"][0]
    assert np.array_equal(p1, p2) and h1 == h2


def test_best_validation_epoch_is_kept_and_paper_keeps_the_last():
    rng = np.random.default_rng(0)
    x = rng.random((256, 8, 6), dtype=np.float32)
    y = x[:, -1, 0] * 0.5 + 0.2
    val = (x[:64], y[:64])
    torch.manual_seed(1)
    m = build_model("lstm", hidden=8, dropout=0.0)
    h = train_model(m, x, y, epochs=6, lr=0.05, batch_size=16, seed=1, monitor={"val": val, "test": val},
                    select="best_val")
    best = int(np.argmin(h["val_mae"]))
    assert h["best_epoch"] == best and len(h["test_mae"]) == 6
    assert np.mean(np.abs(predict(m, val[0]) - val[1])) == pytest.approx(h["val_mae"][best], rel=1e-5)
    last = train_model(build_model("lstm", hidden=8, dropout=0.0), x, y, epochs=3, lr=0.01, batch_size=16, seed=1)
    assert last["best_epoch"] == 2 and "val_mae" not in last
    with pytest.raises(ValueError, match="monitored 'val' set"):
        train_model(m, x, y, epochs=1, lr=0.01, batch_size=16, seed=1, select="best_val")


def test_charge_variant_names():
    from energyrepro.soc.evaluate import uses_charge

    assert parse_variant("cnnlstm-h300-ah", 16) == ("cnnlstm", 300) and uses_charge("cnnlstm-h300-ah")
    assert not uses_charge("lstm-h300")


def test_charge_variants_train_under_the_tuned_setting_only():
    from energyrepro.soc.evaluate import models_for

    models = ["cnn", "lstm-h300", "cnnlstm-ah"]
    assert models_for(models, "paper") == ["cnn", "lstm-h300"] and models_for(models, "tuned") == models
