"""The paper's six network inputs and sliding windows.

The paper (Table 1, "sequenceinput 6") names voltage, current and temperature but not the other three.
We use: V, I/Q_nom (C-rate, so cells of different size share one input scale), T, moving averages of V
and I/Q_nom over ``ma_s`` seconds (a short history a BMS can compute cheaply, as in Chemali et al. 2018,
the paper's ref. [3]) and power per Ah (V * I/Q_nom).  The standard set has no cumulative-charge input:
that hands the networks Coulomb counting.  The paper kept the cycler's "important" columns (section 3.1.2),
which for CALCE's Arbin files likely include the charge and discharge capacity, so the ``-ah`` model
variants add a seventh input, the charge moved since the cycle's start per nominal Ah, and measure the
effect instead of arguing it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

FEATURES = ("voltage_v", "c_rate", "temperature_c", "voltage_ma_v", "c_rate_ma", "power_w_per_ah")
CHARGE_FEATURE = "charge_ah_per_ah"
# input sets: "paper6" = the six above (the paper's "sequenceinput 6"); "vit_ma" = V, I, T and the moving
# averages of V and I, the standard inputs of the LG HG2 data set's authors (Kollmeyer et al. 2020)
INPUT_SETS = {"paper6": 6, "vit_ma": 5}


def moving_average(x: np.ndarray, n: int) -> np.ndarray:
    """Causal mean over the last ``n`` samples (fewer at the start)."""
    c = np.cumsum(np.insert(np.asarray(x, dtype=float), 0, 0.0))
    idx = np.arange(1, len(x) + 1)
    lo = np.maximum(idx - n, 0)
    return (c[idx] - c[lo]) / (idx - lo)


def charge_moved(c_rate: np.ndarray, time_s: np.ndarray) -> np.ndarray:
    """Charge since the first sample per nominal Ah (C-rate integrated over hours; discharge negative)."""
    dt_h = np.diff(np.asarray(time_s, dtype=float), prepend=float(time_s[0])) / 3600.0
    return np.concatenate([[0.0], np.cumsum(np.asarray(c_rate, dtype=float)[:-1] * dt_h[1:])])


def cycle_features(v: np.ndarray, i_a: np.ndarray, t_c: np.ndarray, nominal_ah: float, ma_s: int,
                   time_s: np.ndarray | None = None) -> np.ndarray:
    """(N, 6) float32 inputs of one cycle from measured voltage, current (A) and temperature; with ``time_s``
    (N, 7): the charge moved since the first sample is appended."""
    c = np.asarray(i_a, dtype=float) / nominal_ah
    v = np.asarray(v, dtype=float)
    cols = [v, c, np.asarray(t_c, dtype=float), moving_average(v, ma_s), moving_average(c, ma_s), v * c]
    if time_s is not None:
        cols.append(charge_moved(c, time_s))
    return np.stack(cols, axis=1).astype(np.float32)


def measured_features(df: pd.DataFrame, nominal_ah: float, ma_s: int, charge: bool = False,
                      inputs: str = "paper6") -> np.ndarray:
    """Features from a cycle table with columns voltage_meas, current_meas, temperature_meas (and time_s):
    the input set ``inputs`` (``INPUT_SETS``), then the cumulative charge when ``charge``."""
    if inputs not in INPUT_SETS:
        raise ValueError(f"unknown input set {inputs!r} (known: {', '.join(INPUT_SETS)})")
    f = cycle_features(df.voltage_meas.to_numpy(), df.current_meas.to_numpy(), df.temperature_meas.to_numpy(),
                       nominal_ah, ma_s, df.time_s.to_numpy() if charge else None)
    keep = list(range(INPUT_SETS[inputs])) + ([6] if charge else [])
    return f[:, keep]


def window_ends(n: int, length: int, stride: int = 1) -> np.ndarray:
    """Indices of the last sample of every full window of ``length`` in a series of ``n``."""
    return np.arange(length - 1, n, max(1, int(stride)))


def make_windows(x: np.ndarray, ends: np.ndarray, length: int) -> np.ndarray:
    """(len(ends), length, F) windows ending at ``ends`` (a strided view, copied)."""
    view = np.lib.stride_tricks.sliding_window_view(x, length, axis=0)  # (N-L+1, F, L)
    return np.ascontiguousarray(view[ends - (length - 1)].transpose(0, 2, 1))


class MinMaxScaler:
    """Scale each input to [0, 1] with the training data's range (the paper's fixed input interval)."""

    def __init__(self, lo: np.ndarray, hi: np.ndarray):
        self.lo = np.asarray(lo, dtype=np.float32)
        self.span = np.maximum(np.asarray(hi, dtype=np.float32) - self.lo, 1e-6)

    @classmethod
    def fit(cls, x: np.ndarray) -> MinMaxScaler:
        return cls(x.min(axis=0), x.max(axis=0))

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return ((x - self.lo) / self.span).astype(np.float32)

    def state(self) -> dict:
        return {"lo": self.lo.tolist(), "span": self.span.tolist()}
