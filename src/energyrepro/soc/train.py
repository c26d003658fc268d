"""Training and inference for the SOC networks (Adam on MSE, as the paper's Matlab regression layer)."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import numpy as np
import torch
from torch import nn


def train_model(model: nn.Module, x: np.ndarray, y: np.ndarray, *, epochs: int, lr: float, batch_size: int,
                seed: int, device: str = "cpu", grad_clip: float | None = None,
                on_epoch: Callable[[int, float], None] | None = None) -> dict:
    """Minibatch Adam on MSE; shuffling from ``seed``.  Stops early (``diverged``) if the loss is not finite."""
    gen = torch.Generator().manual_seed(seed)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y.astype(np.float32))
    model.to(device).train()
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.MSELoss()
    history, diverged = [], False
    for epoch in range(epochs):
        perm = torch.randperm(len(xt), generator=gen)
        total = 0.0
        for start in range(0, len(perm), batch_size):
            idx = perm[start:start + batch_size]
            xb, yb = xt[idx].to(device), yt[idx].to(device)
            opt.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            if grad_clip:
                nn.utils.clip_grad_norm_(model.parameters(), grad_clip)
            opt.step()
            total += loss.item() * len(idx)
        mse = total / len(xt)
        history.append(mse)
        if on_epoch:
            on_epoch(epoch, mse)
        if not math.isfinite(mse):
            diverged = True
            break
    return {"train_mse": history, "diverged": diverged}


@torch.no_grad()
def predict(model: nn.Module, x: np.ndarray, device: str = "cpu", batch_size: int = 4096) -> np.ndarray:
    model.to(device).eval()
    out = [model(torch.from_numpy(x[i:i + batch_size]).to(device)).cpu().numpy()
           for i in range(0, len(x), batch_size)]
    return np.concatenate(out) if out else np.empty(0, np.float32)


@torch.no_grad()
def time_per_sample(model: nn.Module, x: np.ndarray, device: str = "cpu", repeats: int = 50) -> float:
    """Median seconds to estimate SOC for ONE new sample (batch of one window), as a BMS would."""
    model.to(device).eval()
    one = torch.from_numpy(x[:1]).to(device)
    for _ in range(5):
        model(one)
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        model(one)
        if device == "cuda":
            torch.cuda.synchronize()
        times.append(time.perf_counter() - t0)
    return float(np.median(times))
