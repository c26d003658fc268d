"""The five MLPs (paper section 4): tanh units, SGD with momentum, shuffled 80/20 split, early stopping at the
minimum validation RMS (the weights of that epoch are kept). NeuralWorks' Norm-Cum-Delta rule is replaced by
plain mini-batch SGD with momentum (torch), within the paper's ranges of learning rate and momentum."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np
import torch
from torch import nn


def build_mlp(sizes: Sequence[int]) -> nn.Sequential:
    """tanh on every layer, outputs included (targets are 0/1, read with the 0.3/0.7 thresholds)."""
    layers: list[nn.Module] = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        layers += [nn.Linear(a, b), nn.Tanh()]
    return nn.Sequential(*layers)


def rms(model: nn.Module, X: torch.Tensor, Y: torch.Tensor) -> float:
    """RMS error over all patterns and output units (the paper's validation criterion)."""
    with torch.no_grad():
        return float(torch.sqrt(torch.mean((model(X) - Y) ** 2)))


def split(n: int, val_frac: float, rng: np.random.Generator, groups: np.ndarray | None = None):
    """Shuffled train/validation indices; with ``groups`` all windows of one case fall on the same side."""
    if groups is None:
        perm = rng.permutation(n)
        k = int(round(n * val_frac))
        return perm[k:], perm[:k]
    ug = rng.permutation(np.unique(groups))
    val_g = set(ug[:int(round(len(ug) * val_frac))].tolist())
    is_val = np.array([g in val_g for g in groups])
    return rng.permutation(np.flatnonzero(~is_val)), rng.permutation(np.flatnonzero(is_val))


@dataclass
class TrainResult:
    model: nn.Sequential
    history: list[dict]
    best_epoch: int
    best_val_rms: float


def train(X: np.ndarray, Y: np.ndarray, hidden: Sequence[int], lr: float, momentum: float, batch_size: int,
          max_epochs: int, patience: int, val_frac: float, seed: int, groups: np.ndarray | None = None,
          device: str = "cpu", on_epoch: Callable[[dict], None] | None = None) -> TrainResult:
    """Train one MLP; ``history`` holds train/validation RMS per epoch; the best-validation weights are returned."""
    rng = np.random.default_rng(seed)
    torch.manual_seed(seed)
    tr, va = split(len(X), val_frac, rng, groups)
    Xt, Yt = (torch.as_tensor(a[tr], device=device) for a in (X, Y))
    Xv, Yv = (torch.as_tensor(a[va], device=device) for a in (X, Y))
    model = build_mlp([X.shape[1], *hidden, Y.shape[1]]).to(device)
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum)
    best = (np.inf, 0, None)
    history = []
    gen = torch.Generator(device="cpu").manual_seed(seed)
    for epoch in range(1, max_epochs + 1):
        model.train()
        order = torch.randperm(len(Xt), generator=gen).to(device)
        for k in range(0, len(order), batch_size):
            b = order[k:k + batch_size]
            opt.zero_grad()
            loss = torch.mean((model(Xt[b]) - Yt[b]) ** 2)
            loss.backward()
            opt.step()
        model.eval()
        rec = {"epoch": epoch, "train_rms": rms(model, Xt, Yt), "val_rms": rms(model, Xv, Yv)}
        history.append(rec)
        if on_epoch:
            on_epoch(rec)
        if rec["val_rms"] < best[0]:
            best = (rec["val_rms"], epoch, {k: v.detach().clone() for k, v in model.state_dict().items()})
        elif epoch - best[1] >= patience:
            break
    model.load_state_dict(best[2])
    return TrainResult(model.cpu(), history, best[1], float(best[0]))


def predict(model: nn.Module, X: np.ndarray) -> np.ndarray:
    with torch.no_grad():
        return model(torch.as_tensor(np.asarray(X, np.float32))).numpy()
