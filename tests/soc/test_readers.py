"""The CALCE Arbin Excel reader, on a fixture made here (no CALCE file is available offline)."""

import numpy as np
import pytest

from energyrepro.soc.readers import read_calce_arbin


def test_missing_paths_name_the_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope.xlsx"):
        read_calce_arbin(tmp_path / "nope.xlsx", 2.0)


def _calce_fixture(path, with_temperature=False):
    """A tiny Arbin export in the CALCE layout: Info sheet + Channel_1-006, steps 6 (rest) and 7 (drive cycle)."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "Info"
    wb["Info"].append(["Test_Name", "INR18650-20R_DST_25C"])
    ws = wb.create_sheet("Channel_1-006")
    cols = ["Data_Point", "Test_Time(s)", "Date_Time", "Step_Time(s)", "Step_Index", "Cycle_Index", "Current(A)",
            "Voltage(V)", "Charge_Capacity(Ah)", "Discharge_Capacity(Ah)", "Charge_Energy(Wh)", "Discharge_Energy(Wh)"]
    if with_temperature:
        cols.append("Temperature (C)_1")
    ws.append(cols)
    charge = discharge = 0.0
    for k in range(12):
        step = 6 if k < 2 else 7
        current = 0.0 if step == 6 else (-2.0 if k % 3 else 1.0)  # discharge negative
        if k >= 2:
            charge += max(current, 0) / 3600
            discharge += max(-current, 0) / 3600
        row = [k + 1, float(k), "2015-01-01 00:00:00", float(k), step, 1, current, 4.1 - 0.01 * k, charge, discharge,
               0, 0]
        ws.append(row + ([24.5] if with_temperature else []))
    wb.save(path)


def test_calce_reader_on_fixture(tmp_path):
    p = tmp_path / "calce.xlsx"
    _calce_fixture(p)
    df = read_calce_arbin(p, capacity_ah=2.0, initial_soc=0.8, drive_step=7, ambient_c=25.0)
    assert len(df) == 10 and df.time_s.iloc[0] == 0.0
    assert np.all(df.temperature_meas == 25.0)  # no temperature column in the 25 degC files
    # step 7 rows k=2..11: charge counted from the first drive row
    ch = np.cumsum([max(c, 0) for c in [(-2.0 if k % 3 else 1.0) for k in range(2, 12)]]) / 3600
    dis = np.cumsum([max(-c, 0) for c in [(-2.0 if k % 3 else 1.0) for k in range(2, 12)]]) / 3600
    expected = 0.8 + ((ch - ch[0]) - (dis - dis[0])) / 2.0
    assert np.allclose(df.soc, expected)
    assert df.current_meas.min() == -2.0


def test_calce_reader_temperature_and_bad_layout(tmp_path):
    p = tmp_path / "calce_t.xlsx"
    _calce_fixture(p, with_temperature=True)
    assert np.all(read_calce_arbin(p, 2.0).temperature_meas == 24.5)
    with pytest.raises(ValueError, match="Step_Index == 9"):
        read_calce_arbin(p, 2.0, drive_step=9)
    from openpyxl import Workbook

    bad = tmp_path / "bad.xlsx"
    Workbook().save(bad)
    with pytest.raises(ValueError, match="Channel_1-00N"):
        read_calce_arbin(bad, 2.0)
