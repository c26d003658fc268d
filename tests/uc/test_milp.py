"""The aggregated MILP proves the optimum: known 10-unit optimum, exact decoding, bounds that bracket it."""

import numpy as np
import pytest

from energyrepro.uc.feasibility import check_schedule
from energyrepro.uc.system import make_system
from energyrepro.uc.unit_dp import solve_units

QUOTED_OPTIMUM = 563937.7  # widely quoted 10-unit optimum with this start-up rule and initial status


def test_milp_proves_the_quoted_10_unit_optimum(proven):
    res = proven(10)
    assert res.gap <= 1e-6
    assert res.cost == pytest.approx(QUOTED_OPTIMUM, abs=0.05)
    assert res.bound <= res.cost
    rep = check_schedule(make_system(10), res.u)
    assert rep.feasible and rep.cost == pytest.approx(res.cost, abs=0.01)


def _bracketed(size, proven):
    sys, res, base = make_system(size), proven(size), proven(10)
    assert res.gap <= 1e-6
    rep = check_schedule(sys, res.u)
    assert rep.feasible and rep.cost == pytest.approx(res.cost, abs=0.01)   # re-priced to the cent
    # copies of the 10-unit optimum serve the scaled load: an upper bound on the optimum
    k = size // 10
    copies = check_schedule(sys, np.vstack([base.u] * k))
    assert copies.feasible and copies.cost == pytest.approx(k * base.cost, abs=0.01)
    assert res.cost <= copies.cost + 0.01
    # any Lagrangian dual value is a lower bound
    rng = np.random.default_rng(0)
    q = solve_units(sys, rng.uniform(15, 30, (16, 24)), rng.uniform(0, 3, (16, 24))).dual_value
    assert (q <= res.bound + 1e-6).all()


def test_20_units_proven_and_bracketed(proven):
    _bracketed(20, proven)


@pytest.mark.slow
@pytest.mark.parametrize("size", [40, 60, 80, 100])
def test_large_sizes_proven_within_two_minutes(size, proven):
    _bracketed(size, proven)
    assert proven(size).seconds <= 120
