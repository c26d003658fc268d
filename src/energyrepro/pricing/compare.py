"""GA vs PSO over seeds: summary statistics and the Wilcoxon rank-sum test of the paper's claim."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats


def summarise(runs: pd.DataFrame, reference_cost: float) -> pd.DataFrame:
    """Per method: best / mean / std / worst cost, feasible fraction, gap to the OPF reference, wall time."""
    rows = []
    for method, g in runs.groupby("method", sort=False):
        c = g.cost.to_numpy(float)
        rows.append({"method": method, "seeds": len(g), "best": c.min(), "mean": c.mean(),
                     "std": c.std(ddof=1) if len(c) > 1 else 0.0, "worst": c.max(),
                     "feasible_frac": g.feasible.mean(), "mean_gap": (c - reference_cost).mean(),
                     "mean_rel_gap": ((c - reference_cost) / reference_cost).mean(),
                     "best_gap": c.min() - reference_cost, "mean_wall_s": g.wall_s.mean()})
    return pd.DataFrame(rows)


def wilcoxon_pso_better(pso: np.ndarray, ga: np.ndarray) -> dict:
    """One-sided Wilcoxon rank-sum test H1: PSO's final costs are lower than GA's (independent seeds)."""
    pso, ga = np.asarray(pso, float), np.asarray(ga, float)
    res = stats.ranksums(pso, ga, alternative="less")
    return {"statistic": float(res.statistic), "p_value": float(res.pvalue),
            "median_pso": float(np.median(pso)), "median_ga": float(np.median(ga))}
