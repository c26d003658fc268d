"""Exact reference: the unit commitment problem as a MILP solved by HiGHS (highspy).

Variables per unit and hour: on/off u (binary), start-up v and shut-down w (continuous in [0, 1]; integral
at any optimum because v - w = u_t - u_{t-1}), start-up cost sc, and segment outputs d_k of a K-piece
secant (piecewise-linear) approximation of the quadratic cost above Pmin.  Constraints: power balance,
spinning reserve, minimum up/down time (v/w window sums, initial status honoured), start-up cost
sc >= hot * v and sc >= cold * (u_t - sum of u over the last down + cold_h + 1 hours), i.e. a cold start
when the unit was off more than down + cold_h hours (the issue's rule).  The secant over-estimates the
quadratic by at most c * (segment / 2)^2 per unit-hour; :func:`solve_milp` reports that slack so the
bound stays a valid bound on the quadratic problem, and re-prices the schedule exactly.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import highspy
import numpy as np
import scipy.sparse as sp

from energyrepro.uc.feasibility import check_schedule
from energyrepro.uc.repair import economic_dispatch
from energyrepro.uc.system import System


@dataclass
class MilpResult:
    u: np.ndarray            # (N, T) commitment
    p: np.ndarray            # (N, T) exact economic re-dispatch of u
    objective: float         # MILP objective (piecewise-linear cost)
    bound: float             # HiGHS dual bound on the MILP objective
    pwl_slack: float         # max total over-estimate of the quadratic by the secants
    exact_cost: float        # quadratic cost of u after re-dispatch, start-ups included
    gap: float               # (objective - bound) / objective
    status: str
    seconds: float

    @property
    def quadratic_bound(self) -> float:
        """A valid lower bound on the quadratic problem's optimum."""
        return self.bound - self.pwl_slack


class _Builder:
    def __init__(self):
        self.n = 0
        self.lo, self.hi, self.cost, self.integer = [], [], [], []
        self.rows, self.cols, self.vals, self.rlo, self.rhi = [], [], [], [], []

    def var(self, shape, lo, hi, cost, integer=False) -> np.ndarray:
        size = int(np.prod(shape))
        idx = np.arange(self.n, self.n + size).reshape(shape)
        self.n += size
        for lst, v in ((self.lo, lo), (self.hi, hi), (self.cost, cost)):
            lst.append(np.broadcast_to(np.asarray(v, dtype=float), shape).ravel())
        self.integer.append(np.full(size, integer))
        return idx

    def row(self, cols, vals, lo, hi) -> None:
        r = len(self.rlo)
        self.rows += [r] * len(cols)
        self.cols += list(cols)
        self.vals += list(vals)
        self.rlo.append(lo)
        self.rhi.append(hi)

    def model(self) -> highspy.HighsLp:
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = self.n, len(self.rlo)
        lp.col_cost_ = np.concatenate(self.cost)
        lp.col_lower_, lp.col_upper_ = np.concatenate(self.lo), np.concatenate(self.hi)
        lp.row_lower_, lp.row_upper_ = np.array(self.rlo, float), np.array(self.rhi, float)
        a = sp.csc_matrix((self.vals, (self.rows, self.cols)), shape=(lp.num_row_, lp.num_col_))
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = a.indptr, a.indices, a.data
        lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = lp.num_col_, lp.num_row_
        integer = np.concatenate(self.integer)
        lp.integrality_ = [highspy.HighsVarType.kInteger if i else highspy.HighsVarType.kContinuous
                           for i in integer]
        return lp


def _history(sys: System, i: int, k: int) -> float:
    """u_{i, 1-k} for k >= 1 (hours before the horizon) from the initial status."""
    init = int(sys.init[i])
    return 1.0 if (init > 0 or k > -init) else 0.0


def build(sys: System, segments: int) -> tuple[highspy.HighsLp, dict, float]:
    """The MILP; returns the model, the variable index arrays and the secant slack."""
    N, T = sys.n, sys.t
    m = _Builder()
    width = (sys.pmax - sys.pmin) / segments                      # (N,)
    edges = sys.pmin[:, None] + width[:, None] * np.arange(segments + 1)
    fe = sys.fuel(edges.T).T                                      # (N, K+1)
    slope = np.diff(fe, axis=1) / width[:, None]                  # (N, K)
    base = sys.fuel(sys.pmin)
    u = m.var((N, T), 0, 1, base[:, None], integer=True)
    v = m.var((N, T), 0, 1, 0.0)
    w = m.var((N, T), 0, 1, 0.0)
    sc = m.var((N, T), 0, np.inf, 1.0)
    d = m.var((N, T, segments), 0, width[:, None, None], slope[:, None, :])
    for t in range(T):
        cols = list(u[:, t]) + list(d[:, t, :].ravel())
        vals = list(sys.pmin) + list(np.ones(N * segments))
        m.row(cols, vals, sys.load[t], sys.load[t])                      # balance
        m.row(list(u[:, t]), list(sys.pmax), sys.requirement[t], np.inf)  # reserve
    for i in range(N):
        up, down, init = int(sys.up[i]), int(sys.down[i]), int(sys.init[i])
        for t in range(T):
            for k in range(segments):                                      # d_k <= width * u
                m.row([d[i, t, k], u[i, t]], [1.0, -width[i]], -np.inf, 0.0)
            prev = [u[i, t - 1]] if t else []
            m.row([v[i, t], w[i, t], u[i, t]] + prev, [1, -1, -1] + [1] * len(prev),
                  -(_history(sys, i, 1) if t == 0 else 0.0), -(_history(sys, i, 1) if t == 0 else 0.0))
            m.row(list(v[i, max(0, t - up + 1):t + 1]) + [u[i, t]],
                  [1] * (t + 1 - max(0, t - up + 1)) + [-1], -np.inf, 0.0)        # min up
            m.row(list(w[i, max(0, t - down + 1):t + 1]) + [u[i, t]],
                  [1] * (t + 1 - max(0, t - down + 1)) + [1], -np.inf, 1.0)       # min down
            if init > 0 and t < up - init:
                m.row([u[i, t]], [1], 1, 1)
            if init < 0 and t < down + init:
                m.row([u[i, t]], [1], 0, 0)
            m.row([sc[i, t], v[i, t]], [1, -sys.hot[i]], 0, np.inf)                # hot start
            look = int(sys.down[i] + sys.cold_h[i]) + 1
            inside = [u[i, t - n] for n in range(1, look + 1) if t - n >= 0]
            before = sum(_history(sys, i, n - t) for n in range(1, look + 1) if t - n < 0)
            m.row([sc[i, t], u[i, t]] + inside, [1, -sys.cold[i]] + [sys.cold[i]] * len(inside),
                  -sys.cold[i] * before, np.inf)                                   # cold start
    slack = float((sys.c * (width / 2) ** 2).sum() * T)
    return m.model(), {"u": u}, slack


def solve_milp(sys: System, segments: int = 20, time_limit: float = 120.0, mip_gap: float = 5e-4,
               threads: int = 1, log_file: str | None = None) -> MilpResult:
    lp, idx, slack = build(sys, segments)
    h = highspy.Highs()
    h.setOptionValue("output_flag", bool(log_file))
    if log_file:
        h.setOptionValue("log_file", str(log_file))
        h.setOptionValue("log_to_console", False)
    h.setOptionValue("time_limit", float(time_limit))
    h.setOptionValue("mip_rel_gap", float(mip_gap))
    h.setOptionValue("threads", int(threads))
    h.setOptionValue("random_seed", 0)
    h.passModel(lp)
    t0 = time.process_time()
    h.run()
    seconds = time.process_time() - t0
    status = h.modelStatusToString(h.getModelStatus())
    info = h.getInfo()
    if info.primal_solution_status < 1:
        raise RuntimeError(f"HiGHS found no feasible schedule for {sys.n} units (status {status})")
    x = np.asarray(h.getSolution().col_value)
    u = x[idx["u"]] > 0.5
    p = economic_dispatch(sys, u[None])[0]
    rep = check_schedule(sys, u, p)
    if not rep.feasible:
        raise RuntimeError(f"MILP schedule fails the checker: {rep.violations[:3]}")
    obj, bound = float(info.objective_function_value), float(info.mip_dual_bound)
    return MilpResult(u=u, p=p, objective=obj, bound=bound, pwl_slack=slack, exact_cost=rep.cost,
                      gap=(obj - bound) / abs(obj), status=status, seconds=seconds)
