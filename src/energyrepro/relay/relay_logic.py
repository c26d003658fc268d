"""The sequential relay (paper section 5): detection -> classification -> location.

Every network output is read with the paper's thresholds: < low means 0, > high means 1, in between is
undecided, and the relay waits for the next window (1 ms later) until every output of a module is decided.
The relay does not know the true inception sample F: it scans detection windows from before the fault and
estimates F as the end of the detecting window minus one sample; classification and location windows then start
at the same offsets from that estimate as in training (documented in docs/relay.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

import numpy as np

from energyrepro.relay.faults import fault_class
from energyrepro.relay.windows import LOCATION_NET, PHASE_ORDER, WINDOW, decode_type

Net = Callable[[np.ndarray], np.ndarray]  # 24 inputs -> outputs
WindowFn = Callable[[int, Sequence[int]], np.ndarray]  # (start sample, phase order) -> 24 inputs


def decide(out: np.ndarray, low: float = 0.3, high: float = 0.7) -> tuple[int, ...] | None:
    """Outputs as 0/1, or None when any output lies between the thresholds (undecided)."""
    out = np.asarray(out, float)
    if np.any((out >= low) & (out <= high)):
        return None
    return tuple(int(v > high) for v in out)


@dataclass(frozen=True)
class RelaySettings:
    low: float
    high: float
    detect_from: int  # first detection window start, relative to the true F (negative: pre-fault windows)
    detect_windows: int
    class_start: int  # classification window start offset from the estimated F (training: F + 2)
    class_windows: int
    loc_start: int  # location window start offset from the estimated F
    loc_windows: int


def run_relay(window_fn: WindowFn, nets: Mapping[str, Net], F: int, n_samples: int, s: RelaySettings) -> dict:
    """One case through the sequential logic; decisions and their window-end sample (None when never decided).

    Returns direction ('normal', 'forward', 'reverse' or None), ftype, zone (0 = beyond zone 3) and the end
    sample of each deciding window (``*_end``), plus ``false_trip`` when a fault was declared before F.
    """
    res = {"direction": None, "ftype": None, "zone": None, "det_end": None, "class_end": None, "loc_end": None}
    last = n_samples - WINDOW
    # detection: scan sliding windows; (0,0) = normal keeps scanning, a decided fault stops
    for start in range(max(0, F + s.detect_from), min(last, F + s.detect_from + s.detect_windows - 1) + 1):
        d = decide(nets["ann1"](window_fn(start, (0, 1, 2))), s.low, s.high)
        if d in ((1, 0), (0, 1)):
            res["direction"] = "forward" if d == (1, 0) else "reverse"
            res["det_end"] = start + WINDOW - 1
            break
    if res["direction"] is None:
        res["direction"] = "normal"
        return res
    F_hat = res["det_end"] - 1
    for start in range(F_hat + s.class_start, min(last, F_hat + s.class_start + s.class_windows - 1) + 1):
        d = decide(nets["ann2"](window_fn(start, (0, 1, 2))), s.low, s.high)
        ftype = decode_type(d) if d is not None else None
        if ftype is not None:
            res["ftype"], res["class_end"] = ftype, start + WINDOW - 1
            break
    if res["ftype"] is None:
        return res
    net = LOCATION_NET[fault_class(res["ftype"])]
    order = PHASE_ORDER[res["ftype"]] if net in ("ann3", "ann4") else (0, 1, 2)
    first = max(F_hat + s.loc_start, res["class_end"] + 1 - WINDOW + 1)
    for start in range(first, min(last, first + s.loc_windows - 1) + 1):
        d = decide(nets[net](window_fn(start, order)), s.low, s.high)
        if d is not None and sum(d) <= 1:
            res["zone"] = d.index(1) + 1 if sum(d) == 1 else 0
            res["loc_end"] = start + WINDOW - 1
            break
    return res
