"""Saving and loading one network's trained seeds (every seed's weights stacked in one NPZ file)."""

from __future__ import annotations

import os
from typing import Sequence

import numpy as np

from energyrepro.io import write_npz
from energyrepro.relay.mlp import Stack


def save(path: str | os.PathLike, members: Sequence[Stack], seeds: Sequence[int]) -> None:
    """``members``: one single-member :class:`Stack` per seed, stored in the order of ``seeds``."""
    layers = len(members[0].W)
    arrays = {f"W{k}": np.concatenate([m.W[k] for m in members]) for k in range(layers)}
    arrays.update({f"b{k}": np.concatenate([m.b[k] for m in members]) for k in range(layers)})
    write_npz(path, seeds=np.asarray(seeds, int), **arrays)


def load(path: str | os.PathLike) -> tuple[Stack, list[int]]:
    """The stacked networks and the seed of each member."""
    with np.load(path) as z:
        layers = sum(k.startswith("W") for k in z.files)
        return (Stack([z[f"W{k}"] for k in range(layers)], [z[f"b{k}"] for k in range(layers)]),
                z["seeds"].tolist())


def as_function(net: Stack, member: int):
    """Member ``member`` as a function of one 24-input window (what the relay logic calls)."""
    one = net.member(member)

    def f(x: np.ndarray) -> np.ndarray:
        return one(np.asarray(x, one.W[0].dtype)[None, None])[0, 0]

    return f
