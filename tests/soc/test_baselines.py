"""Coulomb counting by hand; the Thevenin identification and EKF on a synthetic cell with a known ECM."""

import numpy as np
import pytest

from energyrepro.soc.baselines import Thevenin, coulomb_count, ekf, identify_thevenin


def test_coulomb_count_hand_value():
    soc = coulomb_count(np.full(3601, -1.0), 1.0, 2.0)  # 1 A for an hour from a 2 Ah cell
    assert soc[0] == 1.0 and soc[3600] == pytest.approx(0.5)


def _synthetic(ecm: Thevenin, current, soc0=1.0):
    a = np.exp(-1.0 / ecm.tau)
    soc, v1, v = soc0, 0.0, []
    socs = []
    for i in current:
        socs.append(soc)
        v.append(ecm.ocv_at(soc)[0] + ecm.r0 * i + v1)
        v1 = a * v1 + ecm.r1 * (1 - a) * i
        soc += i / (3600 * ecm.capacity_ah)
    return np.array(v), np.array(socs)


TRUE = Thevenin(grid=list(np.linspace(0, 1, 5)), ocv=[3.0, 3.5, 3.7, 3.9, 4.2], r0=0.02, r1=0.015, tau=40.0,
                capacity_ah=1.0)


def test_identify_recovers_known_ecm():
    rng = np.random.default_rng(0)
    current = np.repeat(rng.uniform(-3, 0.5, 300), 10)  # 3000 s
    v, soc = _synthetic(TRUE, current)
    fit = identify_thevenin([(v, current, soc)], 1.0, n_knots=5, taus=np.array([10.0, 40.0, 160.0]))
    assert fit.tau == 40.0
    assert fit.r0 == pytest.approx(0.02, abs=1e-3) and fit.r1 == pytest.approx(0.015, abs=2e-3)
    assert np.all(np.diff(fit.ocv) >= 0)


def test_ekf_corrects_a_wrong_initial_soc():
    rng = np.random.default_rng(1)
    current = np.repeat(rng.uniform(-3, 0.5, 200), 10)
    v, soc = _synthetic(TRUE, current, soc0=0.9)
    est = ekf(TRUE, v + rng.normal(0, 0.002, len(v)), current, soc0=0.7, r_v=4e-6, p0_soc=0.05)
    assert abs(est[0] - soc[0]) > 0.01  # starts off
    assert np.max(np.abs(est[-500:] - soc[-500:])) < 0.01  # and converges
