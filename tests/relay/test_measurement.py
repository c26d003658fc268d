"""Measurement chain: CVT unity at 60 Hz, 300 Hz low-pass, clean start from the periodic prehistory, 12-bit A/D."""

import numpy as np
import pytest
from scipy import signal

from energyrepro.relay.measurement import antialias_filter, cvt_filter, filtered, measure, quantise


def test_cvt_unity_at_60hz_and_antialias_cutoff(settings):
    ch = settings[1]
    b, a = cvt_filter(ch)
    _, h = signal.freqz(b, a, worN=[60.0], fs=ch.fs_sim)
    assert abs(h[0]) == pytest.approx(1.0, abs=1e-9)
    _, h = signal.sosfreqz(antialias_filter(ch), worN=[60.0, 300.0, 1000.0], fs=ch.fs_sim)
    assert abs(h[1]) == pytest.approx(1 / np.sqrt(2), rel=0.01)  # -3 dB at the cut-off
    assert abs(h[0]) > 0.99 and abs(h[2]) < 0.1


def test_steady_state_sinusoid_has_no_startup_transient(settings):
    ch = settings[1]
    t = np.arange(1, 2001) / ch.fs_sim
    v = 1e5 * np.cos(2 * np.pi * 60 * t + np.array([[0], [-2.1], [2.1]]))
    vf, _ = filtered(v, v * 0.01, ch)
    first, later = np.abs(vf[:, :350]).max(), np.abs(vf[:, -350:]).max()
    assert first == pytest.approx(later, rel=0.01)


def test_quantisation_is_12_bit_and_saturates():
    x = np.linspace(-3, 3, 10001)
    q = quantise(x, 2.0, 12)
    assert len(np.unique(q)) == 4096
    assert q.max() == pytest.approx(2.0 * 2047 / 2048) and q.min() == -2.0
    assert np.max(np.abs(q - x)[np.abs(x) < 1.9]) <= 2.0 / 2048 / 2 + 1e-12


def test_measure_samples_every_ms(settings):
    ch = settings[1]
    n = 21 * 40
    v = np.zeros((3, n))
    i = np.zeros((3, n))
    out = measure(v, i, ch)
    assert out.shape == (6, 40) and out.dtype == np.float32
