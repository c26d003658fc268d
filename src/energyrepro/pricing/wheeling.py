"""Wheeling charges at a dispatch of the IEEE 30-bus problem: used absolute (eq. 2) vs zero
counter-flow (eq. 3), the counter-flow price shared with factor r, and the line impacts (eq. 6)
of the dispatch against the case's base dispatch.

The paper gives no line costs for IEEE 30-bus: line k's annual cost C_k is taken proportional to
its reactance (a length proxy) and normalised so that sum C_k = 1, i.e. charges are fractions of
the network's annual cost.

Generators and loads each carry the whole flow of a line (GGDF columns sum to the line flows, and so do
GLDF columns), so charging both sides their full use would bill every line twice. As in the paper's
Tables 1-8, the two sides split the cost: generators pay ``gen_share_pct`` % of their use, loads the rest.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from energyrepro.pricing import allocation as al
from energyrepro.pricing.dispatch import DispatchProblem
from energyrepro.pricing.factors import user_flows


def users_of(problem: DispatchProblem, P: np.ndarray) -> pd.DataFrame:
    """Generators (with output > 0) and loads as users: name, side, ppc_bus, p_mw (bus numbers are 1-based)."""
    gens = pd.DataFrame({"name": [f"G{b + 1}" for b in problem.unit_bus], "side": "gen",
                         "ppc_bus": problem.unit_bus, "p_mw": P})
    lb = np.flatnonzero(problem.load_inj < 0)
    loads = pd.DataFrame({"name": [f"L{b + 1}" for b in lb], "side": "load", "ppc_bus": lb,
                          "p_mw": -problem.load_inj[lb]})
    gens = gens[gens.p_mw > 1e-9]
    return pd.concat([gens, loads], ignore_index=True)


def side_weights(users: pd.DataFrame, gen_share_pct: float) -> np.ndarray:
    """Each user's share of its own line use that it pays: generators s %, loads 100 - s %."""
    if not 0 <= gen_share_pct <= 100:
        raise ValueError(f"generator share {gen_share_pct}% outside 0-100%")
    s = gen_share_pct / 100
    return np.where((users.side == "gen").to_numpy(), s, 1 - s)


def wheeling(problem: DispatchProblem, P: np.ndarray, P_base: np.ndarray, line_cost: np.ndarray,
             r: float, gen_share_pct: float) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Per-user charges, per-line impacts and a summary for full dispatch ``P`` (slack first)."""
    users = users_of(problem, np.asarray(P, float))
    weight = side_weights(users, gen_share_pct)
    flows = problem.flows(np.atleast_2d(P))[0]
    uf = user_flows(problem.A, flows, users.ppc_bus.to_numpy(), users.p_mw.to_numpy(),
                    (users.side == "gen").to_numpy())
    cost = np.asarray(line_cost, float) / np.sum(line_cost)
    absolute = weight * al.absolute_charges(uf, cost, problem.rate)
    zero_cf = weight * al.zero_counterflow_charges(uf, flows, cost, problem.rate)
    share = al.profit_sharing(absolute, zero_cf, r)
    users = users.assign(absolute=absolute, zero_counterflow=zero_cf, counterflow=share["counterflow"],
                         shared=share["shared"]).drop(columns="ppc_bus")
    base = problem.flows(np.atleast_2d(P_base))[0]
    impacts = al.line_impacts(base, flows)
    neg, owner = al.negative_impact(impacts, r)
    lines = pd.DataFrame({"branch": np.arange(len(flows)), "base_mw": base, "flow_mw": flows,
                          "impact_mw": impacts})
    by_side = users.groupby("side")[["absolute", "zero_counterflow", "counterflow", "shared"]].sum()
    summary = {"absolute_total": float(absolute.sum()), "zero_counterflow_total": float(zero_cf.sum()),
               "counterflow_total": float(share["counterflow"].sum()), "owner_gain": float(share["owner_gain"]),
               "users_gain": float(share["users_gain"]), "shared_total": float(share["shared"].sum()),
               "producers_counterflow": float(by_side.counterflow.get("gen", 0.0)),
               "consumers_counterflow": float(by_side.counterflow.get("load", 0.0)),
               "negative_impact_mw": neg, "negative_impact_owner_mw": owner}
    return users, lines, summary
