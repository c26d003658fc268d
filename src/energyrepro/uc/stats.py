"""Statistics over runs, IHDE-vs-HDE tests and the comparison with the paper and the proven optimum.

Gaps are taken to the proven optimum. Where HiGHS did not prove a size (gap above ``milp_gap``), the optimum
lies in [bound, incumbent], so a gap is an interval: ``gap_*_pct`` to the incumbent (the smallest the true
gap can be) and ``gap_*_max_pct`` to the bound (the largest).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import mannwhitneyu

from energyrepro.uc import paper
from energyrepro.uc.lr import LABEL_OF

COMPARISONS = (("ihde", "hde"), ("ihde", "hde_matched"))
"""IHDE against the paper's HDE, and against HDE with IHDE's evaluation budget (the SAR operator's effect)."""


def optimum(milp: pd.DataFrame) -> pd.DataFrame:
    """Per size: the incumbent (checker cost), the bound and whether the gap is proven, indexed by size."""
    return milp.set_index("size")[["cost", "bound", "gap", "proven"]]


def run_stats(runs: pd.DataFrame, milp: pd.DataFrame, quality_target: float) -> pd.DataFrame:
    """Table 2 data: cost statistics, evaluations, migrations and CPU time per (size, method), gaps to the optimum."""
    g = runs.groupby(["size", "method"])
    out = g.agg(runs=("cost", "size"), feasible=("feasible", "sum"), best=("cost", "min"), mean=("cost", "mean"),
                worst=("cost", "max"), std=("cost", "std"), evaluations=("evaluations", "mean"),
                migrations_mean=("migrations", "mean"), migrations_max=("migrations", "max"),
                min_diversity=("min_diversity", "min"), cpu_s_mean=("cpu_s", "mean")).reset_index()
    out["std"] = out["std"].fillna(0.0)
    opt = optimum(milp)
    out["optimum"] = out["size"].map(opt["cost"])
    out["bound"] = out["size"].map(opt["bound"])
    for stat in ("best", "mean"):
        out[f"gap_{stat}_pct"] = 100 * (out[stat] / out["optimum"] - 1)
        out[f"gap_{stat}_max_pct"] = 100 * (out[stat] / out["bound"] - 1)
    out["meets_target"] = out["gap_best_max_pct"] <= 100 * quality_target
    return out


def comparisons(runs: pd.DataFrame, milp: pd.DataFrame) -> pd.DataFrame:
    """One-sided Mann-Whitney U per size and pair: are IHDE's final costs stochastically smaller?

    ``effect`` is the median cost difference (other - IHDE) relative to the optimum, the practical size of the
    improvement (positive = IHDE cheaper).
    """
    opt = optimum(milp)["cost"]
    rows = []
    for size, d in runs.groupby("size"):
        for a, b in COMPARISONS:
            x, y = d.loc[d.method == a, "cost"].to_numpy(), d.loc[d.method == b, "cost"].to_numpy()
            if len(x) == 0 or len(y) == 0:
                continue
            same = np.allclose(np.r_[x, y], x[0], rtol=0, atol=0.005)
            p = 1.0 if same else float(mannwhitneyu(x, y, alternative="less").pvalue)
            rows.append({"size": int(size), "method": a, "other": b, "n": len(x), "n_other": len(y),
                         "median": float(np.median(x)), "median_other": float(np.median(y)),
                         "best": float(x.min()), "best_other": float(y.min()), "p_value": p,
                         "effect": float((np.median(y) - np.median(x)) / opt[size])})
    return pd.DataFrame(rows)


def comparison(stats: pd.DataFrame, milp: pd.DataFrame) -> pd.DataFrame:
    """Table 3: the paper's columns beside our best of each method and the proven optimum, gaps to it."""
    cols = paper.paper()["table3"]["columns"]
    opt = optimum(milp)
    rows = []
    for size in sorted(opt.index):
        row = {"size": int(size)}
        for c in cols:
            row[f"paper {c}"] = paper.table3_value(size, c)
        for meth in sorted(stats["method"].unique()):
            s = stats[(stats["size"] == size) & (stats["method"] == meth)]
            row[f"our {LABEL_OF[meth]}"] = float(s["best"].iloc[0]) if len(s) else np.nan
        row["optimum"], row["bound"] = float(opt.loc[size, "cost"]), float(opt.loc[size, "bound"])
        for c in [k for k in row if k.startswith(("paper ", "our "))]:
            row[f"gap {c} %"] = 100 * (row[c] / row["optimum"] - 1) if row[c] is not None else np.nan
        rows.append(row)
    return pd.DataFrame(rows)


MIGRATION_COLUMNS = ["size", "eps1", "runs", "migrations_mean", "migrations_max", "min_diversity", "best", "mean",
                     "evaluations", "gap_best_pct", "gap_mean_pct"]


def migration_table(runs: pd.DataFrame, sensitivity: pd.DataFrame, milp: pd.DataFrame, eps1: float,
                    size: int) -> pd.DataFrame:
    """Migrations per IHDE run and cost by eps1 at one size: the configured eps1 (the main runs) beside the
    sensitivity values (none when the sensitivity is not run)."""
    main = runs[(runs["size"] == size) & (runs["method"] == "ihde")].assign(eps1=eps1)
    if main.empty:
        return pd.DataFrame(columns=MIGRATION_COLUMNS)
    both = pd.concat([main, sensitivity], ignore_index=True)
    opt = optimum(milp)["cost"][size]
    out = both.groupby("eps1").agg(runs=("cost", "size"), migrations_mean=("migrations", "mean"),
                                   migrations_max=("migrations", "max"), min_diversity=("min_diversity", "min"),
                                   best=("cost", "min"), mean=("cost", "mean"),
                                   evaluations=("evaluations", "mean")).reset_index()
    out.insert(0, "size", size)
    out["gap_best_pct"] = 100 * (out["best"] / opt - 1)
    out["gap_mean_pct"] = 100 * (out["mean"] / opt - 1)
    return out[MIGRATION_COLUMNS]


def table2(stats: pd.DataFrame, quality_target: float) -> pd.DataFrame:
    """Table 2 as shown: our statistics per size and method beside the paper's IHDE best/mean/worst."""
    target = f"best within {100 * quality_target:g} %"
    t2 = stats.rename(columns={"cpu_s_mean": "CPU s/run", "migrations_mean": "migrations/run",
                               "gap_best_pct": "gap best %", "gap_best_max_pct": "gap best max %",
                               "gap_mean_pct": "gap mean %", "meets_target": target})
    ref = paper.paper()["table2"]
    for j, col in enumerate(ref["columns"]):
        t2[f"paper IHDE {col}"] = [ref["rows"][s][j] if (m == "ihde" and s in ref["rows"]) else np.nan
                                   for s, m in zip(t2["size"], t2["method"])]
    return t2[["size", "method", "runs", "feasible", "best", "mean", "worst", "std", "optimum", "gap best %",
               "gap best max %", "gap mean %", target, "evaluations", "migrations/run", "migrations_max",
               "CPU s/run"] + [c for c in t2.columns if c.startswith("paper")]]


def optimum_table(milp: pd.DataFrame) -> pd.DataFrame:
    """The exact yardstick per size: proven optimum (checker price), bound, gap, HiGHS status and versions."""
    return milp.rename(columns={"cost": "optimum", "cpu_s": "CPU s"})[
        ["size", "optimum", "bound", "gap", "proven", "status", "rounds", "CPU s", "highs_version",
         "highspy_version"]]


def best_run(records: list[dict], method: str) -> int:
    """Index, among ``method``'s runs (in record order), of its cheapest run."""
    mine = [r["cost"] for r in records if r["method"] == method]
    return int(np.argmin(mine))


def md_floatfmt(df: pd.DataFrame) -> tuple[str, ...]:
    """Per-column number formats of a table's Markdown twin: dollars to the cent, gaps in %, the rest short."""
    def fmt(col: str) -> str:
        c = str(col)
        if c in ("gap", "min_diversity"):
            return ".2g"
        if "gap" in c or c.endswith("%"):
            return ".4f"
        if c in ("best", "mean", "worst", "std", "optimum", "bound") or c.startswith(("paper", "our ")):
            return ",.2f"
        return ".4g"
    return tuple(fmt(c) for c in df.columns)
