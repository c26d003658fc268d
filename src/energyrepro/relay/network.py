"""The 440 kV test system (paper Fig. 1 is missing, so it is designed here and documented in docs/relay.md).

Local source S -- LT1 (reverse line) -- bus E (relay, CT) -- LT2 (protected, 150 km) -- bus F -- LT3 -- bus G
-- remote source. Positions are km from E: negative = on LT1 (reverse), 0..len(LT2) on LT2, beyond on LT3.
Lines are transposed, given by positive/zero-sequence R, L, C per km, and cut into cascaded pi sections.
Both the EMT runner (DPsim) and the independent phasor solver consume the same :class:`Topology`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Mapping

import numpy as np

A = np.exp(-2j * np.pi / 3)
POSITIVE = np.array([1.0, A, A**2])  # phase a, b, c of a positive-sequence set (b lags a by 120 deg)


def phase_matrix(x1: float, x0: float) -> np.ndarray:
    """3x3 phase-domain matrix of a transposed element from its positive/zero-sequence values."""
    s, m = (x0 + 2 * x1) / 3, (x0 - x1) / 3
    return np.full((3, 3), m) + np.eye(3) * (s - m)


@dataclass(frozen=True)
class LineConstants:
    """Per-km sequence constants: ohm/km, H/km, F/km."""

    r1: float
    l1: float
    c1: float
    r0: float
    l0: float
    c0: float

    def matrices(self, km: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Total series R, series L and shunt C phase matrices of ``km`` of line."""
        return (phase_matrix(self.r1, self.r0) * km, phase_matrix(self.l1, self.l0) * km,
                phase_matrix(self.c1, self.c0) * km)


@dataclass(frozen=True)
class Source:
    """Ideal source (line-line RMS kV magnitude in pu, angle deg) behind a sequence R-L impedance."""

    v_pu: float
    angle_deg: float
    r1: float
    l1: float
    r0: float
    l0: float


@dataclass(frozen=True)
class Network:
    f_hz: float
    v_ll_kv: float
    line: LineConstants
    lengths: Mapping[str, float]  # LT1 (reverse), LT2 (protected), LT3 (beyond)
    local: Source
    remote: Source
    max_section_km: float
    ct_henry: float  # tiny series inductor whose current is the CT current at E

    @property
    def v_peak(self) -> float:
        """Peak phase-to-ground nominal voltage in V."""
        return self.v_ll_kv * 1e3 * math.sqrt(2.0 / 3.0)

    @property
    def span(self) -> tuple[float, float]:
        return -self.lengths["LT1"], self.lengths["LT2"] + self.lengths["LT3"]


def network_from_config(cfg: Mapping) -> Network:
    """Build the network from the config section ``relay.network`` (clear error on a missing key)."""
    try:
        ln = cfg["line"]
        line = LineConstants(ln["r1_ohm_km"], ln["x1_ohm_km"] / (2 * np.pi * cfg["f_hz"]), ln["c1_nf_km"] * 1e-9,
                             ln["r0_ohm_km"], ln["x0_ohm_km"] / (2 * np.pi * cfg["f_hz"]), ln["c0_nf_km"] * 1e-9)

        def src(s):
            w = 2 * np.pi * cfg["f_hz"]
            return Source(s["v_pu"], s["angle_deg"], s["r1_ohm"], s["x1_ohm"] / w, s["r0_ohm"], s["x0_ohm"] / w)

        return Network(cfg["f_hz"], cfg["v_ll_kv"], line, dict(cfg["lengths_km"]), src(cfg["local_source"]),
                       src(cfg["remote_source"]), cfg["max_section_km"], cfg["ct_henry"])
    except KeyError as exc:
        raise KeyError(f"config relay.network is missing key {exc}") from exc


@dataclass
class Element:
    """One network element: kind in {source, rl, pi}; nodes are names ('gnd' = ground)."""

    kind: str
    name: str
    nodes: tuple[str, str]
    params: dict = field(default_factory=dict)


@dataclass
class Topology:
    nodes: list[str]
    elements: list[Element]
    fault_node: str | None = None
    relay_bus: str = "E"
    ct: str = "ct"


def sections(km: float, max_km: float) -> int:
    return max(1, math.ceil(km / max_km - 1e-9))


def _add_line(top: Topology, net: Network, name: str, a: str, b: str, km: float) -> None:
    n = sections(km, net.max_section_km)
    R, L, C = net.line.matrices(km / n)
    prev = a
    for k in range(n):
        nxt = b if k == n - 1 else f"{name}_{k + 1}"
        if nxt != b:
            top.nodes.append(nxt)
        top.elements.append(Element("pi", f"{name}_s{k}", (prev, nxt), {"R": R, "L": L, "C": C}))
        prev = nxt


def _add_source(top: Topology, net: Network, name: str, bus: str, s: Source) -> None:
    inner = f"{name}_int"
    top.nodes.append(inner)
    v = s.v_pu * net.v_peak * np.exp(1j * np.radians(s.angle_deg)) * POSITIVE
    top.elements.append(Element("source", name, ("gnd", inner), {"V": v}))
    top.elements.append(Element("rl", f"{name}_z", (inner, bus),
                                {"R": phase_matrix(s.r1, s.r0), "L": phase_matrix(s.l1, s.l0)}))


def locate(net: Network, d_km: float) -> tuple[str, float]:
    """(line, km from that line's E-side end) of a fault ``d_km`` from E; E-side of LT1 is E."""
    lo, hi = net.span
    if not lo <= d_km <= hi:
        raise ValueError(f"fault position {d_km} km outside the network span [{lo}, {hi}] km")
    if d_km < 0:
        return "LT1", -d_km
    if d_km <= net.lengths["LT2"]:
        return "LT2", d_km
    return "LT3", d_km - net.lengths["LT2"]


def build_topology(net: Network, fault_km: float | None = None) -> Topology:
    """The pi-section network; with ``fault_km`` the faulted line is split at a new node 'FLT'."""
    top = Topology(nodes=["S", "E", "E2", "F", "G"], elements=[])
    # line name -> (E-side node, far node); LT1 runs from E back to S
    ends = {"LT1": ("E", "S"), "LT2": ("E2", "F"), "LT3": ("F", "G")}
    fl, fkm = locate(net, fault_km) if fault_km is not None else (None, None)
    for name, (a, b) in ends.items():
        length = net.lengths[name]
        if name != fl:
            _add_line(top, net, name, a, b, length)
        elif fkm <= 1e-6:
            top.fault_node = a
            _add_line(top, net, name, a, b, length)
        elif fkm >= length - 1e-6:
            top.fault_node = b
            _add_line(top, net, name, a, b, length)
        else:
            top.nodes.append("FLT")
            top.fault_node = "FLT"
            _add_line(top, net, name + "a", a, "FLT", fkm)
            _add_line(top, net, name + "b", "FLT", b, length - fkm)
    top.elements.append(Element("rl", "ct", ("E", "E2"), {"R": np.zeros((3, 3)), "L": np.eye(3) * net.ct_henry}))
    _add_source(top, net, "src_local", "S", net.local)
    _add_source(top, net, "src_remote", "G", net.remote)
    return top
