"""The paper's Tables 1-8 (data/paper_tables.csv) beside ours: loading, the dispatch they imply,
the difference, and the entries that contradict the paper's own table (typos)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from energyrepro.pricing.networks import read_data

SHARE_COLS = ["g0", "g10", "g20", "g30", "g40", "g50"]
ROUNDING = 0.5e-4  # the paper prints 4 decimals


def paper_tables() -> pd.DataFrame:
    """Long frame: table, system, method, side, user, gen_share_pct, paper."""
    wide = read_data("paper_tables.csv").assign(row=lambda d: np.arange(len(d)))  # keep the paper's order
    long = wide.melt(id_vars=["table", "system", "method", "side", "user", "row"], value_vars=SHARE_COLS,
                     var_name="col", value_name="paper")
    long["gen_share_pct"] = long.pop("col").str[1:].astype(float)
    return long.sort_values(["row", "gen_share_pct"]).drop(columns="row").reset_index(drop=True)


def implied_dispatch(paper: pd.DataFrame, table: int, total_mw: float) -> pd.Series:
    """Generator MW implied by a postage-stamp generator table: pro rata to its 50% column, scaled to
    ``total_mw`` (postage stamp charges are proportional to MW, so the table fixes the dispatch shares)."""
    t = paper[(paper.table == table) & (paper.gen_share_pct == 50) & (paper.user != "TOTAL")]
    if t.empty or set(t.method) != {"postage"} or set(t.side) != {"gen"}:
        raise ValueError(f"table {table} is not a postage-stamp generator table of paper_tables.csv")
    shares = t.paper.to_numpy(float) / t.paper.sum()
    return pd.Series(shares * total_mw, index=t.user.str[1:].astype(int).to_numpy())


def compare(ours: pd.DataFrame, paper: pd.DataFrame, system: str) -> pd.DataFrame:
    """Every paper entry of ``system`` with our value, the difference and the relative difference."""
    tot = ours.groupby(["method", "side", "gen_share_pct"], as_index=False).charge.sum().assign(user="TOTAL")
    ours = pd.concat([ours, tot], ignore_index=True).rename(columns={"charge": "ours"})
    p = paper[paper.system == system]
    out = p.merge(ours, on=["method", "side", "user", "gen_share_pct"], how="left", validate="one_to_one")
    out["diff"] = out.ours - out.paper
    out["rel_diff"] = np.where(out.paper != 0, out["diff"] / out.paper.where(out.paper != 0, 1.0), 0.0)
    return out


def inconsistent_entries(paper: pd.DataFrame, rel_tol: float = 0.005) -> pd.DataFrame:
    """Entries that break the paper's own linearity in the share (a typo): a generator row must scale
    with the share (value at s = s/50 x value at 50%), a load row with 100 - share."""
    rows = []
    for (table, side, user), g in paper.groupby(["table", "side", "user"]):
        g = g.set_index("gen_share_pct").paper
        gen = side == "gen"
        expected = g.loc[50.0] * g.index / 50.0 if gen else g.loc[0.0] * (100 - g.index) / 100.0
        bad = np.abs(g.to_numpy() - expected) > 3 * ROUNDING + rel_tol * np.abs(expected)
        rows += [{"table": table, "user": user, "gen_share_pct": s, "paper": v, "expected": e}
                 for s, v, e, b in zip(g.index, g.to_numpy(), np.asarray(expected), bad) if b]
    return pd.DataFrame(rows, columns=["table", "user", "gen_share_pct", "paper", "expected"])
