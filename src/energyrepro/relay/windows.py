"""Data windows, phase reordering and targets of the five networks (paper section 4, Table 1).

A case's relay record is ``S`` (6, m): [va, vb, vc, ia, ib, ic] at 1 kHz, record index j being the sample at
t = (j + 1) ms. A window starting at sample s holds samples s..s+3 of each signal, flattened signal by signal
(va_s..va_s+3, vb_..., ..., ic_s+3) = 24 inputs. Window starts are offsets from F, the last sample at or before the
fault inception (paper 4.1: the window [F-2..F+1] holds three pre-fault samples and one post-fault sample, the
next [F-1..F+2] two of each), so a window ending at sample e has seen e - F post-fault samples (ms).
"""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np

from energyrepro.relay.faults import FAULT_TYPES, fault_class

WINDOW = 4
# order in which phases are presented to the location networks (paper 4.3.1, 4.3.2); others keep A, B, C
PHASE_ORDER = {"AG": (0, 1, 2), "BG": (1, 0, 2), "CG": (2, 1, 0),
               "AB": (0, 1, 2), "AC": (0, 2, 1), "BC": (1, 2, 0),
               "ABG": (0, 1, 2), "ACG": (0, 2, 1), "BCG": (1, 2, 0), "ABC": (0, 1, 2)}
LOCATION_NET = {"LG": "ann3", "LL": "ann4", "LLG": "ann4", "LLL": "ann5"}


def fault_sample(t_fault: float) -> int:
    """F: index of the last 1 kHz sample at or before inception at ``t_fault`` seconds (sample j at (j + 1) ms).

    A sample at the inception instant itself still shows the pre-fault state (the filtered signals are
    continuous), so it counts as pre-fault.
    """
    return int(np.floor(t_fault * 1e3 + 1e-9)) - 1


def window(S: np.ndarray, start: int, order: Sequence[int] = (0, 1, 2)) -> np.ndarray:
    """The 24 inputs of the window starting at sample ``start``, phases presented in ``order``."""
    if start < 0 or start + WINDOW > S.shape[-1]:
        raise IndexError(f"window [{start}, {start + WINDOW - 1}] outside the record of {S.shape[-1]} samples")
    rows = list(order) + [3 + k for k in order]
    return S[rows, start:start + WINDOW].reshape(-1)


def reorder(ftype: str) -> tuple[int, int, int]:
    return PHASE_ORDER[ftype]


def detection_target(km: float | None) -> tuple[float, float]:
    """(D1, D2): normal (0, 0), forward fault (1, 0), reverse fault (0, 1) (our reading of Table 1)."""
    if km is None:
        return (0.0, 0.0)
    return (1.0, 0.0) if km >= 0 else (0.0, 1.0)


def classification_target(ftype: str) -> tuple[float, float, float, float]:
    """(C1, C2, C3, C4) = phase A, B, C involved, ground involved (paper 4.2)."""
    ph = ftype.rstrip("G") if ftype != "ABC" else "ABC"
    return tuple(float(p in ph) for p in "ABC") + (float(ftype.endswith("G")),)


def zone(km: float, limits: Sequence[float]) -> int:
    """Protection zone 1, 2, 3 of a forward fault (limits = zone reaches in km), 0 beyond zone 3 or reverse."""
    if km < 0:
        return 0
    for z, reach in enumerate(limits, start=1):
        if km <= reach:
            return z
    return 0


def location_target(km: float, limits: Sequence[float]) -> tuple[float, float, float]:
    """(L1, L2, L3): one-hot zone, all zero beyond zone 3 (documented in docs/relay.md)."""
    z = zone(km, limits)
    return tuple(float(z == k) for k in (1, 2, 3))


def in_transition_band(km: float, centres: Sequence[float], frac: float) -> bool:
    """True inside the +-frac bands around the zone limits (paper 4.3: +-2% of 142.5 and 195 km)."""
    return any(abs(km - c) <= frac * c + 1e-9 for c in centres)


def decode_type(c: Sequence[int]) -> str | None:
    """Fault type from decided classification outputs (C1..C4 in {0,1}); None when no type matches."""
    for ftype in FAULT_TYPES:
        if tuple(int(x) for x in classification_target(ftype)) == tuple(int(x) for x in c):
            return ftype
    return None


def build_patterns(records: np.ndarray, meta: Mapping[str, np.ndarray], net: str, starts: Mapping[str, Sequence[int]],
                   zone_limits: Sequence[float]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Inputs X (p, 24), targets Y (p, k) and case index (p,) of ``net`` from its cases' records.

    ``starts[class]`` (or ``starts['all']``) lists the window start offsets relative to F.
    """
    X, Y, idx = [], [], []
    for c in range(len(records)):
        ftype, km, F = str(meta["ftype"][c]), float(meta["km"][c]), int(meta["F"][c])
        cls = fault_class(ftype)
        order = PHASE_ORDER[ftype] if net in ("ann3", "ann4") else (0, 1, 2)
        if net == "ann1":
            y = detection_target(km)
        elif net == "ann2":
            y = classification_target(ftype)
        else:
            y = location_target(km, zone_limits)
        for off in starts.get(cls, starts.get("all", ())):
            X.append(window(records[c], F + off, order))
            Y.append(y)
            idx.append(c)
    return np.asarray(X, np.float32), np.asarray(Y, np.float32), np.asarray(idx)


def normal_patterns(records: np.ndarray, F: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` windows of pre-fault samples only (ending at F or earlier), drawn at random from the cases."""
    pool = [(c, s) for c in range(len(records)) for s in range(0, int(F[c]) - WINDOW + 2)]
    if not pool:
        raise ValueError("no pre-fault windows available for normal patterns")
    pick = rng.choice(len(pool), size=n, replace=n > len(pool))
    return np.asarray([window(records[pool[k][0]], pool[k][1]) for k in pick], np.float32)
