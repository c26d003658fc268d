"""Train one AlexNet at one constant learning rate and evaluate it after every epoch.

Why one run per learning rate is the whole epoch sweep: the learning rate is constant (no schedule
that depends on the run length), the shuffling of epoch k depends only on (seed, k), and dropout
draws from the torch RNG in the same order. So the weights after epoch k of a 50-epoch run are the
weights a k-epoch run with the same seed ends with, and evaluating after epochs 5, 10, 20, 30 and 50
gives Table 1's cells for that learning rate (``tests/el/test_train.py`` checks this bit for bit).
"""

from __future__ import annotations

from typing import Callable

import pandas as pd
import torch

from energyrepro.el.data import Normalise, epoch_order
from energyrepro.el.metrics import confusion, scores
from energyrepro.seeding import derive_seed

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
    c = confusion(y.numpy(), torch.cat(preds).numpy())
    return {"val_loss": loss_sum / len(x), **scores(c), **c}


def train_run(model: torch.nn.Module, optimizer: torch.optim.Optimizer, train: tuple[torch.Tensor, torch.Tensor],
              val: tuple[torch.Tensor, torch.Tensor], epochs: int, batch_size: int, seed: int,
              device: str = "cpu", on_epoch: Callable[[dict], None] | None = None) -> pd.DataFrame:
    """Train for ``epochs`` epochs; return one history row per epoch (columns ``HISTORY_COLUMNS``)."""
    norm = Normalise(device)
    model.to(device)
    (x_tr, y_tr), (x_va, y_va) = train, val
    rows = []
    for epoch in range(1, epochs + 1):
        model.train()
        order = epoch_order(len(x_tr), derive_seed(seed, "epoch", epoch))
        loss_sum, correct = 0.0, 0
        for i in range(0, len(order), batch_size):
            idx = order[i:i + batch_size]
            xb, yb = norm(x_tr[idx]), y_tr[idx].to(device)
            optimizer.zero_grad(set_to_none=True)
            logits = model(xb)
            loss = torch.nn.functional.cross_entropy(logits, yb)
            loss.backward()
            optimizer.step()
            loss_sum += loss.item() * len(idx)
            correct += int((logits.argmax(1) == yb).sum())
        row = {"epoch": epoch, "train_loss": loss_sum / len(x_tr), "train_accuracy": correct / len(x_tr),
               **evaluate(model, x_va, y_va, norm)}
        rows.append(row)
        if on_epoch:
            on_epoch(row)
    return pd.DataFrame(rows, columns=HISTORY_COLUMNS)


def cells(history: pd.DataFrame, epochs: list[int]) -> pd.DataFrame:
    """The rows of Table 1's epoch counts (the checkpoints of this run)."""
    missing = sorted(set(epochs) - set(history["epoch"]))
    if missing:
        raise ValueError(f"history has no epochs {missing}")
    return history[history["epoch"].isin(epochs)].reset_index(drop=True)
