"""The relay's measurement chain (paper section 3): CVT, 300 Hz anti-aliasing low-pass, 1 kHz sampling, 12-bit A/D.

* CVT: the usual linear equivalent of a capacitor voltage transformer referred to the intermediate voltage:
  stack capacitance Ceq = C1 + C2 in series with the tuning reactor (Lc, Rc, tuned so w0^2 Lc Ceq = 1) feeding
  a resistive burden Rb: H(s) = s Ceq Rb / (s^2 Lc Ceq + s Ceq (Rb + Rc) + 1). The ratio is undone, so the
  output is in primary volts (unity gain, zero phase at 60 Hz); the ferroresonance suppression circuit is left
  out. CTs are ideal (paper).
* Anti-aliasing: Butterworth low-pass (scipy.signal), cut-off 300 Hz, applied causally at the EMT rate.
* The simulated network starts in its periodic steady state, so the filters are first run over
  ``prehistory_cycles`` periodic copies of the first simulated cycle (no start-up transient in the record).
* Sampling at 1 kHz on the absolute time grid (sample m at t = m ms) and 12-bit quantisation over a
  documented full scale (codes -2048..2047, clipped like a saturating converter); the network inputs are the
  converter outputs in per unit: voltages over the nominal peak phase voltage, currents over ``i_base_ka``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import numpy as np
from scipy import signal


@dataclass(frozen=True)
class Chain:
    fs_sim: float  # Hz, EMT rate
    f0: float
    fs_relay: float  # Hz (1 kHz)
    cutoff_hz: float
    order: int
    bits: int
    v_full_scale: float  # V peak
    i_full_scale: float  # A peak
    cvt_c_eq: float  # F
    cvt_rc: float  # ohm
    cvt_rb: float  # ohm
    prehistory_cycles: int
    v_base: float  # V, input scaling: nominal peak phase voltage
    i_base: float  # A, input scaling

    @property
    def decimation(self) -> int:
        d = self.fs_sim / self.fs_relay
        if abs(d - round(d)) > 1e-9:
            raise ValueError(f"EMT rate {self.fs_sim} Hz is not an integer multiple of the relay rate "
                             f"{self.fs_relay} Hz")
        return int(round(d))


def chain_from_config(cfg: Mapping, fs_sim: float, f0: float, v_peak: float) -> Chain:
    return Chain(fs_sim, f0, cfg["sampling_hz"], cfg["antialias_cutoff_hz"], cfg["antialias_order"],
                 cfg["adc_bits"], cfg["v_full_scale_pu"] * v_peak, cfg["i_full_scale_ka"] * 1e3,
                 cfg["cvt"]["c_eq_nf"] * 1e-9, cfg["cvt"]["rc_ohm"], cfg["cvt"]["rb_ohm"], cfg["prehistory_cycles"],
                 v_peak, cfg["i_base_ka"] * 1e3)


def cvt_filter(ch: Chain) -> tuple[np.ndarray, np.ndarray]:
    """Discrete (bilinear) CVT transfer function, normalised to unity gain at f0."""
    w0 = 2 * np.pi * ch.f0
    lc = 1.0 / (w0**2 * ch.cvt_c_eq)
    num = [ch.cvt_c_eq * ch.cvt_rb, 0.0]
    den = [lc * ch.cvt_c_eq, ch.cvt_c_eq * (ch.cvt_rb + ch.cvt_rc), 1.0]
    b, a = signal.bilinear(num, den, fs=ch.fs_sim)
    gain = abs(np.polyval(b, np.exp(1j * w0 / ch.fs_sim)) / np.polyval(a, np.exp(1j * w0 / ch.fs_sim)))
    return b / gain, a


def antialias_filter(ch: Chain) -> np.ndarray:
    return signal.butter(ch.order, ch.cutoff_hz, btype="low", fs=ch.fs_sim, output="sos")


def _with_prehistory(x: np.ndarray, ch: Chain) -> tuple[np.ndarray, int]:
    n_cycle = ch.fs_sim / ch.f0
    if abs(n_cycle - round(n_cycle)) > 1e-9:
        raise ValueError(f"EMT rate {ch.fs_sim} Hz does not hold an integer number of steps per {ch.f0} Hz cycle")
    n_cycle = int(round(n_cycle))
    pre = np.tile(x[..., :n_cycle], ch.prehistory_cycles)
    return np.concatenate([pre, x], axis=-1), pre.shape[-1]


def filtered(v: np.ndarray, i: np.ndarray, ch: Chain) -> tuple[np.ndarray, np.ndarray]:
    """CVT (voltages only) then anti-aliasing, at the EMT rate; arrays (3, n) in V and A."""
    b, a = cvt_filter(ch)
    sos = antialias_filter(ch)
    vp, n_pre = _with_prehistory(v, ch)
    ip, _ = _with_prehistory(i, ch)
    vf = signal.sosfilt(sos, signal.lfilter(b, a, vp, axis=-1), axis=-1)[..., n_pre:]
    if_ = signal.sosfilt(sos, ip, axis=-1)[..., n_pre:]
    return vf, if_


def quantise(x: np.ndarray, full_scale: float, bits: int) -> np.ndarray:
    """A/D output in the input's units: round(x / FS * 2^(bits-1)) clipped to the converter range, back to units."""
    half = 2 ** (bits - 1)
    return np.clip(np.round(x / full_scale * half), -half, half - 1) / half * full_scale


def measure(v: np.ndarray, i: np.ndarray, ch: Chain) -> np.ndarray:
    """Relay inputs at 1 kHz: (6, m) = [va, vb, vc, ia, ib, ic] after 12-bit A/D, scaled to the input bases
    (v / nominal peak phase voltage, i / i_base); sample m-1 is at t = m ms.

    ``v``, ``i`` are EMT samples at t = k/fs_sim, k = 1..n.
    """
    vf, if_ = filtered(v, i, ch)
    d = ch.decimation
    idx = np.arange(d - 1, v.shape[-1], d)
    return np.concatenate([quantise(vf[:, idx], ch.v_full_scale, ch.bits) / ch.v_base,
                           quantise(if_[:, idx], ch.i_full_scale, ch.bits) / ch.i_base]).astype(np.float32)
