"""Allocation of the transmission cost TC to users (paper sections II-III).

* postage stamp: pro rata MW within the side (generators or loads) that pays a given share of TC;
* MW-mile, eq. (1): ``TC_t = TC_side * sum_k C_k L_k |P_tk| / sum_t sum_k C_k L_k |P_tk|`` with a
  uniform cost per MW per unit length C_k, so the weight of line k is its length L_k;
* used absolute MW-mile, eq. (2): ``sum_k C_k |F_tk| / F_k,max`` (C_k = annual cost of line k);
* used zero counter-flow, eq. (3): the same over flows in the direction of the line's net flow only;
* line impacts, eq. (6) ``|P_t| - |P_b|``, and profit sharing with factor r, eq. (7).
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def postage_stamp(p_mw: np.ndarray, pot: float) -> np.ndarray:
    p = np.asarray(p_mw, float)
    return pot * p / p.sum()


def mw_mile(uflows: np.ndarray, length: np.ndarray, pot: float) -> np.ndarray:
    """Eq. (1) within one side: ``pot`` shared in proportion to each user's MW x length use."""
    use = np.asarray(length, float) @ np.abs(uflows)
    if use.sum() <= 0:
        raise ValueError("MW-mile use is zero for every user: no flow on any line with a length")
    return pot * use / use.sum()


def allocate(users: pd.DataFrame, uflows: np.ndarray, length: np.ndarray, tc: float,
             gen_shares_pct: list[float]) -> pd.DataFrame:
    """Postage-stamp and MW-mile charges of every user for each generator share of TC (loads pay the rest).

    Long frame: method, side, user, gen_share_pct, charge.
    """
    rows = []
    for share in gen_shares_pct:
        if not 0 <= share <= 100:
            raise ValueError(f"generator share {share}% outside 0-100%")
        for side, pot in (("gen", tc * share / 100), ("load", tc * (1 - share / 100))):
            m = (users.side == side).to_numpy()
            for method, charge in (("postage", postage_stamp(users.p_mw[m], pot)),
                                   ("mwmile", mw_mile(uflows[:, m], length, pot))):
                rows += [{"method": method, "side": side, "user": u, "gen_share_pct": float(share), "charge": c}
                         for u, c in zip(users.name[m], charge)]
    return pd.DataFrame(rows)


def absolute_charges(uflows: np.ndarray, cost: np.ndarray, cap_mw: np.ndarray) -> np.ndarray:
    """Eq. (2): every MW a user puts on a line is charged, counter-flows included."""
    return (np.asarray(cost, float) / np.asarray(cap_mw, float)) @ np.abs(uflows)


def zero_counterflow_charges(uflows: np.ndarray, flows: np.ndarray, cost: np.ndarray,
                             cap_mw: np.ndarray) -> np.ndarray:
    """Eq. (3): only the part of a user's flow along the line's net flow is charged; counter-flow is free."""
    along = np.clip(uflows * np.sign(np.asarray(flows, float))[:, None], 0.0, None)
    return (np.asarray(cost, float) / np.asarray(cap_mw, float)) @ along


def profit_sharing(absolute: np.ndarray, zero_cf: np.ndarray, r: float) -> dict[str, np.ndarray | float]:
    """Share the counter-flow price (absolute minus zero counter-flow charge) with factor r.

    The owner keeps 1/r of it, each user gets back (1 - 1/r) of its own counter-flow price, so the
    users' part is split between producers and consumers by their participation in the counter-flow.
    """
    if r < 1:
        raise ValueError(f"profit sharing factor r={r} must be >= 1 (owner share 1/r)")
    counterflow = np.asarray(absolute, float) - np.asarray(zero_cf, float)
    return {"counterflow": counterflow, "shared": np.asarray(zero_cf, float) + counterflow / r,
            "owner_gain": counterflow.sum() / r, "users_gain": counterflow.sum() * (1 - 1 / r)}


def line_impacts(base_flows: np.ndarray, transaction_flows: np.ndarray) -> np.ndarray:
    """Eq. (6): ``|P_t,i| - |P_b,i|``; negative where the transaction relieves line i."""
    return np.abs(transaction_flows) - np.abs(base_flows)


def negative_impact(impacts: np.ndarray, r: float) -> tuple[float, float]:
    """Eq. (7): total relieved flow sum |dP_i| over dP_i < 0, and its 1/r part (the owner's)."""
    neg = float(np.abs(impacts[impacts < 0]).sum())
    return neg, neg / r
