"""Training and inference for the SOC networks (Adam on MSE, as the paper's Matlab regression layer).

Every epoch records the training loss (dropout on, averaged over the epoch's minibatches) and the MAE in
inference mode of every monitored set (``monitor={"val": (x, y), "test": (x, y)}``): at the paper's
learning rate the two part ways (docs/soc.md, "Why the paper's settings train badly"), so both are kept
per epoch.  A test curve is a diagnostic only; ``select`` decides which weights the run ends with:
``last`` (the paper: the network after the last epoch) or ``best_val`` (the epoch with the lowest
validation MAE, as Matlab's ``OutputNetwork="best-validation-loss"``).
"""

from __future__ import annotations

import copy
import math
import time
from collections.abc import Callable

import numpy as np
import torch
from torch import nn

SELECT = ("last", "best_val")


def train_model(model: nn.Module, x: np.ndarray, y: np.ndarray, *, epochs: int, lr: float, batch_size: int,
                seed: int, device: str = "cpu", grad_clip: float | None = None,
                monitor: dict[str, tuple[np.ndarray, np.ndarray]] | None = None, select: str = "last",
                on_epoch: Callable[[int, dict], None] | None = None) -> dict:
    """Minibatch Adam on MSE, shuffling from ``seed``; the data are moved to ``device`` once.

    Returns the history: ``train_mse`` and ``<name>_mae`` of every monitored set per epoch, ``best_epoch``
    (the epoch whose weights the model ends with) and ``diverged`` (the loss became non-finite; training
    stops there).  ``on_epoch(epoch, {"train_mse": .., "<name>_mae": ..})`` is called after every epoch.
    """
    monitor = monitor or {}
    if select not in SELECT:
        raise ValueError(f"select must be one of {SELECT}, not {select!r}")
    if select == "best_val" and "val" not in monitor:
        raise ValueError("select='best_val' needs a monitored 'val' set")
    gen = torch.Generator().manual_seed(seed)
    xt = torch.from_numpy(np.ascontiguousarray(x)).to(device)
    yt = torch.from_numpy(np.asarray(y, np.float32)).to(device)
    model.to(device)
    opt = torch.optim.Adam(model.parameters(), lr=lr, fused=device == "cuda")  # one kernel per step on a GPU
    loss_fn = nn.MSELoss()
    hist: dict = {"train_mse": [], **{f"{k}_mae": [] for k in monitor}, "best_epoch": -1, "diverged": False}
    best, best_state = math.inf, None
    for epoch in range(epochs):
        model.train()
        perm = torch.randperm(len(xt), generator=gen).to(device)
        total = torch.zeros((), device=device)
        for start in range(0, len(perm), batch_size):
            idx = perm[start:start + batch_size]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(xt[idx]), yt[idx])
            loss.backward()
            if grad_clip:
                nn.utils.clip_grad_norm_(model.parameters(), grad_clip)
            opt.step()
            total += loss.detach() * len(idx)
        mse = float(total) / len(xt)
        hist["train_mse"].append(mse)
        row = {"train_mse": mse}
        for name, (xm, ym) in monitor.items():
            pred = predict(model, xm, device)
            row[f"{name}_mae"] = float(np.mean(np.abs(pred - ym))) if np.all(np.isfinite(pred)) else math.inf
            hist[f"{name}_mae"].append(row[f"{name}_mae"])
        if select == "best_val" and row["val_mae"] < best:
            best, best_state = row["val_mae"], copy.deepcopy(model.state_dict())
            hist["best_epoch"] = epoch
        if on_epoch:
            on_epoch(epoch, row)
        if not math.isfinite(mse):
            hist["diverged"] = True
            break
    if select == "last":
        hist["best_epoch"] = len(hist["train_mse"]) - 1
    elif best_state is not None:
        model.load_state_dict(best_state)
    return hist


@torch.no_grad()
def predict(model: nn.Module, x: np.ndarray, device: str = "cpu", batch_size: int = 4096) -> np.ndarray:
    model.to(device).eval()
    out = [model(torch.from_numpy(np.ascontiguousarray(x[i:i + batch_size])).to(device)).cpu().numpy()
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
