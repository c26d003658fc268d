"""Window indices, phase reordering and targets (paper section 4, Table 1)."""

import numpy as np
import pytest

from energyrepro.relay.faults import FAULT_TYPES
from energyrepro.relay.windows import (
    build_patterns,
    classification_target,
    decode_type,
    detection_target,
    fault_sample,
    in_transition_band,
    location_target,
    normal_patterns,
    window,
    zone,
)

LIMITS = [142.5, 195.0, 240.0]


def record(m=20):
    # channel k, sample j -> 100 k + j, so every entry says where it came from
    return (100 * np.arange(6)[:, None] + np.arange(m)[None, :]).astype(np.float32)


def test_window_takes_four_samples_per_signal_in_order():
    S, F = record(), 10
    x = window(S, F - 2)
    assert x.shape == (24,)
    assert x[:4].tolist() == [8, 9, 10, 11]  # va at F-2..F+1
    assert x[12:16].tolist() == [308, 309, 310, 311]  # ia
    assert x[-1] == 511


def test_phase_reordering_bg_and_bc():
    S = record()
    x = window(S, 0, (1, 0, 2))  # BG: B, A, C
    assert x[0] == 100 and x[4] == 0 and x[8] == 200 and x[12] == 400 and x[16] == 300
    x = window(S, 0, (1, 2, 0))  # BC: B, C, A
    assert [x[0], x[4], x[8]] == [100, 200, 0]


def test_window_outside_record_is_an_error():
    with pytest.raises(IndexError):
        window(record(10), 8)


def test_targets():
    assert detection_target(None) == (0, 0)
    assert detection_target(10) == (1, 0) and detection_target(-5) == (0, 1)
    assert classification_target("AG") == (1, 0, 0, 1)
    assert classification_target("BC") == (0, 1, 1, 0)
    assert classification_target("ACG") == (1, 0, 1, 1)
    assert classification_target("ABC") == (1, 1, 1, 0)
    for t in FAULT_TYPES:
        assert decode_type(classification_target(t)) == t
    assert decode_type((0, 0, 0, 1)) is None


@pytest.mark.parametrize("km,z", [(0, 1), (142.5, 1), (142.6, 2), (195, 2), (200, 3), (240, 3), (241, 0), (-3, 0)])
def test_zones(km, z):
    assert zone(km, LIMITS) == z
    assert sum(location_target(km, LIMITS)) == (1 if z else 0)


def test_transition_bands_are_two_percent():
    assert in_transition_band(145.0, [142.5, 195], 0.02)  # 139.65..145.35
    assert not in_transition_band(145.5, [142.5, 195], 0.02)
    assert in_transition_band(191.1, [142.5, 195], 0.02)


def test_build_patterns_and_normal_windows():
    recs = np.stack([record(30), record(30) + 1000])
    meta = {"ftype": np.array(["BG", "AB"]), "km": np.array([150.0, -20.0]), "F": np.array([12, 15])}
    X, Y, idx = build_patterns(recs, meta, "ann3", {"LG": [5, 6]}, LIMITS)
    assert X.shape == (2, 24) and idx.tolist() == [0, 0]
    assert X[0, 0] == 100 + 17 and X[0, 4] == 17  # B first, window at F + 5
    assert Y[0].tolist() == [0, 1, 0]
    X, Y, _ = build_patterns(recs, meta, "ann1", {"all": [-2, -1, 0]}, LIMITS)
    assert X.shape == (6, 24) and Y[3:].tolist() == [[0, 1]] * 3
    N = normal_patterns(recs, meta["F"], 50, np.random.default_rng(0))
    last_sample = (N[:, 3] % 1000)  # va of the window's last sample
    first_case = N[:, 0] < 1000
    assert np.all(last_sample[first_case] <= 12) and np.all(last_sample[~first_case] <= 15)
    assert last_sample[first_case].max() == 12  # windows may end at F, the last pre-fault sample


@pytest.mark.parametrize("t_ms,F", [(17.4, 16), (17.0, 16), (17.99, 16), (18.0, 17)])
def test_window_origin_is_the_last_sample_at_or_before_inception(t_ms, F):
    """Sample j is at (j + 1) ms: the first window [F-2..F+1] holds exactly one post-fault sample (paper 4.1)."""
    assert fault_sample(t_ms * 1e-3) == F
    assert F + 1 <= t_ms + 1e-9 < F + 2  # sample F (at F + 1 ms) at or before inception, sample F + 1 after it
