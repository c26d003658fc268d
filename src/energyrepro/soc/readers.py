"""A reader for the paper's kind of real data, returning the same cycle table as the simulator:
time_s, voltage_meas, current_meas (A, discharge negative), temperature_meas, soc.

CALCE (Univ. Maryland, the paper's dataset 2) Arbin Excel exports: sheet ``Info`` plus data sheets
``Channel_1-00N``. No CALCE file is available offline; a user who has one can build cycle tables with it.
The real LG 18650HG2 cells the pipeline uses are read by :mod:`energyrepro.soc.lg_hg2`.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

CALCE_COLUMNS = ["Test_Time(s)", "Step_Index", "Current(A)", "Voltage(V)", "Charge_Capacity(Ah)",
                 "Discharge_Capacity(Ah)"]


def _need(path: str | os.PathLike, what: str) -> Path:
    p = Path(os.path.expanduser(str(path)))
    if not p.exists():
        raise FileNotFoundError(f"{what} {p} does not exist")
    return p


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
