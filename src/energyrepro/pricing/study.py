"""One pricing case end to end: network + dispatch -> flows, factors, allocations, counter-flow charges."""

from __future__ import annotations

import numpy as np
import pandas as pd

from energyrepro.pricing import allocation as al
from energyrepro.pricing import networks as nw
from energyrepro.pricing.distance import counterpart_distance
from energyrepro.pricing.factors import injections, pandapower_ac_flows, pandapower_dc_flows, ptdf, user_flows
from energyrepro.pricing.reference import implied_dispatch

SYSTEMS = ("garver6", "rts24")
IMPLIED_FROM = {"garver6": 1, "rts24": 5}  # the paper's postage-stamp generator table of each system


def capacity_by_bus(system: str) -> pd.Series:
    """Installed generation capacity (MW) per bus number."""
    if system == "garver6":
        b = nw.read_data("garver6_buses.csv")
        return pd.Series(b.gen_max_mw.to_numpy(float), index=b.bus.astype(int))
    import pandapower.networks as pn

    net = pn.case24_ieee_rts()
    no = dict(zip(net.bus.index, net.bus.name.astype(int)))
    cap = pd.concat([net[el].max_p_mw.groupby(net[el].bus.map(no)).sum() for el in ("gen", "sgen", "ext_grid")])
    return cap.groupby(level=0).sum()


def dispatch_for(system: str, source: str, paper: pd.DataFrame, total_load: float) -> pd.Series:
    """MW per generator bus: ``paper_implied`` (from the paper's postage table) or ``reference``
    (Garver's fixed schedule / pandapower's DC OPF of RTS-24)."""
    if source == "paper_implied":
        return implied_dispatch(paper, IMPLIED_FROM[system], total_load)
    if source == "reference":
        return nw.garver_reference_dispatch() if system == "garver6" else nw.rts24_reference_dispatch()
    raise ValueError(f"pricing.{system}.dispatch={source!r}; allowed: paper_implied, reference")


def build(system: str, cfg: dict, paper: pd.DataFrame) -> nw.PricedNetwork:
    scfg = cfg[system]
    total_load = {"garver6": nw.read_data("garver6_buses.csv").load_mw.sum(), "rts24": 2850.0}[system]
    d = dispatch_for(system, scfg["dispatch"], paper, total_load)
    if system == "garver6":
        return nw.garver_network(scfg["topology"], d, scfg["tc"], scfg["unit"])
    return nw.rts24_network(d, scfg["tc"], scfg["unit"])


def price(pn: nw.PricedNetwork, gen_shares_pct: list[float], r: float, ac: bool = False) -> dict[str, pd.DataFrame]:
    """Allocations (long), users (MW, distances, eq. 2/3 charges), lines (our DC flows, pandapower's DC
    flows and, with ``ac``, its AC flows at the same dispatch)."""
    A = ptdf(pn.net)
    u = pn.users
    is_gen = (u.side == "gen").to_numpy()
    flows = A @ injections(A.shape[1], u.ppc_bus.to_numpy(), u.p_mw.to_numpy(), is_gen)
    uf = user_flows(A, flows, u.ppc_bus.to_numpy(), u.p_mw.to_numpy(), is_gen)
    b = pn.branches
    alloc = al.allocate(u, uf, b.length.to_numpy(), pn.tc, gen_shares_pct)
    absolute = al.absolute_charges(uf, b.cost.to_numpy(), b.cap_mw.to_numpy())
    zero_cf = al.zero_counterflow_charges(uf, flows, b.cost.to_numpy(), b.cap_mw.to_numpy())
    share = al.profit_sharing(absolute, zero_cf, r)
    users = u.drop(columns="ppc_bus").assign(
        mw_mile_use=b.length.to_numpy() @ np.abs(uf), distance=counterpart_distance(b, u),
        absolute=absolute, zero_counterflow=zero_cf, counterflow=share["counterflow"], shared=share["shared"])
    lines = b.assign(flow_mw=flows, pandapower_flow_mw=pandapower_dc_flows(pn.net),
                     loading=np.abs(flows) / b.cap_mw)
    if ac:
        lines["ac_flow_mw"] = pandapower_ac_flows(pn.net)
    flows_by_user = pd.DataFrame(uf, columns=u.name).assign(branch=b.name.to_numpy())
    return {"allocation": alloc, "users": users, "lines": lines, "user_flows": flows_by_user}


def sensitivity(system: str, cfg: dict, paper: pd.DataFrame) -> pd.DataFrame:
    """How far our MW-mile tables are from the paper's under every dispatch (and Garver topology) choice.

    Reported beside the configured choice to show what the unknown data do; never used to pick it.
    """
    from energyrepro.pricing.reference import compare

    rows = []
    topologies = nw.GARVER_TOPOLOGIES if system == "garver6" else (None,)
    for topo in topologies:
        for source in ("paper_implied", "reference"):
            c = {**cfg, system: {**cfg[system], "dispatch": source, **({"topology": topo} if topo else {})}}
            res = price(build(system, c, paper), [0.0, 50.0], cfg["profit_sharing_r"])
            cmp = compare(res["allocation"], paper, system)
            m = cmp[(cmp.method == "mwmile") & (cmp.user != "TOTAL") & (cmp.paper != 0)]
            cap = capacity_by_bus(system)
            gens = res["users"][res["users"].side == "gen"]
            over = (gens.p_mw.to_numpy() > cap.reindex(gens.bus).to_numpy() + 1e-6).sum()
            rows.append({"system": system, "topology": topo or "-", "dispatch": source,
                         "configured": source == cfg[system]["dispatch"] and (topo is None or topo == cfg[system]["topology"]),
                         "units_over_capacity": int(over), "mwmile_max_abs_rel_diff": m.rel_diff.abs().max(),
                         "mwmile_median_abs_rel_diff": m.rel_diff.abs().median()})
    return pd.DataFrame(rows)
