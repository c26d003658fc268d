"""From cycle tables to train/test windows under the two protocols.

* ``random``: the paper's protocol (section 3.1.1): all windows of the dataset's cycles, split 80/20 at
  random.  Neighbouring windows overlap by all but one sample, so test windows have near-twins in
  training: this overstates accuracy.
* ``heldout``: train on every window of the dataset's cycles, test on whole cycles that were never seen
  (another current profile and/or temperature).

A cycle table has columns time_s, voltage_meas, current_meas (A, discharge negative), temperature_meas, soc.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from energyrepro.soc.features import (
    MinMaxScaler,
    make_windows,
    measured_features,
    window_ends,
)


@dataclass
class Split:
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    test_cycle: np.ndarray  # cycle name of each test window
    test_end: np.ndarray  # index of the window's last sample in its cycle
    scaler: MinMaxScaler
    train_cycle: np.ndarray  # the same for each training window
    train_end: np.ndarray


def _cycle_windows(cycles: dict[str, pd.DataFrame], nominal_ah: float, ma_s: int, length: int, charge: bool,
                   inputs: str):
    """Per cycle: (features, soc, window end indices)."""
    out = {}
    for name, df in cycles.items():
        if len(df) < length:
            raise ValueError(f"cycle {name} has {len(df)} samples, fewer than the window length {length}")
        out[name] = (measured_features(df, nominal_ah, ma_s, charge, inputs), df.soc.to_numpy(np.float32),
                     window_ends(len(df), length))
    return out


def _stack(per: dict, names: list[str], length: int, scaler: MinMaxScaler, pick=None):
    xs, ys, cs, es = [], [], [], []
    for name in names:
        f, s, ends = per[name]
        if pick is not None:
            ends = ends[pick[name]]
        xs.append(make_windows(scaler(f), ends, length))
        ys.append(s[ends])
        cs.append(np.full(len(ends), name, dtype=object))
        es.append(ends)
    return np.concatenate(xs), np.concatenate(ys), np.concatenate(cs), np.concatenate(es)


def build_split(protocol: str, train_cycles: dict[str, pd.DataFrame], test_cycles: dict[str, pd.DataFrame],
                *, nominal_ah: float, ma_s: int, length: int, rng: np.random.Generator,
                test_fraction: float = 0.2, train_stride: int = 1, charge: bool = False,
                inputs: str = "paper6") -> Split:
    """Windows for ``protocol`` (random | heldout); ``train_stride`` keeps every k-th training window;
    ``inputs`` names the input set and ``charge`` adds the cumulative charge (the split does not depend on them)."""
    per = _cycle_windows({**train_cycles, **test_cycles}, nominal_ah, ma_s, length, charge, inputs)
    names = list(train_cycles)
    scaler = MinMaxScaler.fit(np.concatenate([per[n][0] for n in names]))
    if protocol == "random":
        sizes = [len(per[n][2]) for n in names]
        is_test = np.zeros(sum(sizes), bool)
        is_test[rng.permutation(sum(sizes))[: round(test_fraction * sum(sizes))]] = True
        parts = np.split(is_test, np.cumsum(sizes)[:-1])
        train_pick = {n: np.flatnonzero(~p)[::train_stride] for n, p in zip(names, parts)}
        test_pick = {n: np.flatnonzero(p) for n, p in zip(names, parts)}
        xtr, ytr, ctr, etr = _stack(per, names, length, scaler, train_pick)
        xte, yte, cte, ete = _stack(per, names, length, scaler, test_pick)
    elif protocol == "heldout":
        if not test_cycles:
            raise ValueError("protocol heldout needs at least one held-out cycle (soc.heldout_cycles)")
        if set(test_cycles) & set(train_cycles):
            raise ValueError(f"soc.heldout_cycles {sorted(set(test_cycles) & set(train_cycles))} are also training "
                             "cycles of the dataset; held-out cycles must be unseen")
        pick = {n: np.arange(0, len(per[n][2]), train_stride) for n in names}
        xtr, ytr, ctr, etr = _stack(per, names, length, scaler, pick)
        xte, yte, cte, ete = _stack(per, list(test_cycles), length, scaler)
    else:
        raise ValueError(f"unknown protocol {protocol!r} (random | heldout)")
    return Split(xtr, ytr, xte, yte, cte, ete, scaler, ctr, etr)


def validation_blocks(cycle: np.ndarray, end: np.ndarray, length: int, fraction: float, block: int,
                      rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Masks (fit, val) over training windows for choosing settings on the training data alone.

    Each cycle is cut into blocks of ``block`` samples and a ``fraction`` of all blocks (at least one) goes
    to validation whole: a random subset of overlapping windows would put near-twins of every validation
    window into the fit set.  Windows that straddle a validation and a fit block are in neither, so the two
    sets share no sample.
    """
    _, code = np.unique(np.asarray(cycle, dtype=str), return_inverse=True)
    end = np.asarray(end)
    span = int(end.max()) // block + 2
    end_block = code * span + end // block
    start_block = code * span + np.maximum(end - (length - 1), 0) // block
    blocks = np.unique(end_block)
    n_val = min(max(1, round(fraction * len(blocks))), len(blocks) - 1)
    if n_val < 1:
        raise ValueError(f"validation needs at least two blocks of {block} samples; the training windows span "
                         f"{len(blocks)}")
    chosen = rng.choice(blocks, n_val, replace=False)
    end_val, start_val = np.isin(end_block, chosen), np.isin(start_block, chosen)
    return ~end_val & ~start_val, end_val & start_val
