"""Independent feasibility checker and exact price of one schedule (written plainly; no code shared with the
repair, the LR or the MILP: its own economic dispatch).

Checks power balance (eq. 2), spinning reserve (eq. 3), generator limits (eq. 4) and minimum up/down times
from the initial status (eq. 5); dispatches the committed units itself (exact lambda: the total output is
piecewise linear in lambda, so the balancing lambda is found between two breakpoints and solved for in
closed form) and prices fuel plus start-ups by hours off (eq. 6). Every schedule a method reports is priced
here, so methods are compared on one price; a method's own dispatch, when given, is checked too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from energyrepro.uc.system import System

KINDS = ("balance", "reserve", "limits", "min_up", "min_down", "dispatch")


@dataclass
class Report:
    violations: list[tuple[str, int, int, str]] = field(default_factory=list)  # (kind, unit, hour, detail)
    fuel: float = 0.0
    startup: float = 0.0
    p: np.ndarray | None = None    # (N, T) the checker's own economic dispatch
    given_fuel: float | None = None  # fuel of the method's own dispatch, when one was given

    @property
    def feasible(self) -> bool:
        return not self.violations

    @property
    def cost(self) -> float:
        return self.fuel + self.startup

    def kinds(self) -> set[str]:
        return {v[0] for v in self.violations}


def dispatch_hour(pmin: np.ndarray, pmax: np.ndarray, b: np.ndarray, c: np.ndarray, load: float) -> np.ndarray:
    """Least-cost outputs of the committed units (quadratic costs, c > 0) that sum to ``load``.

    P_i(lam) = clip((lam - b_i) / 2c_i, Pmin_i, Pmax_i); the sum is piecewise linear in lam with breakpoints
    where a unit leaves Pmin or reaches Pmax. Between the two breakpoints that bracket ``load`` the sum is
    linear, so lam follows exactly. ``load`` must lie in [sum Pmin, sum Pmax].
    """
    def total(lam):
        return np.clip((lam - b) / (2 * c), pmin, pmax).sum()

    kinks = np.unique(np.r_[b + 2 * c * pmin, b + 2 * c * pmax])
    sums = np.array([total(k) for k in kinks])
    j = int(np.searchsorted(sums, load))            # first kink whose total reaches the load
    if j == 0:
        return pmin.copy()
    if j == len(kinks):
        return pmax.copy()
    lo, hi = kinks[j - 1], kinks[j]
    lam = lo + (load - sums[j - 1]) * (hi - lo) / (sums[j] - sums[j - 1])
    return np.clip((lam - b) / (2 * c), pmin, pmax)


def check_schedule(sys: System, u: np.ndarray, p: np.ndarray | None = None, tol: float = 1e-4) -> Report:
    """Validate commitment ``u`` (N, T), dispatch and price it; hours and units are 0-based in the report.

    ``p`` (optional) is the method's own dispatch: its balance and limits are checked and its fuel is
    recorded (``given_fuel``); the price is always that of the checker's own dispatch.
    """
    u = np.asarray(u).astype(bool)
    if u.shape != (sys.n, sys.t):
        raise ValueError(f"schedule shape {u.shape} does not match the system ({sys.n}, {sys.t})")
    rep = Report(p=np.zeros((sys.n, sys.t)))
    for t in range(sys.t):
        on = u[:, t]
        cap = sys.pmax[on].sum()
        if cap < sys.requirement[t] - tol:
            rep.violations.append(("reserve", -1, t, f"capacity {cap:.1f} < {sys.requirement[t]:.1f}"))
        if not sys.pmin[on].sum() - tol <= sys.load[t] <= cap + tol:
            rep.violations.append(("dispatch", -1, t, f"load {sys.load[t]:.1f} outside the committed range "
                                                       f"[{sys.pmin[on].sum():.1f}, {cap:.1f}]"))
        elif on.any():
            rep.p[on, t] = dispatch_hour(sys.pmin[on], sys.pmax[on], sys.b[on], sys.c[on], sys.load[t])
    rep.fuel = float((u * (sys.a[:, None] + sys.b[:, None] * rep.p + sys.c[:, None] * rep.p ** 2)).sum())
    if p is not None:
        p = np.asarray(p, dtype=float)
        if p.shape != u.shape:
            raise ValueError(f"dispatch shape {p.shape} does not match the schedule {u.shape}")
        _check_dispatch(sys, u, p, tol, rep)
        rep.given_fuel = float((u * (sys.a[:, None] + sys.b[:, None] * p + sys.c[:, None] * p ** 2)).sum())
    for i in range(sys.n):
        run = int(sys.init[i])  # >0: on for run hours, <0: off for -run hours
        for t in range(sys.t):
            if u[i, t]:
                if run < 0:
                    off = -run
                    if off < sys.down[i]:
                        rep.violations.append(("min_down", i, t, f"restarted after {off} h off < {sys.down[i]}"))
                    rep.startup += float(sys.hot[i] if off <= sys.down[i] + sys.cold_h[i] else sys.cold[i])
                    run = 0
                run += 1
            else:
                if run > 0:
                    if run < sys.up[i]:
                        rep.violations.append(("min_up", i, t, f"stopped after {run} h on < {sys.up[i]}"))
                    run = 0
                run -= 1
    return rep


def _check_dispatch(sys: System, u: np.ndarray, p: np.ndarray, tol: float, rep: Report) -> None:
    for t in range(sys.t):
        gen = p[:, t].sum()
        if abs(gen - sys.load[t]) > tol * max(1.0, sys.load[t]):
            rep.violations.append(("balance", -1, t, f"generation {gen:.3f} != load {sys.load[t]:.3f}"))
        for i in range(sys.n):
            lo, hi = (sys.pmin[i], sys.pmax[i]) if u[i, t] else (0.0, 0.0)
            if p[i, t] < lo - tol or p[i, t] > hi + tol:
                rep.violations.append(("limits", i, t, f"P={p[i, t]:.3f} outside [{lo}, {hi}]"))
