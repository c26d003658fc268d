"""The paper's stated values and settings (data/paper.yaml, Tables 1-8 in data/paper_tables.csv), and how a
configuration departs from the paper. Every deviation text of the study lives here (`deviations`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

import numpy as np
import pandas as pd

from energyrepro.paperdata import load_paper

DATA = Path(__file__).with_name("data")
SHARE_COLS = ["g0", "g10", "g20", "g30", "g40", "g50"]


def paper() -> dict[str, Any]:
    return load_paper(DATA / "paper.yaml")


def tables() -> pd.DataFrame:
    """Tables 1-8 as printed, long: table, system, method, side, user, gen_share_pct, paper (the paper's order)."""
    wide = pd.read_csv(DATA / paper()["tables_file"], comment="#").assign(row=lambda d: np.arange(len(d)))
    long = wide.melt(id_vars=["table", "system", "method", "side", "user", "row"], value_vars=SHARE_COLS,
                     var_name="col", value_name="paper")
    long["gen_share_pct"] = long.pop("col").str[1:].astype(float)
    return long.sort_values(["row", "gen_share_pct"]).drop(columns="row").reset_index(drop=True)


def deviations(cfg: Mapping, scope: str) -> list[tuple[str, str, str]]:
    """(key, value, why) for every departure from the paper of the part of the study a job runs:
    ``allocation`` (Tables 1-8), ``dispatch`` (GA vs PSO on IEEE 30-bus, wheeling charges)."""
    if scope == "allocation":
        return _allocation(cfg)
    if scope == "dispatch":
        return _dispatch(cfg)
    raise ValueError(f"unknown deviation scope {scope!r}; allowed: allocation, dispatch")


def _allocation(cfg: Mapping) -> list[tuple[str, str, str]]:
    p = paper()
    g, r = cfg["garver6"], cfg["rts24"]
    out = [("power_flow", "dc", "allocation uses the lossless DC power flow (PTDF/GGDF); the paper does not say"),
           ("cost_per_mw_mile", "uniform", "the paper gives no per-line cost per MW-mile: C_k is uniform, so the "
                                           "MW-mile weight of a line is its length"),
           ("garver_topology", g["topology"], "Garver's base network isolates bus 6 and the paper names no "
                                              "corridors: an expansion plan of Romero et al. (2002) is priced"),
           ("line_length", "corridor_cost", "Garver gives no lengths: the corridor cost (= 100 x) is the proxy")]
    for system, implied, feasible in (("garver6", g["dispatch"], True), ("rts24", r["dispatch"], False)):
        table = p[system]["postage_gen_table"]
        if implied == "paper_implied":
            why = f"the paper gives no dispatch: generation pro rata to its Table {table}" + (
                "" if feasible else ", although that exceeds the installed capacity of three units")
        else:
            why = (f"the paper gives no dispatch and the one its Table {table} implies "
                   + ("is not used" if feasible else "exceeds unit capacities") + ": "
                   + ("Garver's fixed schedule" if system == "garver6" else "pandapower's DC OPF") + " instead")
        out.append((f"{system}.dispatch", implied, why))
    for system in ("garver6", "rts24"):
        if cfg[system]["tc"] != p[system]["tc"]:
            out.append((f"{system}.tc", str(cfg[system]["tc"]), f"the paper's TC is {p[system]['tc']}"))
    if list(cfg["gen_shares_pct"]) != p["gen_shares_pct"]:
        out.append(("gen_shares_pct", str(cfg["gen_shares_pct"]), f"the paper's tables use {p['gen_shares_pct']}"))
    if cfg["profit_sharing_r"] != p["profit_sharing_r"]:
        out.append(("profit_sharing_r", str(cfg["profit_sharing_r"]), f"the paper uses r={p['profit_sharing_r']}"))
    return out


def _dispatch(cfg: Mapping) -> list[tuple[str, str, str]]:
    p = paper()["dispatch"]
    d = cfg["dispatch"]
    text = {"dc": "lossless DC balance: the paper's dispatch includes losses",
            "losses": "losses as a quadratic in the 5 outputs fitted to pandapower AC power flows (the paper "
                      "gives no loss model); no voltage or reactive limits",
            "valve_point": "valve-point ripple on the units at buses "
                           f"{', '.join(str(b) for b in d['valve_point']['buses'])} (Walters & Sheble 1993): "
                           "not in the paper, a non-convex case where GA and PSO can differ"}
    out = [(f"variant.{v}", "ours" if v != "losses" else "fitted_losses", text[v]) for v in d["variants"]]
    out += [("line_limits", "dc_ptdf", "line limits checked on DC flows in every variant"),
            ("ga_operators", "tournament+SBX+polynomial_mutation+elitism",
             "the paper names selection, crossover and mutation but not the operators"),
            ("pso_vmax", str(d["pso"]["vmax_frac"]), "velocity clamp not given in the paper"),
            ("pso_iterations", str(d["pso"]["iterations"]), "the paper gives no PSO iteration count: the GA's "
                                                            "generations"),
            ("seeds", str(d["seeds"]), "the paper gives no number of runs per method"),
            ("ieee30_line_cost", "reactance_proxy", "the paper gives no IEEE 30-bus line costs: C_k is proportional "
                                                    "to reactance, charges are fractions of the network's annual cost"),
            ("wheeling_gen_share_pct", str(d["wheeling_gen_share_pct"]),
             "generators pay this share of their line use, loads the rest (as the side shares of Tables 1-8)"),
            ("line_impact_base", "case_schedule", "eq. (6) base case = the case file's own generation schedule")]
    for method in ("ga", "pso"):
        for key, value in p[method].items():
            if d[method][key] != value:
                out.append((f"{method}.{key}", str(d[method][key]), f"the paper uses {value}"))
    return out
