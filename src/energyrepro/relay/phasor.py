"""Independent 60 Hz phasor solution of a :class:`Topology` (numpy nodal analysis), for the EMT check and init.

Phasors are peak phase-to-ground values: v(t) = Re(V exp(j w t)). Ideal sources behind their R-L impedance
become Norton injections; each pi section is a series R + jwL with half its shunt C at each end.
"""

from __future__ import annotations

import numpy as np

from energyrepro.relay.network import Topology


def solve(top: Topology, f_hz: float, G_fault: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Node voltage phasors (3,) by name, plus 'I_ct' (current E -> E2) and 'I_fault' when faulted."""
    w = 2 * np.pi * f_hz
    idx = {n: k for k, n in enumerate(top.nodes)}
    n = 3 * len(top.nodes)
    Y = np.zeros((n, n), complex)
    J = np.zeros(n, complex)

    def stamp(a: str, b: str, y: np.ndarray) -> None:
        for p, q, sign in ((a, a, 1), (b, b, 1), (a, b, -1), (b, a, -1)):
            if p != "gnd" and q != "gnd":
                Y[3 * idx[p]:3 * idx[p] + 3, 3 * idx[q]:3 * idx[q] + 3] += sign * y

    sources = {e.nodes[1]: e.params["V"] for e in top.elements if e.kind == "source"}
    for e in top.elements:
        if e.kind == "source":
            continue
        z = e.params["R"] + 1j * w * e.params["L"]
        a, b = e.nodes
        if a in sources:  # Norton: the ideal source's internal node is eliminated
            y = np.linalg.inv(z)
            Y[3 * idx[b]:3 * idx[b] + 3, 3 * idx[b]:3 * idx[b] + 3] += y
            J[3 * idx[b]:3 * idx[b] + 3] += y @ sources[a]
            continue
        stamp(a, b, np.linalg.inv(z))
        if e.kind == "pi":
            yc = 1j * w * e.params["C"] / 2
            stamp(a, "gnd", yc)
            stamp(b, "gnd", yc)
    if G_fault is not None:
        if top.fault_node is None:
            raise ValueError("a fault conductance was given but the topology has no fault node")
        stamp(top.fault_node, "gnd", G_fault)
    keep = [k for k, name in enumerate(top.nodes) if name not in sources]
    rows = np.concatenate([np.arange(3 * k, 3 * k + 3) for k in keep])
    V = np.zeros(n, complex)
    V[rows] = np.linalg.solve(Y[np.ix_(rows, rows)], J[rows])
    out = {name: V[3 * k:3 * k + 3] for k, name in enumerate(top.nodes)}
    for node, v in sources.items():
        out[node] = v
    ct = next(e for e in top.elements if e.name == top.ct)
    out["I_ct"] = np.linalg.solve(ct.params["R"] + 1j * w * ct.params["L"], out["E"] - out["E2"])
    if G_fault is not None:
        out["I_fault"] = G_fault @ out[top.fault_node]
    return out
