"""Train one AlexNet at one constant learning rate and evaluate it after every epoch.

Why one run per learning rate is the whole epoch sweep: the learning rate is constant (no schedule
that depends on the run length), the shuffling of epoch k depends only on (seed, k), and dropout
draws from the torch RNG in the same order. So the weights after epoch k of a 50-epoch run are the
weights a k-epoch run with the same seed ends with, and evaluating after epochs 5, 10, 20, 30 and 50
gives Table 1's cells for that learning rate (``tests/el/test_train.py`` checks this bit for bit).

The pipeline's training jobs and the GPU script (``tools/gpu/el_paper.py``) both call
``augment.protocol_images``, :func:`job_tensors` and :func:`train_lr`: the same data, model, optimiser and loop
wherever the sweep runs.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping

import numpy as np
import pandas as pd
import torch

from energyrepro.el.data import Normalise, epoch_order, materialise
from energyrepro.el.metrics import confusion, scores
from energyrepro.el.model import WeightsChoice, build_alexnet, transfer_optimizer
from energyrepro.seeding import derive_seed, seed_everything

HISTORY_COLUMNS = ["epoch", "train_loss", "train_accuracy", "val_loss", "accuracy", "precision", "recall", "f1",
                   "tn", "fp", "fn", "tp"]


@torch.no_grad()
def evaluate(model: torch.nn.Module, x: torch.Tensor, y: torch.Tensor, norm: Normalise,
             batch_size: int = 128) -> dict[str, float]:
    """Validation loss and the binary metrics of ``model`` on (x, y)."""
    model.eval()
    loss_sum, preds = 0.0, []
    for i in range(0, len(x), batch_size):
        logits = model(norm(x[i:i + batch_size]))
        yb = y[i:i + batch_size].to(logits.device)
        loss_sum += float(torch.nn.functional.cross_entropy(logits, yb, reduction="sum"))
        preds.append(logits.argmax(1).cpu())
    c = confusion(y.cpu().numpy(), torch.cat(preds).numpy())
    return {"val_loss": loss_sum / len(x), **scores(c), **c}


def train_run(model: torch.nn.Module, optimizer: torch.optim.Optimizer, train: tuple[torch.Tensor, torch.Tensor],
              val: tuple[torch.Tensor, torch.Tensor], epochs: int, batch_size: int, seed: int,
              device: str = "cpu", on_epoch: Callable[[dict], None] | None = None) -> pd.DataFrame:
    """Train for ``epochs`` epochs; return one history row per epoch (columns ``HISTORY_COLUMNS``).

    The data may already live on ``device`` (the GPU script keeps it there); the running loss and hit count
    stay on the device, so a step never waits for the GPU to finish."""
    norm = Normalise(device)
    model.to(device)
    (x_tr, y_tr), (x_va, y_va) = train, val
    rows = []
    for epoch in range(1, epochs + 1):
        model.train()
        order = epoch_order(len(x_tr), derive_seed(seed, "epoch", epoch)).to(x_tr.device)
        loss_sum = torch.zeros((), dtype=torch.float64, device=device)
        correct = torch.zeros((), dtype=torch.int64, device=device)
        for i in range(0, len(order), batch_size):
            idx = order[i:i + batch_size]
            xb, yb = norm(x_tr[idx]), y_tr[idx].to(device)
            optimizer.zero_grad(set_to_none=True)
            logits = model(xb)
            loss = torch.nn.functional.cross_entropy(logits, yb)
            loss.backward()
            optimizer.step()
            loss_sum += loss.detach() * len(idx)
            correct += (logits.argmax(1) == yb).sum()
        row = {"epoch": epoch, "train_loss": float(loss_sum) / len(x_tr), "train_accuracy": int(correct) / len(x_tr),
               **evaluate(model, x_va, y_va, norm)}
        rows.append(row)
        if on_epoch:
            on_epoch(row)
    return pd.DataFrame(rows, columns=HISTORY_COLUMNS)


def train_seed(seed: int, rep: int) -> int:
    """The training seed of replicate ``rep``, shared by all learning rates (a paired comparison)."""
    return derive_seed(seed, "el", "train", rep)


def job_tensors(originals: pd.DataFrame, cells: np.ndarray, images: pd.DataFrame
                ) -> tuple[tuple[torch.Tensor, torch.Tensor], tuple[torch.Tensor, torch.Tensor]]:
    """The train and validation tensors of an image list, from the resized originals (``cells`` in the order
    of ``originals``)."""
    ids = originals["id"].tolist()
    return materialise(cells, ids, images, "train"), materialise(cells, ids, images, "val")


def train_lr(train: tuple[torch.Tensor, torch.Tensor], val: tuple[torch.Tensor, torch.Tensor],
             cfg: Mapping[str, Any], lr: float, seed: int, weights: WeightsChoice, device: str = "cpu",
             on_epoch: Callable[[dict], None] | None = None) -> pd.DataFrame:
    """One learning rate of the sweep: AlexNet from ``weights``, max(el.epochs) epochs, evaluated every epoch."""
    seed_everything(seed)
    model = build_alexnet(weights)
    optimizer = transfer_optimizer(model, lr, cfg["head_lr_factor"], cfg["momentum"], cfg["weight_decay"])
    return train_run(model, optimizer, train, val, max(cfg["epochs"]), cfg["batch_size"], seed, device, on_epoch)
