"""Readers for real cell data, all returning the same cycle table as the simulator:
time_s, voltage_meas, current_meas (A, discharge negative), temperature_meas, soc.

* LG 18650HG2 (Kollmeyer et al. 2020): the "parsed" drive-cycle CSVs (0.1 s) averaged into 1 s bins, the
  SOC label 1 + Capacity/Q; Q from the matching 1C capacity test (raw Digatron CSV) when there is one.
* CALCE (Univ. Maryland) Arbin Excel exports: sheet ``Info`` plus data sheets ``Channel_1-00N``.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

LG_COLUMNS = ["Time [min]", "Voltage [V]", "Current [A]", "Temperature [degC]", "Capacity [Ah]"]
CALCE_COLUMNS = ["Test_Time(s)", "Step_Index", "Current(A)", "Voltage(V)", "Charge_Capacity(Ah)",
                 "Discharge_Capacity(Ah)"]


def _need(path: str | os.PathLike, what: str) -> Path:
    p = Path(os.path.expanduser(str(path)))
    if not p.exists():
        raise FileNotFoundError(f"{what} {p} does not exist")
    return p


def lg_capacity_from_raw(path: str | os.PathLike) -> float:
    """Ah discharged in a raw Digatron capacity test (e.g. 551_Cap_1C.csv): -min(Capacity) over DCH rows."""
    p = _need(path, "LG HG2 capacity-test file")
    lines = p.read_text(encoding="utf-8", errors="replace").splitlines()
    header = next((k for k, line in enumerate(lines) if line.startswith("Time Stamp,")), None)
    if header is None:
        raise ValueError(f"{p}: no 'Time Stamp,...' column line; not a raw Digatron CSV")
    df = pd.read_csv(p, skiprows=list(range(header)) + [header + 1], usecols=["Status", "Capacity"])
    dch = df[df.Status.astype(str).str.strip() == "DCH"]
    if dch.empty:
        raise ValueError(f"{p}: no DCH (discharge) rows")
    return float(-dch.Capacity.min())


def read_lg_hg2(path: str | os.PathLike, capacity_ah: float | None = None, end_fraction: float = 0.95) -> pd.DataFrame:
    """One parsed LG HG2 drive cycle at 1 s.  ``capacity_ah`` None: |final Capacity| / ``end_fraction``
    (the tests stop when that fraction of the 1C capacity is discharged, see the data README)."""
    p = _need(path, "LG HG2 drive-cycle file")
    df = pd.read_csv(p)
    missing = [c for c in LG_COLUMNS if c not in df.columns]
    if missing:
        raise ValueError(f"{p}: missing columns {missing}; expected the parsed LG HG2 layout {LG_COLUMNS}")
    q = float(capacity_ah) if capacity_ah else float(-df["Capacity [Ah]"].iloc[-1]) / end_fraction
    sec = np.floor(df["Time [min]"].to_numpy() * 60.0).astype(int)
    g = df.assign(sec=sec).groupby("sec")[LG_COLUMNS[1:]].mean()
    out = pd.DataFrame({
        "time_s": g.index.to_numpy(float) - g.index[0],
        "voltage_meas": g["Voltage [V]"].to_numpy(),
        "current_meas": g["Current [A]"].to_numpy(),
        "temperature_meas": g["Temperature [degC]"].to_numpy(),
        "soc": 1.0 + g["Capacity [Ah]"].to_numpy() / q,
    })
    out.attrs["capacity_ah"] = q
    return out


def read_calce_arbin(path: str | os.PathLike, capacity_ah: float, initial_soc: float = 1.0,
                     drive_step: int = 7, ambient_c: float = 25.0) -> pd.DataFrame:
    """The drive-cycle step of a CALCE Arbin Excel export as a cycle table.

    SOC label = ``initial_soc`` + (charge - discharge capacity counted from the step's start) / capacity.
    Files without a temperature column (the 25 degC sets) get ``ambient_c``.
    """
    p = _need(path, "CALCE Arbin Excel file")
    sheets = pd.read_excel(p, sheet_name=None, engine="openpyxl")
    data = [df for name, df in sheets.items() if str(name).startswith("Channel_")]
    if "Info" not in sheets or not data:
        raise ValueError(f"{p}: expected sheet 'Info' and data sheets 'Channel_1-00N', found {list(sheets)}")
    df = pd.concat(data, ignore_index=True)
    missing = [c for c in CALCE_COLUMNS if c not in df.columns]
    if missing:
        raise ValueError(f"{p}: missing Arbin columns {missing}")
    df = df[df.Step_Index == drive_step].sort_values("Test_Time(s)")
    if df.empty:
        raise ValueError(f"{p}: no rows with Step_Index == {drive_step} (the drive-cycle step)")
    temp_col = next((c for c in df.columns if "temperature" in str(c).lower()), None)
    charge = df["Charge_Capacity(Ah)"].to_numpy() - df["Charge_Capacity(Ah)"].iloc[0]
    discharge = df["Discharge_Capacity(Ah)"].to_numpy() - df["Discharge_Capacity(Ah)"].iloc[0]
    return pd.DataFrame({
        "time_s": df["Test_Time(s)"].to_numpy(float) - float(df["Test_Time(s)"].iloc[0]),
        "voltage_meas": df["Voltage(V)"].to_numpy(float),
        "current_meas": df["Current(A)"].to_numpy(float),
        "temperature_meas": df[temp_col].to_numpy(float) if temp_col else np.full(len(df), ambient_c),
        "soc": initial_soc + (charge - discharge) / capacity_ah,
    })
