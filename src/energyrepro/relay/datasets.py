"""Simulation shards -> the patterns of each network (paper section 4)."""

from __future__ import annotations

import os
from typing import Mapping, Sequence

import numpy as np

from energyrepro.relay.windows import build_patterns, normal_patterns

META = ("dataset", "case", "ftype", "km", "r_ohm", "angle_deg", "F", "t_fault")


def load_shards(paths: Sequence[str | os.PathLike], dataset: str) -> dict[str, np.ndarray]:
    """The cases of ``dataset`` in simulation shards (NPZ written by the simulate rule; a shard may hold cases of
    several data sets simulated as one batch), ordered by case id."""
    parts = [dict(np.load(p, allow_pickle=False)) for p in paths]
    if not parts:
        raise ValueError("no simulation shards given")
    out = {k: np.concatenate([p[k] for p in parts]) for k in ("records", *META)}
    keep = np.flatnonzero(out["dataset"] == dataset)
    if not len(keep):
        raise ValueError(f"no cases of data set {dataset!r} in the shards {[str(p) for p in paths]}")
    keep = keep[np.argsort(out["case"][keep], kind="stable")]
    return {k: v[keep] for k, v in out.items()}


def training_set(net: str, data: Mapping[str, np.ndarray], system: Mapping, n_normal: int,
                 rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(X, Y, case) of ``net``; the detection set gets ``n_normal`` pre-fault windows with target (0, 0) (case -1)."""
    X, Y, idx = build_patterns(data["records"], data, net, system["windows"][net], system["zones"]["limits_km"])
    if len(X) == 0:
        raise ValueError(f"no patterns for {net}: do the dataset's fault types match its windows "
                         f"{system['windows'][net]}?")
    if net == "ann1":
        Xn = normal_patterns(data["records"], data["F"], n_normal, rng)
        X = np.concatenate([X, Xn])
        Y = np.concatenate([Y, np.zeros((len(Xn), Y.shape[1]), np.float32)])
        idx = np.concatenate([idx, -np.ones(len(Xn), int)])
    return X, Y, idx
