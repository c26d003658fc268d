"""LR + HDE/IHDE: schedules pass the independent checker, budgets match, runs are reproducible."""

import numpy as np
import pytest

from energyrepro.uc.de import DEParams
from energyrepro.uc.feasibility import check_schedule
from energyrepro.uc.lr import de_params, run
from energyrepro.uc.system import make_system

CFG = {"population": 25, "iterations": 30, "f": 0.5, "f_sd": 0.1, "f_refresh": 10, "cr": 0.8, "eps1": 0.1,
       "eps2": 0.05, "mutation_base": "current", "sar_children": 5, "sar_blocks": 2, "sar_rate0": 0.1,
       "sar_tau": 0.3}


def test_lr_ihde_schedule_passes_checker(proven):
    sys = make_system(10)
    res = run(sys, DEParams(pop=20, iterations=25, sar=True), (10, 50), (0, 10), 1e4, 1e4,
              np.random.default_rng(3))
    rep = check_schedule(sys, res.u, res.p)
    assert rep.feasible, rep.violations[:5]
    assert rep.cost == pytest.approx(res.cost, abs=0.01)
    assert res.cost >= proven(10).bound
    assert res.dual_value <= proven(10).cost


def test_budget_matched_hde_spends_what_ihde_spends():
    sys = make_system(10)
    evals = {}
    for method in ("hde", "hde_matched", "ihde"):
        prm = de_params({**CFG, "eps1": 0.0}, method)  # no migration: the budgets are exact
        evals[method] = run(sys, prm, (10, 50), (0, 10), 1e4, 1e4, np.random.default_rng(0)).de.evaluations
    assert evals["hde_matched"] == evals["ihde"] == 25 + 30 * 30
    assert evals["hde"] == 25 + 30 * 25
    with pytest.raises(ValueError, match="not one of"):
        de_params(CFG, "pso")


def test_same_seed_same_result():
    sys = make_system(10)
    a = run(sys, DEParams(pop=10, iterations=5, sar=True), (10, 50), (0, 10), 1e4, 1e4, np.random.default_rng(5))
    b = run(sys, DEParams(pop=10, iterations=5, sar=True), (10, 50), (0, 10), 1e4, 1e4, np.random.default_rng(5))
    assert a.cost == b.cost and (a.u == b.u).all()
