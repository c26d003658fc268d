"""Independent feasibility checker and cost of one schedule (written plainly, sharing no code with repair).

Checks power balance (eq. 2), spinning reserve (eq. 3), generator limits (eq. 4), minimum up/down
times including the initial status (eq. 5), and recomputes the start-up cost by hours off (eq. 6).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from energyrepro.uc.system import System

KINDS = ("balance", "reserve", "limits", "min_up", "min_down")


@dataclass
class Report:
    violations: list[tuple[str, int, int, str]] = field(default_factory=list)  # (kind, unit, hour, detail)
    fuel: float = 0.0
    startup: float = 0.0

    @property
    def feasible(self) -> bool:
        return not self.violations

    @property
    def cost(self) -> float:
        return self.fuel + self.startup

    def kinds(self) -> set[str]:
        return {v[0] for v in self.violations}


def check_schedule(sys: System, u: np.ndarray, p: np.ndarray, tol: float = 1e-4) -> Report:
    """Validate commitment ``u`` (N, T) and dispatch ``p`` (N, T); hours and units are 0-based in the report."""
    u = np.asarray(u).astype(bool)
    p = np.asarray(p, dtype=float)
    if u.shape != (sys.n, sys.t) or p.shape != u.shape:
        raise ValueError(f"schedule shape {u.shape}/{p.shape} does not match the system ({sys.n}, {sys.t})")
    rep = Report()
    for t in range(sys.t):
        gen = p[:, t].sum()
        if abs(gen - sys.load[t]) > tol * max(1.0, sys.load[t]):
            rep.violations.append(("balance", -1, t, f"generation {gen:.3f} != load {sys.load[t]:.3f}"))
        cap = sys.pmax[u[:, t]].sum()
        if cap < sys.requirement[t] - tol:
            rep.violations.append(("reserve", -1, t, f"capacity {cap:.1f} < {sys.requirement[t]:.1f}"))
    for i in range(sys.n):
        run = int(sys.init[i])  # >0: on for run hours, <0: off for -run hours
        for t in range(sys.t):
            lo, hi = (sys.pmin[i], sys.pmax[i]) if u[i, t] else (0.0, 0.0)
            if p[i, t] < lo - tol or p[i, t] > hi + tol:
                rep.violations.append(("limits", i, t, f"P={p[i, t]:.3f} outside [{lo}, {hi}]"))
            if u[i, t]:
                rep.fuel += sys.a[i] + sys.b[i] * p[i, t] + sys.c[i] * p[i, t] ** 2
                if run < 0:
                    off = -run
                    if off < sys.down[i]:
                        rep.violations.append(("min_down", i, t, f"restarted after {off} h off < {sys.down[i]}"))
                    rep.startup += sys.hot[i] if off <= sys.down[i] + sys.cold_h[i] else sys.cold[i]
                    run = 0
                run += 1
            else:
                if run > 0:
                    if run < sys.up[i]:
                        rep.violations.append(("min_up", i, t, f"stopped after {run} h on < {sys.up[i]}"))
                    run = 0
                run -= 1
    return rep
