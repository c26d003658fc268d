"""The dispatch problem and its exact reference: pandapower's DC OPF agrees with an independent scipy solve."""

import numpy as np
import pytest

from energyrepro.pricing import dispatch as D
from energyrepro.pricing.wheeling import wheeling


@pytest.fixture(scope="module")
def problem():
    return D.problem_from_net(D.load_case("case30"), penalty=1000.0, feasibility_tol=0.01)


def test_opf_reference_agrees_with_scipy(problem):
    opf = D.opf_reference(D.load_case("case30"))
    ref = D.scipy_reference(problem)
    assert opf["cost"] == pytest.approx(ref["cost"], rel=1e-6)
    np.testing.assert_allclose(opf["dispatch"], ref["dispatch"], atol=0.05)
    ev = problem.evaluate(opf["dispatch"][1:])
    assert ev["feasible"][0] and ev["cost"][0] == pytest.approx(opf["cost"], rel=1e-9)


def test_balance_and_penalty(problem):
    X = np.tile(problem.upper, (1, 1))
    P = problem.full(X)
    assert P.sum() == pytest.approx(problem.load)  # lossless balance closes on the slack
    ev = problem.evaluate(X)
    # all non-slack units at maximum leave the slack 65.8 MW below its minimum (0 MW), plus line overloads
    lines = np.clip(np.abs(problem.flows(P)) - problem.rate, 0, None).sum()
    assert ev["violation"][0] == pytest.approx(problem.upper.sum() - problem.load + lines)
    assert not ev["feasible"][0]
    assert ev["fitness"][0] == pytest.approx(ev["cost"][0] + 1000.0 * ev["violation"][0])


def test_unknown_case_is_rejected():
    with pytest.raises(ValueError, match="case_ieee30"):
        D.load_case("case_ieee30")


def test_wheeling_charges_ordered(problem):
    opf = D.opf_reference(D.load_case("case30"))
    base = problem.full(D.load_case("case30").gen.p_mw.to_numpy())[0]
    users, lines, s = wheeling(problem, opf["dispatch"], base, np.ones(len(problem.rate)), 4)
    assert np.all(users.absolute >= users.zero_counterflow - 1e-12)
    assert s["shared_total"] == pytest.approx(s["zero_counterflow_total"] + s["owner_gain"])
    assert s["negative_impact_owner_mw"] == pytest.approx(s["negative_impact_mw"] / 4)
