"""Run one case in DPsim's three-phase EMT domain (dpsimpy.emt.ph3) and return the relay's waveforms in memory.

The network starts in its pre-fault steady state: every node is initialised with the phasor load-flow of
:func:`energyrepro.relay.phasor.solve`, so pre-fault samples are clean without a long settling run. The fault
is ONE ``emt.ph3.Switch`` from ground to the fault node whose closed resistance matrix is inv(G).
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import os
import shutil
import sys
import tempfile

import numpy as np

from energyrepro.relay.network import Topology
from energyrepro.relay.phasor import solve

R_OPEN = 1e9  # ohm, open fault switch
SOLVER = "KLU"


_LOG_DIR: list[str] = []
_LIBC = ctypes.CDLL(None)


def _dpsim():
    """dpsimpy with its log files sent to a private temporary folder (removed at exit), not the cwd."""
    import dpsimpy

    if not _LOG_DIR:
        _LOG_DIR.append(tempfile.mkdtemp(prefix="relay_dpsim_"))
        atexit.register(shutil.rmtree, _LOG_DIR[0], True)
        dpsimpy.Logger.set_log_dir(_LOG_DIR[0])
    return dpsimpy


@contextlib.contextmanager
def _quiet_dpsim():
    """DPsim's C++ side writes a notice per simulation to fds 1 and 2 ("MnaSolverFactory info ... creating
    KLUAdapter"); its MnaSolverFactory logger is created at a hard-coded info level that no Python setting
    reaches (LogLevel.off covers the simulation's own loggers only), so both fds go to /dev/null while DPsim
    runs. Errors still surface: DPsim raises them as Python exceptions."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = [os.dup(1), os.dup(2)]
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        yield
    finally:
        _LIBC.fflush(None)  # C stdio buffers hold DPsim's notices: flush them into /dev/null
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for fd in (*saved, devnull):
            os.close(fd)


def simulate(top: Topology, f_hz: float, dt: float, t_end: float, G_fault: np.ndarray | None = None,
             t_fault: float | None = None, extra_nodes: tuple[str, ...] = (),
             init: dict | None = None) -> dict[str, np.ndarray]:
    """EMT run; returns t (n,), v_E (3, n) node voltage at the relay bus, i_E (3, n) CT current E -> LT2,
    and v_<node> for ``extra_nodes``. Samples are the solution at t = k*dt, k = 1..n. ``init``: the pre-fault
    phasor solution when the caller has it already."""
    dps = _dpsim()
    ph3 = dps.emt.ph3
    init = solve(top, f_hz) if init is None else init
    gnd = dps.emt.SimNode.gnd
    # DPsim EMT node init takes line-to-line RMS phasors (scaled by RMS3PH_TO_PEAK1PH = sqrt(2/3) internally)
    k_init = dps.PEAK1PH_TO_RMS3PH
    nodes = {n: dps.emt.SimNode(n, dps.PhaseType.ABC, list(init[n] * k_init)) for n in top.nodes}
    nodes["gnd"] = gnd
    comps = []
    named = {}
    for e in top.elements:
        a, b = (nodes[x] for x in e.nodes)
        p = e.params
        if e.kind == "source":
            c = ph3.VoltageSource(e.name)
            # V_ref is the line-to-line RMS phasor: peak phase * sqrt(3/2)
            c.set_parameters(np.reshape(p["V"] * dps.PEAK1PH_TO_RMS3PH, (3, 1)), f_hz)
            c.connect([a, b])
        elif e.kind == "pi":
            c = ph3.PiLine(e.name)
            c.set_parameters(p["R"], p["L"], p["C"])
            c.connect([a, b])
        elif e.kind == "rl":
            if np.any(p["L"]) and np.any(p["R"]):
                mid = dps.emt.SimNode(e.name + "_m", dps.PhaseType.ABC,
                                      list((init[e.nodes[0]] - (init[e.nodes[0]] - init[e.nodes[1]])
                                            * _r_share(p, f_hz)) * k_init))
                r = ph3.Resistor(e.name + "_r")
                r.set_parameters(p["R"])
                r.connect([a, mid])
                c = ph3.Inductor(e.name)
                c.set_parameters(p["L"])
                c.connect([mid, b])
                comps.append(r)
                nodes[e.name + "_m"] = mid
            elif np.any(p["L"]):
                c = ph3.Inductor(e.name)
                c.set_parameters(p["L"])
                c.connect([a, b])
            else:
                raise ValueError(f"element {e.name}: a pure resistor branch is not supported "
                                 "(DPsim does not update its current)")
        else:
            raise ValueError(f"unknown element kind {e.kind!r}")
        comps.append(c)
        named[e.name] = c
    if G_fault is not None:
        sw = ph3.Switch("fault")
        sw.set_parameters(np.eye(3) * R_OPEN, np.linalg.inv(G_fault), False)
        sw.connect([gnd, nodes[top.fault_node]])
        comps.append(sw)
    with _quiet_dpsim():
        node_list = [v for k, v in nodes.items() if k != "gnd"]
        system = dps.SystemTopology(f_hz, node_list, comps)
        sim = dps.Simulation("relay_case", dps.LogLevel.off)
        sim.set_system(system)
        sim.set_domain(dps.Domain.EMT)
        sim.set_direct_solver_implementation(getattr(dps.DirectLinearSolverImpl, SOLVER))
        sim.set_time_step(dt)
        sim.set_final_time(t_end)
        if G_fault is not None:
            sim.add_event(dps.event.SwitchEvent3Ph(t_fault, sw, True))
        n = int(round(t_end / dt))
        vE, iE = np.empty((3, n)), np.empty((3, n))
        extra = {k: np.empty((3, n)) for k in extra_nodes}
        v_attr, i_attr = nodes[top.relay_bus].attr("v"), named[top.ct].attr("i_intf")
        x_attr = {k: nodes[k].attr("v") for k in extra_nodes}
        sim.start()
        for k in range(n):
            sim.next()
            vE[:, k] = np.ravel(v_attr.get())
            iE[:, k] = np.ravel(i_attr.get())
            for key, at in x_attr.items():
                extra[key][:, k] = np.ravel(at.get())
        sim.stop()
    out = {"t": dt * np.arange(1, n + 1), "v_E": vE, "i_E": -iE}  # DPsim i_intf flows E2 -> E
    out.update({f"v_{k}": v for k, v in extra.items()})
    return out


def _r_share(p: dict, f_hz: float) -> complex:
    """Fraction of an R-L branch's voltage drop across its R (to initialise the R-L midpoint)."""
    w = 2 * np.pi * f_hz
    z = np.trace(p["R"]) + 1j * w * np.trace(p["L"])
    return np.trace(p["R"]) / z
