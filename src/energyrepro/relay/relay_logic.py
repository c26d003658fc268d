"""The sequential relay (paper section 5): detection -> classification -> location.

Every network output is read with the paper's thresholds: < low means 0, > high means 1, in between is
undecided. A module answers when enough of its recent responses (one per window, 1 ms apart) agree, as the paper
reads "the set of responses" of each module rather than one; until then the relay waits for the next window.
The relay does not know F, the last pre-fault sample: it scans detection windows from before the fault and
estimates F from the first agreeing detection window, taken as training's first window [F-2..F+1];
classification and location windows then start at the same offsets from that estimate as in training
(docs/relay.md).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from energyrepro.relay.faults import fault_class
from energyrepro.relay.windows import LOCATION_NET, PHASE_ORDER, WINDOW, decode_type, window

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
    detect_windows: int  # windows scanned at most, per module
    detect_votes: int  # a module answers when `votes` of its last `of` responses agree (paper section 5)
    detect_of: int
    class_start: int  # classification window start offset from the estimated F (training: F + 2)
    class_windows: int
    class_votes: int
    class_of: int
    loc_start: int  # location window start offset from the estimated F
    loc_windows: int
    loc_votes: int
    loc_of: int


def scan(starts: Iterable[int], answer: Callable[[int], Hashable | None], votes: int,
         of: int) -> tuple[Hashable, int, int] | None:
    """The first answer that ``votes`` of the last ``of`` window responses agree on, as (answer, start of the first
    agreeing window, start of the deciding window); None when no answer gathers the votes.

    ``answer(start)`` is None for a response that decides nothing (an output between the thresholds, no valid
    code, or "normal" for detection). Paper section 5: single responses of a module often disagree, so the relay
    reads the set of responses of each module ("the three windows" of detection, three to five for classification
    and location) instead of one response.
    """
    recent: list[tuple[int, Hashable | None]] = []
    for start in starts:
        recent.append((start, answer(start)))
        del recent[:-of]
        a = recent[-1][1]
        if a is not None and sum(x == a for _, x in recent) >= votes:
            return a, next(st for st, x in recent if x == a), start
    return None


def run_relay(window_fn: WindowFn, nets: Mapping[str, Net], F: int, n_samples: int, s: RelaySettings) -> dict:
    """One case through the sequential logic; decisions and their window-end sample (None when never decided).

    Returns direction ('normal', 'forward', 'reverse' or None), ftype, zone (0 = beyond zone 3) and the end
    sample of each deciding window (``*_end``); a ``det_end`` at or before F is a pre-fault trip (scored wrong).
    """
    res = {"direction": None, "ftype": None, "zone": None, "det_end": None, "class_end": None, "loc_end": None}
    last = n_samples - WINDOW

    def starts(first: int, count: int) -> range:
        return range(max(0, first), min(last, first + count - 1) + 1)

    def respond(net: str, order: Sequence[int]) -> Callable[[int], tuple[int, ...] | None]:
        return lambda start: decide(nets[net](window_fn(start, order)), s.low, s.high)

    direction = {(1, 0): "forward", (0, 1): "reverse"}  # (0, 0) = normal: keep scanning
    det = scan(starts(F + s.detect_from, s.detect_windows), lambda st: direction.get(respond("ann1", (0, 1, 2))(st)),
               s.detect_votes, s.detect_of)
    if det is None:
        res["direction"] = "normal"
        return res
    res["direction"], res["det_end"] = det[0], det[2] + WINDOW - 1
    F_hat = det[1] + WINDOW - 2  # the first agreeing window is taken as training's first, [F-2..F+1]
    cls = scan(starts(F_hat + s.class_start, s.class_windows),
               lambda st: decode_type(d) if (d := respond("ann2", (0, 1, 2))(st)) is not None else None,
               s.class_votes, s.class_of)
    if cls is None:
        return res
    res["ftype"], res["class_end"] = cls[0], cls[2] + WINDOW - 1
    net = LOCATION_NET[fault_class(res["ftype"])]
    order = PHASE_ORDER[res["ftype"]] if net in ("ann3", "ann4") else (0, 1, 2)
    first = max(F_hat + s.loc_start, res["class_end"] + 1 - WINDOW + 1)  # windows ending after the classification
    loc = scan(starts(first, s.loc_windows),
               lambda st: (d.index(1) + 1 if sum(d) == 1 else 0) if (d := respond(net, order)(st)) is not None
               and sum(d) <= 1 else None, s.loc_votes, s.loc_of)
    if loc is not None:
        res["zone"], res["loc_end"] = loc[0], loc[2] + WINDOW - 1
    return res


def relay_decisions(data: Mapping[str, np.ndarray], nets: Mapping[str, Net], s: RelaySettings) -> pd.DataFrame:
    """Every test case of ``data`` (records, F and metadata from the simulation shards) through the relay."""
    rows = []
    for c in range(len(data["case"])):
        rec = data["records"][c]
        res = run_relay(lambda start, order, rec=rec: window(rec, start, order), nets, int(data["F"][c]),
                        rec.shape[-1], s)
        rows.append({"case": int(data["case"][c]), "ftype": str(data["ftype"][c]), "km": float(data["km"][c]),
                     "r_ohm": float(data["r_ohm"][c]), "angle_deg": float(data["angle_deg"][c]),
                     "F": int(data["F"][c]), "t_fault": float(data["t_fault"][c]), "direction": res["direction"],
                     "det_end": res["det_end"], "ftype_hat": res["ftype"], "class_end": res["class_end"],
                     "zone_hat": res["zone"], "loc_end": res["loc_end"]})
    return pd.DataFrame(rows)
