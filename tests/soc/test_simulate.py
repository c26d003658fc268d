"""PyBaMM data generation: true SOC from the state is consistent with the charge drawn; noise is seeded."""

import numpy as np
import pytest

from energyrepro.soc.profiles import current_profile, dst_period, us06_period
from energyrepro.soc.simulate import add_sensor_noise, simulate_cycle

NOISE = {"voltage_sd_v": 0.002, "voltage_offset_v": 0.005, "current_sd_a_per_ah": 0.004,
         "current_offset_a_per_ah": 0.005, "current_gain_sd": 0.005, "temperature_sd_c": 0.2,
         "temperature_offset_c": 0.5}


@pytest.fixture(scope="module")
def discharge():
    """600 s of a discharge-only staircase (0.5C, 1C, 2C) from full charge at 25 degC."""
    c = -np.repeat([0.5, 1.0, 2.0], 200)
    return simulate_cycle(c, 25.0, "OKane2022", "SPMe")


def test_true_soc_falls_monotonically_under_discharge(discharge):
    df, _ = discharge
    assert df.soc.iloc[0] == pytest.approx(1.0, abs=1e-6)
    assert np.all(np.diff(df.soc) < 0)


def test_true_soc_matches_charge_throughput(discharge):
    df, info = discharge
    drawn_ah = np.trapezoid(-df.current_a, df.time_s) / 3600.0  # exact for the piecewise-linear current
    # SOC comes from the particle concentrations, so this checks conservation of lithium in the model
    assert (1.0 - df.soc.iloc[-1]) * info.capacity_ah == pytest.approx(drawn_ah, rel=1e-3)
    assert df.discharge_ah.iloc[-1] == pytest.approx(drawn_ah, rel=1e-3)
    assert 4.5 < info.capacity_ah < 5.5  # the 5 Ah LG M50 cell of Chen2020


def test_cell_heats_under_load(discharge):
    df, _ = discharge
    assert df.temperature_c.iloc[-1] > df.temperature_c.iloc[0] > 24.9


def test_sensor_noise_reproducible_by_seed(discharge):
    df, info = discharge
    a = add_sensor_noise(df, np.random.default_rng(7), NOISE, info.nominal_ah)
    b = add_sensor_noise(df, np.random.default_rng(7), NOISE, info.nominal_ah)
    c = add_sensor_noise(df, np.random.default_rng(8), NOISE, info.nominal_ah)
    assert a.equals(b)
    assert not np.allclose(a.voltage_meas, c.voltage_meas)
    # errors are within the documented bounds (offset + 6 sigma)
    assert np.max(np.abs(a.voltage_meas - a.voltage_v)) < 0.005 + 6 * 0.002
    assert abs(a.attrs["current_offset_a"]) <= 0.005 * info.nominal_ah


def test_profiles():
    dst = dst_period(4.0)
    assert len(dst) == 360 and dst.min() == -4.0 and dst.mean() == pytest.approx(-0.5)  # 12.5 % of peak net
    assert len(us06_period(1.0)) == 600
    p1, p2 = current_profile("pulse", 1.0, 1000, seed=3), current_profile("pulse", 1.0, 1000, seed=3)
    assert np.array_equal(p1, p2) and len(p1) == 1000
    with pytest.raises(ValueError, match="unknown current profile"):
        current_profile("ftp75", 1.0, 10)
