"""Exact yardstick: the unit commitment problem as a MILP over *counts* of identical units, proven by HiGHS.

The 10-100 unit systems are copies of the ten Kazarlis units. A per-unit MILP is symmetric (any permutation
of the copies of a unit is the same schedule), which is why it cannot prove optimality beyond 20 units.
Here the copies of one unit type are aggregated into integer counts that flow through the type's on/off
state graph (Knueven, Ostrowski & Watson's "symmetry-free" aggregation of identical units):

* states "on for k h" (k = 1..up, capped at up) and "off for k h" (k = 1..down + cold_h + 1, capped), the
  same states as the unit DP; arcs "stay on", "stay off", "stop" (only from on >= up) and "start" (only
  from off >= down, priced hot when off <= down + cold_h hours, else cold: eq. 6);
* integer arc flows y = how many copies take each arc each hour; the k copies start in the state of the
  initial status, so every integer flow decomposes into k feasible unit paths and back (flow decomposition):
  the aggregation is exact, and :func:`decode` recovers a unit schedule of the same start-up cost;
* per type and hour n = copies on, P = their total output in [n Pmin, n Pmax]; balance and reserve rows;
* fuel: identical copies share P equally at an optimum, and their cost n F(P / n) (the perspective of the
  quadratic) is bounded below by its tangent planes z >= n (a - c p^2) + (b + 2 c p) P at points p.

The tangent planes under-estimate the quadratic cost, so the MILP is a *relaxation*: HiGHS's dual bound is a
valid lower bound on the true optimum. The decoded schedule, dispatched and priced by the independent
checker, is an upper bound. Tangents are added at the dispatch points of each incumbent until the two meet
within the requested gap (outer approximation); the proof is the pair [bound, checker cost], never the MILP
objective alone.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from importlib import metadata

import highspy
import numpy as np
import scipy.sparse as sp

from energyrepro.uc.feasibility import check_schedule
from energyrepro.uc.system import System, UnitTypes, unit_types


@dataclass
class MilpResult:
    u: np.ndarray            # (N, T) best schedule found (decoded from the counts)
    p: np.ndarray            # (N, T) the checker's economic dispatch of u
    cost: float              # the checker's exact cost of u (an upper bound on the optimum)
    bound: float             # best valid lower bound on the optimum (HiGHS dual bound of the relaxation)
    status: str              # HiGHS model status of the last solve
    seconds: float           # CPU seconds (process time) of the whole proof
    iterations: int          # outer-approximation rounds (MILP solves)
    tangents: int            # tangent planes per (type, hour) at the end, summed over types
    highs_version: str       # HiGHS library version that proved it
    highspy_version: str     # the Python package (the version to pin)
    history: list[dict] = field(default_factory=list)  # per round: bound, cost, HiGHS status

    @property
    def gap(self) -> float:
        """Relative optimality gap (cost - bound) / cost: <= the target means proven optimal."""
        return (self.cost - self.bound) / abs(self.cost)


@dataclass(frozen=True)
class _Graph:
    """On/off state graph of one unit type: states 0..n_on-1 = on, n_on..n_on+n_off-1 = off."""

    n_on: int                            # on states (on 1..up hours, the last one capped)
    n_off: int                           # off states (off 1..down + cold_h + 1 hours, the last one capped)
    arcs: list[tuple[int, int, float]]   # (from state, to state, start-up cost of the arc)
    init: int                            # state of the initial status (hour -1)

    def on(self, s: int) -> bool:
        return s < self.n_on


def _graph(sys: System, i: int) -> _Graph:
    up, down, cold_h = int(sys.up[i]), int(sys.down[i]), int(sys.cold_h[i])
    n_on, n_off = max(up, 1), down + cold_h + 1
    arcs = []
    for k in range(1, n_on + 1):                    # on for k hours
        arcs.append((k - 1, min(k + 1, n_on) - 1, 0.0))
        if k >= up:
            arcs.append((k - 1, n_on, 0.0))         # stop: off for 1 h
    for k in range(1, n_off + 1):                   # off for k hours
        arcs.append((n_on + k - 1, n_on + min(k + 1, n_off) - 1, 0.0))
        if k >= down:
            arcs.append((n_on + k - 1, 0, float(sys.hot[i] if k <= down + cold_h else sys.cold[i])))
    init = int(sys.init[i])
    s0 = min(init, n_on) - 1 if init > 0 else n_on + min(-init, n_off) - 1
    return _Graph(n_on=n_on, n_off=n_off, arcs=arcs, init=s0)


class _Model:
    """Column/row builder for the aggregated MILP; keeps the index arrays needed to read a solution."""

    def __init__(self, sys: System, types: UnitTypes):
        self.sys, self.types = sys, types
        self.graphs = [_graph(sys, int(i)) for i in types.rows]
        self.lo, self.hi, self.cost, self.integer = [], [], [], []
        self.rows, self.cols, self.vals, self.rlo, self.rhi = [], [], [], [], []
        T, K = sys.t, len(types.rows)
        self.y = []                                   # y[j][t, arc]
        for j, g in enumerate(self.graphs):
            n_arcs = len(g.arcs)
            self.y.append(self._var((T, n_arcs), 0, types.count[j], [c for _, _, c in g.arcs], integer=True))
        self.n = self._var((K, T), 0, types.count[:, None], 0.0, integer=True)   # copies on (branched on)
        self.P = self._var((K, T), 0, np.inf, 0.0)
        self.z = self._var((K, T), -np.inf, np.inf, 1.0)
        for j, g in enumerate(self.graphs):
            y, k = self.y[j], int(types.count[j])
            for s in range(g.n_on + g.n_off):
                out = [a for a, (fr, _, _) in enumerate(g.arcs) if fr == s]
                inn = [a for a, (_, to, _) in enumerate(g.arcs) if to == s]
                self._row(y[0, out], np.ones(len(out)), k if s == g.init else 0, k if s == g.init else 0)
                for t in range(1, T):                 # what enters s at t-1 leaves it at t
                    self._row(np.r_[y[t - 1, inn], y[t, out]], np.r_[np.ones(len(inn)), -np.ones(len(out))], 0, 0)
            on_arcs = [a for a, (_, to, _) in enumerate(g.arcs) if g.on(to)]
            for t in range(T):
                self._row(np.r_[self.n[j, t], y[t, on_arcs]], np.r_[1.0, -np.ones(len(on_arcs))], 0, 0)
        i = types.rows
        for t in range(T):
            self._row(self.P[:, t], np.ones(K), sys.load[t], sys.load[t])                     # balance
            self._row(self.n[:, t], sys.pmax[i], sys.requirement[t], np.inf)                  # reserve
            for j in range(K):
                self._row([self.P[j, t], self.n[j, t]], [1.0, -sys.pmin[i[j]]], 0, np.inf)     # P >= n Pmin
                self._row([self.P[j, t], self.n[j, t]], [1.0, -sys.pmax[i[j]]], -np.inf, 0)    # P <= n Pmax

    def _var(self, shape, lo, hi, cost, integer=False) -> np.ndarray:
        start = sum(len(x) for x in self.lo)
        size = int(np.prod(shape))
        for lst, v in ((self.lo, lo), (self.hi, hi)):
            lst.append(np.broadcast_to(np.asarray(v, float), shape).ravel().copy())
        self.cost.append(np.broadcast_to(np.asarray(cost, float), shape).ravel().copy())
        self.integer.append(np.full(size, integer))
        return np.arange(start, start + size).reshape(shape)

    def _row(self, cols, vals, lo, hi) -> None:
        r = len(self.rlo)
        self.rows += [r] * len(cols)
        self.cols += [int(c) for c in cols]
        self.vals += [float(v) for v in vals]
        self.rlo.append(float(lo))
        self.rhi.append(float(hi))

    def tangent_rows(self, j: int, t: int, points: np.ndarray) -> tuple[list, list, list]:
        """Rows z - (b + 2 c p) P - (a - c p^2) n >= 0 for each tangent point p of type j at hour t."""
        i = self.types.rows[j]
        a, b, c = self.sys.a[i], self.sys.b[i], self.sys.c[i]
        return [([self.z[j, t], self.P[j, t], self.n[j, t]], [1.0, -(b + 2 * c * p), -(a - c * p * p)])
                for p in points]

    def lp(self) -> highspy.HighsLp:
        lp = highspy.HighsLp()
        n = sum(len(x) for x in self.lo)
        lp.num_col_, lp.num_row_ = n, len(self.rlo)
        lp.col_cost_ = np.concatenate(self.cost)
        lp.col_lower_, lp.col_upper_ = np.concatenate(self.lo), np.concatenate(self.hi)
        lp.row_lower_, lp.row_upper_ = np.array(self.rlo), np.array(self.rhi)
        a = sp.csc_matrix((self.vals, (self.rows, self.cols)), shape=(lp.num_row_, n))
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = a.indptr, a.indices, a.data
        lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = n, lp.num_row_
        lp.integrality_ = [highspy.HighsVarType.kInteger if i else highspy.HighsVarType.kContinuous
                           for i in np.concatenate(self.integer)]
        return lp


def decode(sys: System, graphs: list[_Graph], types: UnitTypes, flows: list[np.ndarray]) -> np.ndarray:
    """Integer arc flows -> a unit schedule (N, T): each copy follows one path of its type's flow.

    Flow decomposition, hour by hour: the copies of a type sit in states; the flow on an arc at hour t says how
    many copies in its source state take it. Every path is feasible by construction of the state graph, and
    the start-up costs of the paths sum to the flows' start-up cost.
    """
    u = np.zeros((sys.n, sys.t), dtype=bool)
    for j, g in enumerate(graphs):
        units = np.flatnonzero(types.of_unit == j)
        state = np.full(len(units), g.init)
        y = np.rint(flows[j]).astype(int)
        for t in range(sys.t):
            new = state.copy()
            for a, (fr, to, _) in enumerate(g.arcs):
                movers = np.flatnonzero(state == fr)[: y[t, a]] if y[t, a] else []
                if len(movers) < y[t, a]:
                    raise ValueError(f"uc MILP flow of type {j} at hour {t} is not decomposable")
                new[movers] = to
                state[movers] = -1                    # taken: a copy takes one arc per hour
            state = new
            u[units, t] = state < g.n_on
    return u


def solve_milp(sys: System, target_gap: float = 1e-6, time_limit: float = 120.0, tangents0: int = 24,
               max_rounds: int = 12, threads: int = 1, log_file: str | None = None) -> MilpResult:
    """Prove the optimum within ``target_gap`` (relative) by outer approximation; see the module docstring.

    ``time_limit`` is per HiGHS solve in wall seconds (HiGHS's clock); rounds stop when the gap is met, when a
    round adds no new tangent, or after ``max_rounds``.
    """
    t0 = time.process_time()
    types = unit_types(sys)
    model = _Model(sys, types)
    lp = model.lp()
    K, T = len(types.rows), sys.t
    points = [[set() for _ in range(T)] for _ in range(K)]
    for j, i in enumerate(types.rows):
        grid = np.linspace(sys.pmin[i], sys.pmax[i], tangents0)
        for t in range(T):
            points[j][t].update(np.round(grid, 6).tolist())
    h = highspy.Highs()
    h.setOptionValue("output_flag", bool(log_file))
    if log_file:
        h.setOptionValue("log_file", str(log_file))
        h.setOptionValue("log_to_console", False)
    h.setOptionValue("threads", int(threads))
    h.setOptionValue("random_seed", 0)
    h.setOptionValue("mip_rel_gap", float(target_gap) / 10)
    h.setOptionValue("mip_abs_gap", 1e-3)
    h.setOptionValue("time_limit", float(time_limit))
    h.passModel(lp)
    _add_tangents(h, model, {(j, t): sorted(points[j][t]) for j in range(K) for t in range(T)})

    best_u = best_p = None
    best_cost, best_bound, history, status = np.inf, -np.inf, [], ""
    for rnd in range(1, max_rounds + 1):
        h.run()
        status = h.modelStatusToString(h.getModelStatus())
        info = h.getInfo()
        if info.primal_solution_status < 1:
            raise RuntimeError(f"HiGHS found no feasible schedule for {sys.n} units (status {status})")
        best_bound = max(best_bound, float(info.mip_dual_bound))
        x = np.asarray(h.getSolution().col_value)
        u = decode(sys, model.graphs, types, [x[y] for y in model.y])
        rep = check_schedule(sys, u)
        if not rep.feasible:
            raise RuntimeError(f"MILP schedule fails the checker: {rep.violations[:3]}")
        if rep.cost < best_cost:
            best_u, best_p, best_cost = u, rep.p, rep.cost
        history.append({"round": rnd, "bound": float(info.mip_dual_bound), "objective":
                        float(info.objective_function_value), "checker_cost": rep.cost, "status": status})
        if (best_cost - best_bound) / best_cost <= target_gap or status != "Optimal":
            break  # proven, or out of time: more tangents cannot help a search that did not finish
        # tangents where the incumbent dispatches each type (the MILP's split and the checker's exact one)
        P, n = x[model.P], x[model.n]
        new = {}
        for j in range(K):
            units = np.flatnonzero(types.of_unit == j)
            for t in range(T):
                cand = set()
                if n[j, t] > 0.5:
                    cand.add(round(float(P[j, t] / n[j, t]), 6))
                on = units[u[units, t]]
                cand.update(np.round(rep.p[on, t], 6).tolist())
                cand -= points[j][t]
                if cand:
                    points[j][t] |= cand
                    new[(j, t)] = sorted(cand)
        if not new:
            break
        _add_tangents(h, model, new)
        _warm_start(h, model, sys, types, x)
    return MilpResult(u=best_u, p=best_p, cost=best_cost, bound=best_bound, status=status,
                      seconds=time.process_time() - t0, iterations=len(history),
                      tangents=sum(len(points[j][0]) for j in range(K)), highs_version=h.version(),
                      highspy_version=metadata.version("highspy"),
                      history=history)


def _add_tangents(h: highspy.Highs, model: _Model, points: dict[tuple[int, int], list[float]]) -> None:
    starts, cols, vals = [0], [], []
    for (j, t), pts in points.items():
        for c, v in model.tangent_rows(j, t, pts):
            cols += c
            vals += v
            starts.append(len(cols))
    m = len(starts) - 1
    h.addRows(m, np.zeros(m), np.full(m, np.inf), len(cols), np.array(starts[:-1], dtype=np.int32),
              np.array(cols, dtype=np.int32), np.array(vals))


def _warm_start(h: highspy.Highs, model: _Model, sys: System, types: UnitTypes, x: np.ndarray) -> None:
    """The last incumbent, with z raised to its exact perspective cost, is feasible for the new rows."""
    x = x.copy()
    i = types.rows
    for j in range(len(i)):
        for t in range(sys.t):
            n, P = x[model.n[j, t]], x[model.P[j, t]]
            x[model.z[j, t]] = n * sys.a[i[j]] + sys.b[i[j]] * P + sys.c[i[j]] * P * P / n if n > 0.5 else 0.0
    sol = highspy.HighsSolution()
    sol.col_value = list(x)
    sol.value_valid = True
    h.setSolution(sol)
