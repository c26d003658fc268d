"""Inputs, windows, splits and the paper's metrics against hand-computed values."""

import numpy as np
import pandas as pd
import pytest

from energyrepro.soc.datasets import build_split
from energyrepro.soc.features import (
    MinMaxScaler,
    cycle_features,
    make_windows,
    moving_average,
    window_ends,
)
from energyrepro.soc.metrics import all_metrics, mae, r2, rmse


def test_metrics_hand_values():
    y, p = np.array([0.1, 0.2, 0.3, 0.4]), np.array([0.1, 0.3, 0.3, 0.2])
    assert mae(y, p) == pytest.approx(0.3 / 4)
    assert rmse(y, p) == pytest.approx(np.sqrt(0.05 / 4))
    assert r2(y, p) == pytest.approx(1 - 0.05 / 0.05)  # SS_tot = 0.05 as well
    assert all_metrics(y, y)["r2"] == 1.0


def test_moving_average_is_causal():
    assert np.allclose(moving_average(np.array([1, 2, 3, 4, 5.0]), 2), [1, 1.5, 2.5, 3.5, 4.5])


def test_six_features():
    f = cycle_features(np.array([4.0, 3.9]), np.array([-5.0, -10.0]), np.array([25.0, 26.0]), 5.0, 2)
    assert f.shape == (2, 6)
    assert np.allclose(f[1], [3.9, -2.0, 26.0, 3.95, -1.5, -7.8])


def test_windows_end_at_target():
    x = np.arange(20, dtype=np.float32).reshape(10, 2)
    ends = window_ends(10, 4)
    w = make_windows(x, ends, 4)
    assert w.shape == (7, 4, 2)
    assert np.array_equal(w[0, :, 0], [0, 2, 4, 6]) and np.array_equal(w[-1, -1], x[9])


def test_scaler_maps_training_range_to_unit_interval():
    x = np.array([[0.0, 10.0], [2.0, 20.0]])
    s = MinMaxScaler.fit(x)
    assert np.allclose(s(x), [[0, 0], [1, 1]])


def _cycle(n, offset=0.0):
    t = np.arange(n, dtype=float)
    return pd.DataFrame({"time_s": t, "voltage_meas": 4 - t / n + offset, "current_meas": -np.ones(n),
                         "temperature_meas": np.full(n, 25.0), "soc": 1 - t / (2 * n)})


def test_random_split_is_80_20_and_disjoint():
    tr = {"a": _cycle(100), "b": _cycle(60)}
    sp = build_split("random", tr, {}, nominal_ah=1.0, ma_s=3, length=5, rng=np.random.default_rng(0))
    n = (100 - 4) + (60 - 4)
    assert len(sp.y_test) == round(0.2 * n) and len(sp.y_train) + len(sp.y_test) == n
    assert set(sp.test_cycle) <= {"a", "b"}


def test_heldout_tests_only_unseen_cycles():
    sp = build_split("heldout", {"a": _cycle(100)}, {"h": _cycle(50, 0.01)}, nominal_ah=1.0, ma_s=3, length=5,
                     rng=np.random.default_rng(0), train_stride=2)
    assert set(sp.test_cycle) == {"h"} and len(sp.y_test) == 46 and len(sp.y_train) == 48
    with pytest.raises(ValueError, match="held-out"):
        build_split("heldout", {"a": _cycle(100)}, {}, nominal_ah=1.0, ma_s=3, length=5, rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="must be unseen"):
        build_split("heldout", {"a": _cycle(100)}, {"a": _cycle(100)}, nominal_ah=1.0, ma_s=3, length=5,
                    rng=np.random.default_rng(0))


def test_validation_blocks_share_no_sample_with_the_fit_windows():
    from energyrepro.soc.datasets import validation_blocks

    length, block = 5, 20
    cycle = np.array(["a"] * 96 + ["b"] * 56)
    end = np.concatenate([np.arange(4, 100), np.arange(4, 60)])
    fit, val = validation_blocks(cycle, end, length, 0.25, block, np.random.default_rng(0))
    assert val.any() and fit.any() and not (fit & val).any()
    val_samples = {(c, t) for c, e in zip(cycle[val], end[val]) for t in range(e - length + 1, e + 1)}
    fit_samples = {(c, t) for c, e in zip(cycle[fit], end[fit]) for t in range(e - length + 1, e + 1)}
    assert not val_samples & fit_samples
    n_blocks = len({(c, e // block) for c, e in zip(cycle, end)})
    assert len({(c, e // block) for c, e in zip(cycle[val], end[val])}) == round(0.25 * n_blocks)


def test_charge_input_integrates_the_c_rate():
    from energyrepro.soc.features import charge_moved

    q = charge_moved(np.array([-1.0, -1.0, 2.0, 0.0]), np.array([0.0, 1800.0, 3600.0, 5400.0]))
    assert np.allclose(q, [0.0, -0.5, -1.0, 0.0])
    f = cycle_features(np.full(4, 4.0), np.full(4, -5.0), np.full(4, 25.0), 5.0, 2, np.arange(4) * 3600.0)
    assert f.shape == (4, 7) and np.allclose(f[:, 6], [0, -1, -2, -3])
