"""The paper's Tables 1-8 (energyrepro.pricing.paper.tables) beside ours: the dispatch they imply, the
difference, the entries that contradict the paper's own table (typos), and one measure per whole table.

The paper truncates its charges to 4 decimals (Table 3: 80/760 x 0.340 = 0.035789 is printed 0.0357),
so an entry carries up to one unit of the last digit (1e-4) of error, and a printed total (the sum of
truncated entries) up to one unit per entry.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

TRUNCATION = 1e-4  # the paper truncates to 4 decimals: up to one unit of the last digit per entry
HEADLINE_SHARE = {"gen": 50.0, "load": 0.0}  # generator share at which each side pays most (gen 50 %, loads 100 %)


def implied_dispatch(paper: pd.DataFrame, table: int, total_mw: float) -> pd.Series:
    """Generator MW implied by a postage-stamp generator table: pro rata to its 50% column, scaled to
    ``total_mw`` (postage stamp charges are proportional to MW, so the table fixes the dispatch shares)."""
    t = paper[(paper.table == table) & (paper.gen_share_pct == 50) & (paper.user != "TOTAL")]
    if t.empty or set(t.method) != {"postage"} or set(t.side) != {"gen"}:
        raise ValueError(f"table {table} is not a postage-stamp generator table of the paper")
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
        bad = np.abs(g.to_numpy() - expected) > 3 * TRUNCATION + rel_tol * np.abs(expected)
        rows += [{"table": table, "user": user, "gen_share_pct": s, "paper": v, "expected": e}
                 for s, v, e, b in zip(g.index, g.to_numpy(), np.asarray(expected), bad) if b]
    return pd.DataFrame(rows, columns=["table", "user", "gen_share_pct", "paper", "expected"])


def headline(cmp: pd.DataFrame) -> pd.DataFrame:
    """The users' entries (no TOTAL) at the share where their side pays most. Every table is linear in the
    share (checked by :func:`inconsistent_entries`), so this column carries the whole table's information
    with the least truncation error."""
    at = cmp.gen_share_pct == cmp.side.map(HEADLINE_SHARE)
    return cmp[at & (cmp.user != "TOTAL")]


def table_measure(cmp: pd.DataFrame, table: int) -> dict:
    """One number per table: the median over its users of |ours - paper| / paper at the headline share
    (fractions), the largest such deviation, and the median share of the paper's truncation (1e-4 / paper)."""
    t = headline(cmp[cmp.table == table])
    if t.empty:
        raise ValueError(f"table {table}: no entries at the headline share (is it in pricing.gen_shares_pct?)")
    rel = (t.ours - t.paper).abs() / t.paper.abs()
    return {"table": table, "n": len(t), "median_abs_rel": float(rel.median()), "max_abs_rel": float(rel.max()),
            "truncation_rel": float((TRUNCATION / t.paper.abs()).median())}


def input_spread(configured: pd.DataFrame, alternatives: list[pd.DataFrame], table: int) -> float:
    """How far our own table moves when inputs the paper does not give take their other admissible values:
    the largest, over the alternatives, median over users of |ours_alt - ours| / ours (0 without alternatives)."""
    base = headline(configured[configured.table == table]).set_index("user").ours
    spread = 0.0
    for alt in alternatives:
        other = headline(alt[alt.table == table]).set_index("user").ours.reindex(base.index)
        spread = max(spread, float(((other - base).abs() / base.abs()).median()))
    return spread


def totals_vs_tc(paper: pd.DataFrame, tc: dict[str, float]) -> pd.DataFrame:
    """Each printed total against the side's pot (share x TC), in units of its truncation allowance
    (one 1e-4 per entry summed): a ratio <= 1 is what truncated entries allow."""
    rows = []
    for (table, system, side), g in paper.groupby(["table", "system", "side"]):
        n = int((g.user != "TOTAL").sum() / g.gen_share_pct.nunique())
        for r in g[g.user == "TOTAL"].itertuples(index=False):
            pot = tc[system] * (r.gen_share_pct if side == "gen" else 100 - r.gen_share_pct) / 100
            rows.append({"table": table, "system": system, "side": side, "gen_share_pct": r.gen_share_pct,
                         "paper": r.paper, "pot": pot, "n_entries": n,
                         "ratio": abs(r.paper - pot) / (n * TRUNCATION)})
    return pd.DataFrame(rows)
