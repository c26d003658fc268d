"""Binary classification metrics from a confusion matrix (positive class = defective)."""

from __future__ import annotations

import numpy as np


def confusion(y_true: np.ndarray, y_pred: np.ndarray) -> dict[str, int]:
    y_true, y_pred = np.asarray(y_true).astype(int), np.asarray(y_pred).astype(int)
    return {"tn": int(((y_true == 0) & (y_pred == 0)).sum()), "fp": int(((y_true == 0) & (y_pred == 1)).sum()),
            "fn": int(((y_true == 1) & (y_pred == 0)).sum()), "tp": int(((y_true == 1) & (y_pred == 1)).sum())}


def scores(c: dict[str, int]) -> dict[str, float]:
    """Accuracy, precision, recall, F1; precision/F1 are 0 (not NaN) when nothing is predicted defective."""
    tp, fp, fn, tn = c["tp"], c["fp"], c["fn"], c["tn"]
    n = tp + fp + fn + tn
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"accuracy": (tp + tn) / n if n else float("nan"), "precision": precision, "recall": recall, "f1": f1}
