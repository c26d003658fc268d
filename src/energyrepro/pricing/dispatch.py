"""The GA/PSO test problem (paper section IV): quadratic-cost dispatch of IEEE 30-bus on the DC model.

Decision variables: the 5 non-slack generators (MW). The slack unit closes the lossless DC balance;
its limits and the line limits become penalties (both in MW): ``f = cost + penalty * violation``.
A dispatch is feasible when its violation is <= ``feasibility_tol`` MW. The reference optimum is
pandapower's DC OPF of the same net; :func:`scipy_reference` re-solves the same model independently.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from energyrepro.pricing.factors import ptdf


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

    @property
    def lower(self) -> np.ndarray:
        return self.pmin[1:]

    @property
    def upper(self) -> np.ndarray:
        return self.pmax[1:]

    @property
    def load(self) -> float:
        return float(-self.load_inj.sum())

    def full(self, X: np.ndarray) -> np.ndarray:
        """All units' output (slack first) for decision rows ``X`` (n x 5)."""
        X = np.atleast_2d(X)
        return np.column_stack([self.load - X.sum(axis=1), X])

    def flows(self, P: np.ndarray) -> np.ndarray:
        """Branch flows (n x branches) for full dispatches ``P`` (n x units)."""
        inj = np.tile(self.load_inj, (P.shape[0], 1))
        for j, bus in enumerate(self.unit_bus):
            inj[:, bus] += P[:, j]
        return inj @ self.A.T

    def cost(self, P: np.ndarray) -> np.ndarray:
        return (self.a * P**2 + self.b * P + self.c).sum(axis=1)

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
    import pandapower.networks as pn

    if case != "case30":
        raise ValueError(f"pricing.dispatch.case={case!r}: only 'case30' has the costs and line limits needed")
    return pn.case30()


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


def opf_reference(net) -> dict:
    """pandapower's DC OPF (rundcopp): cost and dispatch (slack first)."""
    import pandapower as pp

    pp.rundcopp(net)
    p = np.concatenate([net.res_ext_grid.p_mw.to_numpy(), net.res_gen.p_mw.to_numpy()])
    return {"cost": float(net.res_cost), "dispatch": p}


def scipy_reference(problem: DispatchProblem) -> dict:
    """The same DC model solved independently by scipy (SLSQP on the 5 variables, explicit constraints)."""
    from scipy.optimize import minimize

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
