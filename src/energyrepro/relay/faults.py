"""Fault types, the fault conductance matrix, and the fault grids of the paper's datasets (section 4)."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

FAULT_TYPES = ("AG", "BG", "CG", "AB", "AC", "BC", "ABG", "ACG", "BCG", "ABC")
PHASE = {"A": 0, "B": 1, "C": 2}
G_EPS = 1e-9  # S on the diagonal so G is invertible (an open phase)


def fault_class(ftype: str) -> str:
    """LG, LL, LLG or LLL."""
    if ftype == "ABC":
        return "LLL"
    phases = ftype.rstrip("G")
    if len(phases) == 1:
        return "LG"
    return "LLG" if ftype.endswith("G") else "LL"


def phases_of(ftype: str) -> list[int]:
    if ftype not in FAULT_TYPES:
        raise ValueError(f"unknown fault type {ftype!r}; known: {', '.join(FAULT_TYPES)}")
    return [PHASE[p] for p in ftype.rstrip("G")] if ftype != "ABC" else [0, 1, 2]


def fault_conductance(ftype: str, r_ohm: float, r_bolted: float = 1e-3) -> np.ndarray:
    """3x3 conductance matrix G of the fault (currents into the fault = G v).

    The paper gives one resistance per case: phase-ground faults (LG, LLG) put it between each faulted phase and
    ground, phase-phase faults (LL, LLL) between each pair of faulted phases. LLG faults bolt their two phases
    together (r_bolted) and connect each of them to ground through r_ohm, so the combined ground path is
    r_ohm / 2. ``r_ohm = 0`` (bolted) is replaced by r_bolted.
    """
    ph = phases_of(ftype)
    r = max(float(r_ohm), r_bolted)
    G = np.eye(3) * G_EPS
    cls = fault_class(ftype)
    rpp = r if cls in ("LL", "LLL") else r_bolted
    if cls != "LG":
        for i, j in itertools.combinations(ph, 2):
            e = np.zeros(3)
            e[i], e[j] = 1.0, -1.0
            G += np.outer(e, e) / rpp
    if cls in ("LG", "LLG"):
        for i in ph:
            G[i, i] += 1.0 / r
    return G


def resistance_set(ftype: str, grid: dict) -> list[float]:
    """The grid's phase-ground list for LG/LLG faults, its phase-phase list for LL/LLL."""
    return list(grid["r_pg"] if fault_class(ftype) in ("LG", "LLG") else grid["r_pp"])


def position_grid(spec) -> list[float]:
    """Fault positions (km from E): an explicit list, or a generated grid denser near the zone limits.

    A generated grid ``{n, lo, hi, near, near_points, near_halfwidth_km}`` puts ``near_points`` (even) positions
    symmetrically within +-halfwidth of each ``near`` centre (never on the limit itself) and spreads the rest
    evenly over [lo, hi]; positions are rounded to 0.1 km and must be unique.
    """
    if isinstance(spec, (list, tuple)):
        return [float(x) for x in spec]
    near, k, hw = spec.get("near", []), int(spec.get("near_points", 0)), float(spec.get("near_halfwidth_km", 0))
    if k % 2:
        raise ValueError(f"position grid {spec}: near_points must be even (no position on a zone limit)")
    dense = [c + hw * (2 * (i + 0.5) / k - 1) for c in near for i in range(k)]
    n_uniform = int(spec["n"]) - len(dense)
    if n_uniform < 2:
        raise ValueError(f"position grid {spec}: n too small for the near-limit points")
    pts = np.round(np.concatenate([np.linspace(spec["lo"], spec["hi"], n_uniform), dense]), 1)
    pts = np.unique(pts)
    if len(pts) != int(spec["n"]):
        raise ValueError(f"position grid {spec}: {int(spec['n']) - len(pts)} duplicate positions; change lo/hi/near")
    return pts.tolist()


def case_grid(dataset: str, grid: dict) -> pd.DataFrame:
    """All cases of a dataset: columns case, dataset, ftype, km, r_ohm, angle_deg (one EMT run each).

    ``grid`` holds ``types`` and per-class lists: ``positions`` (or ``positions_<class>``), ``angles``
    (or ``angles_<class>``), ``r_pg``, ``r_pp``.
    """
    rows = []
    for ftype in grid["types"]:
        cls = fault_class(ftype)
        positions = grid.get(f"positions_{cls}", grid.get("positions"))
        angles = grid.get(f"angles_{cls}", grid.get("angles"))
        if positions is None or angles is None:
            raise KeyError(f"grid of dataset {dataset!r} has no positions/angles for class {cls}")
        for km, r, ang in itertools.product(position_grid(positions), resistance_set(ftype, grid), angles):
            rows.append({"dataset": dataset, "ftype": ftype, "km": float(km), "r_ohm": float(r),
                         "angle_deg": float(ang)})
    df = pd.DataFrame(rows)
    df.insert(0, "case", np.arange(len(df)))
    return df


def batch_grid(sets: Sequence[str], datasets: Mapping[str, dict]) -> pd.DataFrame:
    """The cases of several data sets simulated by one batch of jobs (each row keeps its set and case id)."""
    return pd.concat([case_grid(name, datasets[name]) for name in sets], ignore_index=True)


def shard(df: pd.DataFrame, index: int, count: int) -> pd.DataFrame:
    """Shard ``index`` of ``count`` (round-robin so shards have similar cost)."""
    if not 0 <= index < count:
        raise ValueError(f"shard index {index} outside 0..{count - 1}")
    return df.iloc[index::count].reset_index(drop=True)


def batch_of(batches: Mapping[str, Mapping], sets: Sequence[str]) -> dict[str, str]:
    """Data set -> the simulation batch (config ``relay.batches``) that simulates it; each set in exactly one."""
    owner: dict[str, str] = {}
    for name, batch in batches.items():
        for s in batch["sets"]:
            if s in owner:
                raise ValueError(f"config relay.batches: data set {s!r} is in batches {owner[s]!r} and {name!r}")
            owner[s] = name
    missing = [s for s in sets if s not in owner]
    unknown = [s for s in owner if s not in sets]
    if missing or unknown:
        raise ValueError(f"config relay.batches: every data set must be in one batch; missing {missing}, "
                         f"unknown {unknown}")
    return owner
