"""The GA/PSO test problem (paper section IV): economic dispatch of IEEE 30-bus in three variants.

Decision variables: the 5 non-slack generators (MW). The slack unit closes the power balance; its limits
and the line limits become penalties (both in MW): ``f = cost + penalty * violation``. A dispatch is
feasible when its violation is <= ``feasibility_tol`` MW.

Variants (``pricing.dispatch.variants``), because the GA-vs-PSO question needs a problem where they can differ:

* ``dc``: quadratic costs, lossless DC balance: convex, one optimum (pandapower's DC OPF);
* ``losses``: the paper's eq. (4)-(5) "including transmission losses": the slack also covers the AC losses,
  a quadratic function of the 5 outputs fitted to pandapower AC power flows (:mod:`energyrepro.pricing.losses`);
* ``valve_point``: the DC problem with the valve-point ripple ``e |sin(f (Pmin - P))|`` added to the cost of
  some units (Walters & Sheble 1993): non-convex, several local optima, the kind of problem the paper's
  abstract argues population methods are for.

Line limits are checked on the DC (PTDF) flows in every variant.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Callable

import numpy as np

from energyrepro.pricing.factors import ptdf

VARIANTS = ("dc", "losses", "valve_point")


@dataclass
class DispatchProblem:
    a: np.ndarray          # cost coefficients per unit, slack first ($/MW^2h, $/MWh, $/h)
    b: np.ndarray
    c: np.ndarray
    pmin: np.ndarray       # MW, slack first
    pmax: np.ndarray
    unit_bus: np.ndarray   # ppc bus of each unit, slack first
    A: np.ndarray          # PTDF, branches x buses (reference = slack bus)
    load_inj: np.ndarray   # -load per ppc bus (MW)
    rate: np.ndarray       # branch limits (MW)
    penalty: float = 1000.0
    feasibility_tol: float = 0.01
    valve_e: np.ndarray | None = None   # valve-point amplitude per unit ($/h), slack first; None = no ripple
    valve_f: np.ndarray | None = None   # valve-point frequency per unit (rad/MW)
    loss: Callable[[np.ndarray], np.ndarray] | None = field(default=None, repr=False)
    """Losses (MW) as a function of the decision rows; None = lossless balance."""

    @property
    def lower(self) -> np.ndarray:
        return self.pmin[1:]

    @property
    def upper(self) -> np.ndarray:
        return self.pmax[1:]

    @property
    def load(self) -> float:
        return float(-self.load_inj.sum())

    def losses(self, X: np.ndarray) -> np.ndarray:
        X = np.atleast_2d(X)
        return np.zeros(len(X)) if self.loss is None else np.asarray(self.loss(X), float)

    def full(self, X: np.ndarray) -> np.ndarray:
        """All units' output (slack first) for decision rows ``X`` (n x 5): the slack covers load + losses."""
        X = np.atleast_2d(X)
        return np.column_stack([self.load + self.losses(X) - X.sum(axis=1), X])

    def flows(self, P: np.ndarray) -> np.ndarray:
        """DC branch flows (n x branches) for full dispatches ``P`` (n x units); with losses the slack's extra
        injection stays at the reference bus, where the PTDF does not see it."""
        inj = np.tile(self.load_inj, (P.shape[0], 1))
        for j, bus in enumerate(self.unit_bus):
            inj[:, bus] += P[:, j]
        return inj @ self.A.T

    def cost(self, P: np.ndarray) -> np.ndarray:
        total = (self.a * P**2 + self.b * P + self.c).sum(axis=1)
        if self.valve_e is not None:
            total = total + (self.valve_e * np.abs(np.sin(self.valve_f * (self.pmin - P)))).sum(axis=1)
        return total

    def violation(self, P: np.ndarray) -> np.ndarray:
        """MW outside limits: unit limits (the slack's, in effect) plus branch overloads."""
        units = np.clip(self.pmin - P, 0, None).sum(axis=1) + np.clip(P - self.pmax, 0, None).sum(axis=1)
        lines = np.clip(np.abs(self.flows(P)) - self.rate, 0, None).sum(axis=1)
        return units + lines

    def evaluate(self, X: np.ndarray) -> dict[str, np.ndarray]:
        P = self.full(X)
        cost, viol = self.cost(P), self.violation(P)
        return {"cost": cost, "violation": viol, "fitness": cost + self.penalty * viol,
                "feasible": viol <= self.feasibility_tol}

    def fitness(self, X: np.ndarray) -> np.ndarray:
        return self.evaluate(X)["fitness"]


def load_case(case: str = "case30"):
    """The pandapower IEEE 30-bus case: ``case30`` (MATPOWER/Alsac-Stott: quadratic costs and line
    limits); ``case_ieee30`` has no line limits, so it cannot test the line constraints."""
    from energyrepro.pricing.networks import pandapower_case

    if case != "case30":
        raise ValueError(f"pricing.dispatch.case={case!r}: only 'case30' has the costs and line limits needed")
    return pandapower_case("case30")


def problem_from_net(net, penalty: float, feasibility_tol: float) -> DispatchProblem:
    """Build the DC dispatch problem from a pandapower net with one ext_grid (slack) and gens."""
    import pandapower as pp
    from pandapower.pypower.idx_brch import RATE_A

    if len(net.ext_grid) != 1 or len(net.sgen):
        raise ValueError("dispatch problem expects one ext_grid (slack) and generators in net.gen only")
    pp.rundcpp(net)
    lookup = np.asarray(net._pd2ppc_lookups["bus"])
    cost = net.poly_cost.set_index(["et", "element"])
    units = [("ext_grid", net.ext_grid.index[0])] + [("gen", i) for i in net.gen.index]
    coef = np.array([[cost.loc[u, "cp2_eur_per_mw2"], cost.loc[u, "cp1_eur_per_mw"], cost.loc[u, "cp0_eur"]]
                     for u in units], float)
    tables = {"ext_grid": net.ext_grid, "gen": net.gen}
    pmin = np.array([tables[e].at[i, "min_p_mw"] for e, i in units], float)
    pmax = np.array([tables[e].at[i, "max_p_mw"] for e, i in units], float)
    bus = np.array([lookup[tables[e].at[i, "bus"]] for e, i in units], int)
    load_inj = np.zeros(len(net._ppc["bus"]))
    np.add.at(load_inj, lookup[net.load.bus.to_numpy()], -net.load.p_mw.to_numpy() * net.load.scaling.to_numpy())
    return DispatchProblem(coef[:, 0], coef[:, 1], coef[:, 2], pmin, pmax, bus, ptdf(net), load_inj,
                           np.real(net._ppc["branch"][:, RATE_A]), penalty, feasibility_tol)


def with_valve_points(problem: DispatchProblem, buses: list[int], e: list[float], f: list[float]) -> DispatchProblem:
    """The same problem with the valve-point ripple on the units at the given (1-based) bus numbers."""
    if not len(buses) == len(e) == len(f):
        raise ValueError("pricing.dispatch.valve_point: buses, e and f must have the same length")
    unit_of = {int(b) + 1: k for k, b in enumerate(problem.unit_bus)}
    missing = sorted(set(int(b) for b in buses) - set(unit_of))
    if missing:
        raise ValueError(f"pricing.dispatch.valve_point.buses: no generator at bus(es) {missing}")
    ve, vf = np.zeros(len(problem.unit_bus)), np.zeros(len(problem.unit_bus))
    for b, ei, fi in zip(buses, e, f):
        ve[unit_of[int(b)]], vf[unit_of[int(b)]] = ei, fi
    return replace(problem, valve_e=ve, valve_f=vf)


def variant_problem(base: DispatchProblem, dcfg: dict, variant: str, ac_net=None) -> DispatchProblem:
    """The problem of one variant, from the DC problem of the case and (for ``losses``) a net to run AC power
    flows on (the net's generator outputs are overwritten)."""
    if variant not in VARIANTS:
        raise ValueError(f"pricing.dispatch.variants: unknown variant {variant!r}; allowed: {', '.join(VARIANTS)}")
    if variant == "valve_point":
        v = dcfg["valve_point"]
        return with_valve_points(base, v["buses"], v["e"], v["f"])
    if variant == "losses":
        from energyrepro.pricing.losses import fit_loss_model

        net = ac_net if ac_net is not None else load_case(dcfg["case"])
        return replace(base, loss=fit_loss_model(net, base.lower, base.upper, dcfg["losses"]["samples"]))
    return base


def build_problem(dcfg: dict, variant: str) -> DispatchProblem:
    """One variant's problem from the ``pricing.dispatch`` config section alone (loads the case)."""
    base = problem_from_net(load_case(dcfg["case"]), dcfg["penalty_per_mw"], dcfg["feasibility_tol_mw"])
    return variant_problem(base, dcfg, variant)


def opf_reference(net) -> dict:
    """pandapower's DC OPF (rundcopp): cost and dispatch (slack first)."""
    import pandapower as pp

    pp.rundcopp(net)
    p = np.concatenate([net.res_ext_grid.p_mw.to_numpy(), net.res_gen.p_mw.to_numpy()])
    return {"cost": float(net.res_cost), "dispatch": p}


def ac_opf_reference(net) -> dict:
    """pandapower's AC OPF (runopp, with voltage and reactive limits): the cost a full AC model reaches,
    context for the ``losses`` variant (which has neither voltage nor reactive limits)."""
    import pandapower as pp

    pp.runopp(net)
    p = np.concatenate([net.res_ext_grid.p_mw.to_numpy(), net.res_gen.p_mw.to_numpy()])
    return {"cost": float(net.res_cost), "dispatch": p}


def scipy_reference(problem: DispatchProblem) -> dict:
    """The smooth problem (``dc`` or ``losses``) solved independently by scipy: SLSQP on the 5 variables with
    explicit slack and line constraints. Both are convex, so this is their optimum."""
    from scipy.optimize import minimize

    if problem.valve_e is not None:
        raise ValueError("scipy_reference needs a smooth problem; use best_known for valve points")
    pr = problem

    def cons(x):
        P = pr.full(x)
        F = pr.flows(P)[0]
        return np.concatenate([pr.rate - F, pr.rate + F, P[0, :1] - pr.pmin[:1], pr.pmax[:1] - P[0, :1]])

    x0 = np.clip(pr.load * pr.upper / pr.pmax.sum(), pr.lower, pr.upper)
    res = minimize(lambda x: pr.cost(pr.full(x))[0], x0, method="SLSQP",
                   bounds=list(zip(pr.lower, pr.upper)), constraints=[{"type": "ineq", "fun": cons}],
                   options={"ftol": 1e-12, "maxiter": 500})
    if not res.success:
        raise RuntimeError(f"scipy reference dispatch failed: {res.message}")
    return {"cost": float(res.fun), "dispatch": pr.full(res.x)[0]}


def best_known(problem: DispatchProblem, seed: int, restarts: int = 3) -> dict:
    """A reference for the non-convex variant: the best of ``restarts`` scipy differential-evolution runs
    (a third, independent optimiser, locally polished) on the penalised objective."""
    from scipy.optimize import differential_evolution

    best = None
    for k in range(restarts):
        res = differential_evolution(lambda X: problem.fitness(X.T), list(zip(problem.lower, problem.upper)),
                                     seed=seed + k, popsize=30, maxiter=400, tol=1e-10, vectorized=True,
                                     updating="deferred", polish=True)
        if best is None or res.fun < best.fun:
            best = res
    ev = problem.evaluate(best.x)
    return {"cost": float(ev["cost"][0]), "fitness": float(best.fun), "dispatch": problem.full(best.x)[0],
            "feasible": bool(ev["feasible"][0])}
