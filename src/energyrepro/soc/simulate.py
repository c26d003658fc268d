"""Simulated drive cycles: a PyBaMM physics model (SPMe/DFN, lumped thermal) from full charge to cut-off.

The true SOC is read from the model's state (volume-averaged negative-particle stoichiometry mapped
between the parameter set's 0 % and 100 % SOC stoichiometries), never from integrating the current, so
Coulomb counting is a real baseline and not the label generator.  Sensor noise is added separately
(:func:`add_sensor_noise`) with its own seed, so the cached physics run is independent of it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

F = 96485.33212  # C/mol


@dataclass(frozen=True)
class CellInfo:
    """What a user of the simulated data needs about the cell."""

    parameter_set: str
    nominal_ah: float
    capacity_ah: float  # charge between the 0 % and 100 % SOC stoichiometries of the negative electrode
    x0: float
    x100: float


def cell_info(parameter_set: str) -> CellInfo:
    import pybamm

    p = pybamm.ParameterValues(parameter_set)
    x0, x100, _, _ = pybamm.lithium_ion.get_min_max_stoichiometries(p)
    volume = (p["Negative electrode thickness [m]"] * p["Electrode width [m]"] * p["Electrode height [m]"])
    sites = (p["Maximum concentration in negative electrode [mol.m-3]"]
             * p["Negative electrode active material volume fraction"] * volume)
    return CellInfo(parameter_set, float(p["Nominal cell capacity [A.h]"]),
                    float(sites * F / 3600.0 * (x100 - x0)), float(x0), float(x100))


def simulate_cycle(c_rate: np.ndarray, ambient_c: float, parameter_set: str = "OKane2022",
                   model: str = "SPMe", upper_cutoff_v: float = 4.4, rtol: float = 1e-5,
                   atol: float | None = None) -> tuple[pd.DataFrame, CellInfo]:
    """Run ``c_rate`` (1 s samples, discharge negative) from SOC 1 at ``ambient_c`` until the lower cut-off.

    Returns 1 s samples: time_s, current_a (discharge negative), voltage_v, temperature_c (cell,
    lumped), soc (true, from the state), discharge_ah (the model's own charge integral).
    """
    import pybamm

    info = cell_info(parameter_set)
    models = {"SPMe": pybamm.lithium_ion.SPMe, "DFN": pybamm.lithium_ion.DFN, "SPM": pybamm.lithium_ion.SPM}
    if model not in models:
        raise ValueError(f"soc.simulate.model {model!r} unknown (known: {', '.join(models)})")
    m = models[model]({"thermal": "lumped"})
    p = pybamm.ParameterValues(parameter_set)
    t = np.arange(len(c_rate), dtype=float)
    amps = -np.asarray(c_rate, dtype=float) * info.nominal_ah  # PyBaMM: discharge positive
    p["Current function [A]"] = pybamm.Interpolant(t, amps, pybamm.t, interpolator="linear")
    p["Ambient temperature [K]"] = 273.15 + ambient_c
    p["Initial temperature [K]"] = 273.15 + ambient_c
    # regenerative pulses at full charge would otherwise stop the run at the 4.2 V limit
    p["Upper voltage cut-off [V]"] = upper_cutoff_v
    solver = pybamm.IDAKLUSolver(rtol=rtol, atol=rtol * 1e-2 if atol is None else atol)
    sim = pybamm.Simulation(m, parameter_values=p, solver=solver)
    sol = sim.solve(t_eval=[0.0, t[-1]], t_interp=t, initial_soc=1.0)
    n = len(sol.t)
    x = sol["Average negative particle stoichiometry"].entries
    df = pd.DataFrame({
        "time_s": sol.t,
        "current_a": -sol["Current [A]"].entries,
        "voltage_v": sol["Voltage [V]"].entries,
        "temperature_c": sol["X-averaged cell temperature [K]"].entries - 273.15,
        "soc": (x - info.x0) / (info.x100 - info.x0),
        "discharge_ah": sol["Discharge capacity [A.h]"].entries,
    })
    # keep whole seconds only (the solver adds the event time as a last, fractional sample)
    df = df[np.isclose(df.time_s, np.round(df.time_s))].reset_index(drop=True)
    if len(df) < 2 or n < 2:
        raise RuntimeError(f"PyBaMM stopped at once ({sol.termination}) at {ambient_c} degC")
    return df, info


def add_sensor_noise(df: pd.DataFrame, rng: np.random.Generator, noise: dict, nominal_ah: float) -> pd.DataFrame:
    """Measured channels = true + per-cycle offset (uniform +-offset) + white noise; current also has a gain error.

    ``noise`` keys: voltage_sd_v, voltage_offset_v, current_sd_a_per_ah, current_offset_a_per_ah,
    current_gain_sd, temperature_sd_c, temperature_offset_c (see the schema for meanings).
    """
    out = df.copy()
    n = len(df)
    v_off = rng.uniform(-1, 1) * noise["voltage_offset_v"]
    i_off = rng.uniform(-1, 1) * noise["current_offset_a_per_ah"] * nominal_ah
    gain = 1.0 + rng.normal(0.0, noise["current_gain_sd"])
    t_off = rng.uniform(-1, 1) * noise["temperature_offset_c"]
    out["voltage_meas"] = df.voltage_v + v_off + rng.normal(0.0, noise["voltage_sd_v"], n)
    out["current_meas"] = df.current_a * gain + i_off + rng.normal(0.0, noise["current_sd_a_per_ah"] * nominal_ah, n)
    out["temperature_meas"] = df.temperature_c + t_off + rng.normal(0.0, noise["temperature_sd_c"], n)
    out.attrs.update(voltage_offset_v=v_off, current_offset_a=i_off, current_gain=gain, temperature_offset_c=t_off)
    return out
