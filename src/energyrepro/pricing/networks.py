"""The priced networks as pandapower nets plus the branch data pricing needs (length, capacity, cost).

Why pandapower: its DC power flow and ``makePTDF`` are the reference engines; we only add what the
cases lack (Garver has no pandapower case; RTS-24 has 1.0 placeholders for line lengths).
Branch rows follow pandapower's internal (ppc) branch order (lines, then transformers), so a PTDF
row ``k`` and ``branches.iloc[k]`` describe the same branch.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

DATA = Path(str(resources.files("energyrepro.pricing") / "data"))
DATA_FILES = ("garver6_buses.csv", "garver6_corridors.csv", "rts24_branch_lengths.csv")
"""The network data this package adds to pandapower's cases (logged as the allocation run's input)."""
GARVER_KV, GARVER_BASE_MVA = 240.0, 100.0
GARVER_TOPOLOGIES = ("redispatch", "fixed")


class NetworkDataError(ValueError):
    """Network data that cannot be used; the message names the file or key."""


@dataclass
class PricedNetwork:
    """A network with its pricing data.

    ``branches``: one row per ppc branch with ``name, from_bus, to_bus, length, cap_mw, cost`` where
    ``length`` weights MW-mile (eq. 1) and ``cost`` is the branch's share of the annual cost TC used by
    the absolute / zero counter-flow charges (eqs. 2-3), scaled so that it sums to ``tc``.
    ``users``: ``name, side (gen|load), bus (system bus number), ppc_bus, p_mw``.
    """

    name: str
    net: object
    branches: pd.DataFrame
    users: pd.DataFrame
    tc: float
    unit: str


@lru_cache(maxsize=None)
def _case(name: str):
    import pandapower.networks as pn

    return getattr(pn, name)()


def pandapower_case(name: str):
    """A fresh copy of a pandapower test case (e.g. ``case24_ieee_rts``, ``case30``): parsing one from its JSON
    costs ~0.3 CPU-s, copying the parsed net ~0.01 s, and a job builds the same case many times."""
    return copy.deepcopy(_case(name))


def read_data(name: str) -> pd.DataFrame:
    path = DATA / name
    if not path.is_file():
        raise NetworkDataError(f"pricing data file missing: {path}")
    return pd.read_csv(path, comment="#")


def _bus_lookup(net) -> np.ndarray:
    import pandapower as pp

    if getattr(net, "_ppc", None) is None:
        pp.rundcpp(net)
    return np.asarray(net._pd2ppc_lookups["bus"])


def build_garver(topology: str = "redispatch") -> tuple[object, pd.DataFrame]:
    """Garver's 6-bus system with the circuits of ``topology`` (a column ``n_<topology>`` of the corridor file).

    Returns the net (no generation set yet) and the corridor rows in service, in the net's line order
    (fresh copies: building the net once costs more than copying it).
    """
    net, corr = _garver(topology)
    return copy.deepcopy(net), corr.copy()


@lru_cache(maxsize=None)
def _garver(topology: str) -> tuple[object, pd.DataFrame]:
    import pandapower as pp

    if topology not in GARVER_TOPOLOGIES:
        raise NetworkDataError(f"pricing.garver.topology={topology!r}; allowed: {', '.join(GARVER_TOPOLOGIES)}"
                               " (the base topology leaves bus 6 isolated)")
    buses, corr = read_data("garver6_buses.csv"), read_data("garver6_corridors.csv")
    col = f"n_{topology}"
    corr = corr[corr[col] > 0].reset_index(drop=True)
    net = pp.create_empty_network(sn_mva=GARVER_BASE_MVA)
    idx = {int(b): pp.create_bus(net, vn_kv=GARVER_KV, name=str(int(b))) for b in buses.bus}
    z_base = GARVER_KV**2 / GARVER_BASE_MVA
    for r in corr.itertuples(index=False):
        pp.create_line_from_parameters(
            net, idx[r.from_bus], idx[r.to_bus], length_km=1.0, r_ohm_per_km=0.0,
            x_ohm_per_km=r.x_pu * z_base, c_nf_per_km=0.0, max_i_ka=r.cap_mw / (math.sqrt(3) * GARVER_KV),
            parallel=int(r[corr.columns.get_loc(col)]), name=f"{r.from_bus}-{r.to_bus}")
    for r in buses.itertuples(index=False):
        if r.load_mw > 0:
            pp.create_load(net, idx[r.bus], p_mw=float(r.load_mw), name=f"L{r.bus}")
    gen_buses = buses[buses.gen_max_mw > 0]
    slack = int(gen_buses.sort_values("gen_max_mw").bus.iloc[-1])  # largest plant balances the DC flow
    for r in gen_buses.itertuples(index=False):
        if r.bus == slack:
            pp.create_ext_grid(net, idx[r.bus], name=f"G{r.bus}")
        else:
            pp.create_gen(net, idx[r.bus], p_mw=0.0, max_p_mw=float(r.gen_max_mw), name=f"G{r.bus}")
    corr = corr.assign(circuits=corr[col])
    if not nx_connected(net):
        raise NetworkDataError(f"Garver topology {topology!r} leaves a bus isolated (garver6_corridors.csv)")
    return net, corr


def nx_connected(net) -> bool:
    import pandapower.topology as top

    return len(list(top.connected_components(top.create_nxgraph(net)))) == 1


def garver_network(topology: str, dispatch: pd.Series, tc: float, unit: str) -> PricedNetwork:
    """Garver with ``dispatch`` (MW per generator bus number). Length = corridor cost per circuit
    (cost = 100 x is proportional to length); branch cost = circuits x corridor cost."""
    net, corr = build_garver(topology)
    branches = pd.DataFrame({
        "name": corr.from_bus.astype(str) + "-" + corr.to_bus.astype(str),
        "from_bus": corr.from_bus, "to_bus": corr.to_bus, "circuits": corr.circuits,
        "length": corr.cost_kusd.astype(float), "cap_mw": (corr.cap_mw * corr.circuits).astype(float),
        "invest": (corr.cost_kusd * corr.circuits).astype(float)})
    branches["cost"] = tc * branches.invest / branches.invest.sum()
    return _finish("garver6", net, branches.drop(columns="invest"), dispatch, tc, unit)


def rts24_network(dispatch: pd.Series, tc: float, unit: str) -> PricedNetwork:
    """pandapower's IEEE RTS-24 with the RTS-GMLC lengths; branch cost proportional to length
    (uniform cost per MW-mile; transformers, length 0, carry no cost)."""
    import pandapower as pp
    from pandapower.pypower.idx_brch import F_BUS, RATE_A, T_BUS

    net = pandapower_case("case24_ieee_rts")
    pp.rundcpp(net)
    ppc = net._ppc
    lengths = read_data("rts24_branch_lengths.csv")
    names = {int(i): str(n) for i, n in zip(net.bus.index, net.bus.name)}
    inv = {v: k for k, v in enumerate(net._pd2ppc_lookups["bus"])}
    pool = {}
    for r in lengths.itertuples(index=False):
        pool.setdefault(tuple(sorted((int(r.from_bus), int(r.to_bus)))), []).append(r)
    rows = []
    for br in ppc["branch"]:
        f, t = (int(names[inv[int(br[F_BUS].real)]]), int(names[inv[int(br[T_BUS].real)]]))
        key = tuple(sorted((f, t)))
        if not pool.get(key):
            raise NetworkDataError(f"rts24_branch_lengths.csv has no (more) rows for RTS branch {f}-{t}")
        r = pool[key].pop(0)
        rows.append({"name": r.id, "from_bus": f, "to_bus": t, "circuits": 1, "length": float(r.length_mi),
                     "cap_mw": float(br[RATE_A].real)})
    left = [r.id for v in pool.values() for r in v]
    if left:
        raise NetworkDataError(f"rts24_branch_lengths.csv rows not in pandapower's case24_ieee_rts: {left}")
    branches = pd.DataFrame(rows)
    branches["cost"] = tc * branches.length / branches.length.sum()
    net._ppc = None
    return _finish("rts24", net, branches, dispatch, tc, unit)


def _finish(name, net, branches, dispatch: pd.Series, tc, unit) -> PricedNetwork:
    """Set the generators to ``dispatch`` (index = bus number) and list the users (generators and loads)."""
    import pandapower as pp

    bus_no = {int(i): int(n) for i, n in zip(net.bus.index, net.bus.name)}
    gen_bus_no = net.gen.bus.map(bus_no)
    missing = sorted(set(dispatch.index) - set(gen_bus_no) - set(net.ext_grid.bus.map(bus_no)))
    if missing:
        raise NetworkDataError(f"{name}: dispatch names buses without a generator: {missing}")
    net.gen["p_mw"] = gen_bus_no.map(lambda b: float(dispatch.get(b, 0.0))).to_numpy()
    if len(net.sgen):  # RTS-24 splits plants into gen + sgen units: the gen element carries the plant total
        net.sgen["p_mw"] = 0.0
    pp.rundcpp(net)
    lookup = _bus_lookup(net)
    users = [{"name": f"G{b}", "side": "gen", "bus": int(b), "p_mw": float(p)} for b, p in dispatch.items() if p > 0]
    loads = net.load.groupby(net.load.bus.map(bus_no)).p_mw.sum()
    users += [{"name": f"L{b}", "side": "load", "bus": int(b), "p_mw": float(p)} for b, p in loads.items() if p > 0]
    users = pd.DataFrame(users)
    inv_no = {n: i for i, n in bus_no.items()}
    users["ppc_bus"] = users.bus.map(lambda b: int(lookup[inv_no[b]]))
    gen_total, load_total = users.loc[users.side == "gen", "p_mw"].sum(), users.loc[users.side == "load", "p_mw"].sum()
    if not np.isclose(gen_total, load_total, rtol=1e-6):
        raise NetworkDataError(f"{name}: dispatch {gen_total:.3f} MW does not balance load {load_total:.3f} MW "
                               "(lossless DC model)")
    return PricedNetwork(name, net, branches.reset_index(drop=True), users, float(tc), unit)


def garver_reference_dispatch() -> pd.Series:
    """Garver's fixed generation schedule (50/165/545 MW at buses 1/3/6), MW by bus number."""
    b = read_data("garver6_buses.csv")
    b = b[b.gen_garver_mw > 0]
    return pd.Series(b.gen_garver_mw.to_numpy(float), index=b.bus.astype(int))


def rts24_reference_dispatch() -> pd.Series:
    """The DC optimal power flow of pandapower's RTS-24 (its own costs and limits), MW by bus number."""
    import pandapower as pp

    net = pandapower_case("case24_ieee_rts")
    pp.rundcopp(net)
    bus_no = dict(zip(net.bus.index, net.bus.name.astype(int)))
    p = pd.concat([net[f"res_{el}"].p_mw.groupby(net[el].bus.map(bus_no)).sum() for el in ("gen", "sgen", "ext_grid")])
    p = p.groupby(level=0).sum()
    return p[p > 1e-6]
