"""The paper's three indicators (section 3.2) on SOC as a fraction (0.0041 = 0.41 %)."""

from __future__ import annotations

import numpy as np


def rmse(y: np.ndarray, p: np.ndarray) -> float:
    return float(np.sqrt(np.mean((np.asarray(p, float) - np.asarray(y, float)) ** 2)))


def mae(y: np.ndarray, p: np.ndarray) -> float:
    return float(np.mean(np.abs(np.asarray(p, float) - np.asarray(y, float))))


def r2(y: np.ndarray, p: np.ndarray) -> float:
    """Coefficient of determination 1 - SS_res / SS_tot."""
    y, p = np.asarray(y, float), np.asarray(p, float)
    ss_tot = float(np.sum((y - y.mean()) ** 2))
    return float(1.0 - np.sum((y - p) ** 2) / ss_tot) if ss_tot > 0 else float("nan")


def all_metrics(y: np.ndarray, p: np.ndarray) -> dict[str, float]:
    return {"rmse": rmse(y, p), "mae": mae(y, p), "r2": r2(y, p)}
