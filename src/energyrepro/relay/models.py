"""Saving and loading the trained networks (architecture + weights in one torch file)."""

from __future__ import annotations

import os
from typing import Sequence

import numpy as np
import torch

from energyrepro.io import atomic_path
from energyrepro.relay.mlp import build_mlp


def save(path: str | os.PathLike, model: torch.nn.Module, sizes: Sequence[int]) -> None:
    with atomic_path(path) as tmp:
        torch.save({"sizes": list(sizes), "state": model.state_dict()}, tmp)


def load(path: str | os.PathLike) -> torch.nn.Sequential:
    blob = torch.load(path, map_location="cpu", weights_only=True)
    model = build_mlp(blob["sizes"])
    model.load_state_dict(blob["state"])
    return model.eval()


def as_function(model: torch.nn.Module):
    """The network as a numpy function of one 24-input window (what the relay logic calls)."""

    def f(x: np.ndarray) -> np.ndarray:
        with torch.no_grad():
            return model(torch.as_tensor(np.asarray(x, np.float32)[None]))[0].numpy()

    return f
