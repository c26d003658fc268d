"""One fault case end to end: timing from the inception angle, DPsim run, measurement chain, relay record."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

import numpy as np
import pandas as pd
import yaml

from energyrepro.relay import emt
from energyrepro.relay.faults import FAULT_TYPES, fault_class, fault_conductance
from energyrepro.relay.measurement import Chain, chain_from_config, filtered, measure
from energyrepro.relay.network import Network, build_topology, network_from_config
from energyrepro.relay.phasor import solve
from energyrepro.relay.windows import fault_sample


@dataclass(frozen=True)
class SimSettings:
    steps_per_ms: int  # EMT step = 1 ms / steps_per_ms
    settle_ms: float  # simulated steady state before the earliest inception
    post_ms: float  # simulated time after the latest possible inception

    def dt(self) -> float:
        return 1e-3 / self.steps_per_ms


SYSTEM_YAML = Path(__file__).with_name("data") / "system.yaml"


def load_system(path: str | os.PathLike | None = None) -> dict:
    """The network/measurement/zones description (default: the documented data/system.yaml)."""
    path = Path(path) if path else SYSTEM_YAML
    if not path.is_file():
        raise FileNotFoundError(f"relay system file not found: {path}")
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def settings_from_config(cfg: Mapping) -> tuple[Network, Chain, SimSettings]:
    """(network, measurement chain, EMT settings) from a system description (see :func:`load_system`)."""
    net = network_from_config(cfg["network"])
    sim = SimSettings(cfg["simulation"]["steps_per_ms"], cfg["simulation"]["settle_ms"], cfg["simulation"]["post_ms"])
    if sim.dt() > 50e-6 + 1e-12:
        raise ValueError(f"config relay.simulation.steps_per_ms={sim.steps_per_ms} gives a step above 50 us")
    chain = chain_from_config(cfg["measurement"], 1.0 / sim.dt(), net.f_hz, net.v_peak)
    return net, chain, sim


def inception_time(v_a: complex, angle_deg: float, f_hz: float, t_min: float, dt: float) -> float:
    """First time >= t_min (on the step grid) at which phase A at E is ``angle_deg`` past its rising zero."""
    w = 2 * np.pi * f_hz
    # v_a(t) = |V| cos(w t + th): rising zero when w t + th = -pi/2
    phase = (np.radians(angle_deg) - np.pi / 2 - np.angle(v_a)) % (2 * np.pi)
    t = phase / w
    t += np.ceil((t_min - t) * f_hz - 1e-12) / f_hz if t < t_min else 0.0
    return round(t / dt) * dt


def n_record(sim: SimSettings, f_hz: float) -> int:
    """Samples (1 kHz) in every record: settle + one cycle of possible inception offsets + post."""
    return int(np.floor(sim.settle_ms + 1e3 / f_hz + sim.post_ms))


def run_case(net: Network, chain: Chain, sim: SimSettings, ftype: str, km: float, r_ohm: float, angle_deg: float,
             keep_waveforms: bool = False) -> dict:
    """Simulate one fault; returns record (6, m) float32, F (the window origin, :func:`windows.fault_sample`),
    t_fault."""
    top = build_topology(net, km)
    init = solve(top, net.f_hz)
    dt = sim.dt()
    t_f = inception_time(init["E"][0], angle_deg, net.f_hz, sim.settle_ms * 1e-3, dt)
    m = n_record(sim, net.f_hz)
    res = emt.simulate(top, net.f_hz, dt, m * 1e-3, fault_conductance(ftype, r_ohm), t_f, init=init)
    rec = measure(res["v_E"], res["i_E"], chain)
    out = {"record": rec, "F": fault_sample(t_f), "t_fault": t_f}
    if keep_waveforms:
        vf, if_ = filtered(res["v_E"], res["i_E"], chain)
        out.update(t=res["t"], v_raw=res["v_E"], i_raw=res["i_E"], v_filt=vf, i_filt=if_)
    return out


def run_cases(cfg: Mapping, cases: pd.DataFrame, progress=None) -> dict[str, np.ndarray]:
    """Run every row of ``cases`` (dataset, case, ftype, km, r_ohm, angle_deg); stacked records and metadata."""
    net, chain, sim = settings_from_config(cfg)
    recs, F, tf = [], [], []
    for r in cases.itertuples(index=False):
        out = run_case(net, chain, sim, r.ftype, r.km, r.r_ohm, r.angle_deg)
        recs.append(out["record"])
        F.append(out["F"])
        tf.append(out["t_fault"])
        if progress is not None:
            progress.update()
    m = n_record(sim, net.f_hz)
    return {"records": np.asarray(recs, np.float32).reshape(len(cases), 6, m), "F": np.asarray(F, np.int32),
            "t_fault": np.asarray(tf), "dataset": cases["dataset"].to_numpy(str), "case": cases["case"].to_numpy(),
            "ftype": cases["ftype"].to_numpy(str),
            "km": cases["km"].to_numpy(float), "r_ohm": cases["r_ohm"].to_numpy(float),
            "angle_deg": cases["angle_deg"].to_numpy(float)}


def waveform_cases(system: Mapping, case: Mapping) -> dict[str, np.ndarray]:
    """One fault of every type at ``case`` (km, r_pg, r_pp, angle_deg) kept at the EMT rate: raw, filtered and
    sampled signals (keys ``<type>_<signal>``) and the input bases, for the waveform figures."""
    net, chain, sim = settings_from_config(system)
    arrays: dict[str, np.ndarray] = {}
    for ftype in FAULT_TYPES:
        r = case["r_pg"] if fault_class(ftype) in ("LG", "LLG") else case["r_pp"]
        out = run_case(net, chain, sim, ftype, case["km"], r, case["angle_deg"], keep_waveforms=True)
        for k in ("record", "t", "v_raw", "i_raw", "v_filt", "i_filt", "F", "t_fault"):
            arrays[f"{ftype}_{k}"] = np.asarray(out[k])
        arrays[f"{ftype}_r"] = np.asarray(r)
    arrays.update(km=np.asarray(case["km"]), angle_deg=np.asarray(case["angle_deg"]),
                  v_base=np.asarray(chain.v_base), i_base=np.asarray(chain.i_base), types=np.array(FAULT_TYPES))
    return arrays
