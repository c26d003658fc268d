"""The dispatch problem in its three variants and its references; wheeling charges without double counting."""

import numpy as np
import pytest

from energyrepro.pricing import dispatch as D
from energyrepro.pricing.wheeling import wheeling

DCFG = {"case": "case30", "penalty_per_mw": 1000.0, "feasibility_tol_mw": 0.01, "losses": {"samples": 30},
        "valve_point": {"buses": [1, 2], "e": [50.0, 40.0], "f": [0.063, 0.098]}}


@pytest.fixture(scope="module")
def problem():
    return D.build_problem(DCFG, "dc")


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


def test_unknown_case_and_variant_are_rejected():
    with pytest.raises(ValueError, match="case_ieee30"):
        D.load_case("case_ieee30")
    with pytest.raises(ValueError, match="unknown variant 'ac'"):
        D.build_problem(DCFG, "ac")


def test_valve_point_cost_hand_computed_and_non_convex(problem):
    vp = D.with_valve_points(problem, [1, 2], [50.0, 40.0], [0.063, 0.098])
    P = problem.full(np.array([[40.0, 20.0, 20.0, 15.0, 15.0]]))
    ripple = 50 * abs(np.sin(0.063 * (0.0 - P[0, 0]))) + 40 * abs(np.sin(0.098 * (0.0 - 40.0)))
    assert vp.cost(P)[0] == pytest.approx(problem.cost(P)[0] + ripple)
    # bus-2 unit alone: the ripple's kink at pi / 0.098 = 32.06 MW breaks convexity (midpoint above the chord)
    x = np.linspace(20, 45, 101)
    line = np.tile([40.0, 20.0, 20.0, 15.0, 15.0], (x.size, 1))
    line[:, 0] = x
    c = vp.cost(vp.full(line))
    assert np.any(c[1:-1] > (c[:-2] + c[2:]) / 2 + 1e-9)
    with pytest.raises(ValueError, match=r"no generator at bus\(es\) \[3\]"):
        D.with_valve_points(problem, [3], [1.0], [1.0])


def test_loss_model_matches_ac_power_flow_and_slack_covers_losses():
    from energyrepro.pricing.losses import ac_check

    lossy = D.build_problem(DCFG, "losses")
    assert lossy.loss.holdout_max_mw < 0.1  # quadratic in the 5 outputs: ~2-12 MW of losses fitted to < 0.1 MW
    X = np.array([[40.0, 25.0, 30.0, 20.0, 20.0], [60.0, 10.0, 40.0, 25.0, 30.0]])
    check = ac_check(D.load_case("case30"), lossy, X)
    np.testing.assert_allclose(check["model_loss_error_mw"], 0.0, atol=0.1)
    assert np.all(check["ac_losses_mw"] > 1.0)
    P = lossy.full(X)
    np.testing.assert_allclose(P.sum(axis=1), lossy.load + lossy.losses(X))
    ref = D.scipy_reference(lossy)
    assert ref["cost"] > D.scipy_reference(D.build_problem(DCFG, "dc"))["cost"] + 5  # losses cost money


def test_best_known_reaches_the_convex_optimum(problem):
    """On the convex DC problem the non-convex reference must find the exact optimum."""
    ref = D.best_known(problem, seed=1, restarts=1)
    assert ref["feasible"] and ref["cost"] == pytest.approx(D.scipy_reference(problem)["cost"], abs=1e-3)


def _radial_problem():
    """Slack at bus 0 - gen at bus 1 - load 100 MW at bus 2 on a line: no counter-flow anywhere."""
    A = np.array([[0.0, -1.0, -1.0], [0.0, 0.0, -1.0]])  # reference bus 0; branches 0-1, 1-2
    z = np.zeros(2)
    return D.DispatchProblem(a=z, b=np.ones(2), c=z, pmin=z, pmax=np.full(2, 100.0), unit_bus=np.array([0, 1]),
                             A=A, load_inj=np.array([0.0, 0.0, -100.0]), rate=np.array([100.0, 100.0]))


@pytest.mark.parametrize("share", [0.0, 30.0, 50.0, 100.0])
def test_wheeling_bills_each_line_once(share):
    """Generators' and loads' user flows each sum to the line flows; the side shares split, not double, the bill."""
    pr = _radial_problem()
    P = pr.full(np.array([[40.0]]))[0]  # slack 60, gen 40
    flows = pr.flows(P[None])[0]
    np.testing.assert_allclose(flows, [60.0, 100.0])
    cost = np.array([3.0, 1.0])
    users, _, s = wheeling(pr, P, P, cost, r=4, gen_share_pct=share)
    network_use = float((cost / cost.sum() * np.abs(flows) / pr.rate).sum())
    assert s["absolute_total"] == pytest.approx(network_use)
    assert s["zero_counterflow_total"] == pytest.approx(network_use)
    gen_part = users[users.side == "gen"].absolute.sum()
    assert gen_part == pytest.approx(share / 100 * network_use)


def test_wheeling_charges_ordered(problem):
    opf = D.opf_reference(D.load_case("case30"))
    base = problem.full(D.load_case("case30").gen.p_mw.to_numpy())[0]
    users, lines, s = wheeling(problem, opf["dispatch"], base, np.ones(len(problem.rate)), 4, 50.0)
    assert np.all(users.absolute >= users.zero_counterflow - 1e-12)
    assert s["shared_total"] == pytest.approx(s["zero_counterflow_total"] + s["owner_gain"])
    assert s["negative_impact_owner_mw"] == pytest.approx(s["negative_impact_mw"] / 4)
    with pytest.raises(ValueError, match="120"):
        wheeling(problem, opf["dispatch"], base, np.ones(len(problem.rate)), 4, 120.0)


def test_run_all_tiny_is_deterministic_and_complete():
    from energyrepro.pricing.experiment import run_all

    d = {**DCFG, "variants": ["dc", "valve_point"], "seeds": 2, "wheeling_gen_share_pct": 50.0,
         "ga": {"pop_size": 10, "generations": 5}, "pso": {"n_particles": 10, "iterations": 5, "w": 0.9, "c1": 1.2,
                                                           "c2": 0.12, "vmax_frac": 0.2}}
    a, b = run_all({"dispatch": d, "profit_sharing_r": 4}, 7), run_all({"dispatch": d, "profit_sharing_r": 4}, 7)
    assert len(a["runs"]) == 2 * 2 * 2 and set(a["runs"].variant) == {"dc", "valve_point"}
    assert a["runs"].equals(b["runs"]) and a["wheeling_summary"].equals(b["wheeling_summary"])
    assert set(a["curves"]) == {"dc_ga", "dc_pso", "valve_point_ga", "valve_point_pso"}
    assert a["curves"]["dc_ga"].shape == (2, 6)
    refs = a["references"]
    assert all((a["runs"][a["runs"].variant == v].cost >= refs[v]["cost"] - 1e-6).all() for v in refs)
    assert list(a["wheeling_summary"].dispatch) == ["ga", "pso", "opf"]
    with pytest.raises(ValueError, match="must include 'dc'"):
        run_all({"dispatch": {**d, "variants": ["valve_point"]}, "profit_sharing_r": 4}, 7)
