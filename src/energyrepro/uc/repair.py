"""From a dual (LR) commitment to a feasible schedule and its cost (paper §6 and eq. 24).

A forward pass over the hours, vectorised over candidates and units, keeps minimum up/down times
(units inside their minimum up time stay on, inside their minimum down time stay off), refuses a
shut-down that would leave too little capacity for the reserve within the unit's down time, commits
extra units in priority order (cheapest full-load cost first, cancelled shut-downs before cold units)
where the reserve is short, and drops surplus start-ups (dearest first) the reserve does not need.
Economic dispatch is lambda iteration (bisection on the common incremental cost).  What remains
violated is penalised as in eq. 24.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from energyrepro.uc.system import System


@dataclass(frozen=True)
class Evaluation:
    u: np.ndarray          # (B, N, T) bool, repaired commitment
    p: np.ndarray          # (B, N, T) dispatch [MW]
    fuel: np.ndarray       # (B,) fuel cost [$]
    startup: np.ndarray    # (B,) start-up cost [$]
    shortfall: np.ndarray  # (B, T) reserve shortfall [MW] (0 when feasible)
    imbalance: np.ndarray  # (B, T) |generation - load| [MW] that dispatch could not close
    fitness: np.ndarray    # (B,) eq. 24: cost + penalties

    @property
    def cost(self) -> np.ndarray:
        return self.fuel + self.startup


def _window_max(x: np.ndarray, width: np.ndarray) -> np.ndarray:
    """out[i, t] = max(x[t : t + width[i]]) (window clipped at the horizon end)."""
    T = len(x)
    out = np.empty((len(width), T))
    for w in np.unique(width):
        m = np.array([x[t:t + max(int(w), 1)].max() for t in range(T)])
        out[width == w] = m
    return out


def repair(sys: System, u_dual: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Repaired commitment (B, N, T), start-up cost (B,) and residual reserve shortfall (B, T)."""
    B, N, T = u_dual.shape
    req = sys.requirement
    order = np.argsort(sys.full_load_cost(), kind="stable")      # cheapest first
    rev = order[::-1]
    pmax_o, pmax_r = sys.pmax[order], sys.pmax[rev]
    total_cap = sys.pmax.sum()
    need_ahead = _window_max(req, sys.down)                       # (N, T) peak need while a stopped unit must stay off
    on_cnt = np.broadcast_to(np.where(sys.init > 0, sys.init, 0), (B, N)).copy()
    off_cnt = np.broadcast_to(np.where(sys.init < 0, -sys.init, 0), (B, N)).copy()
    u = np.empty((B, N, T), dtype=bool)
    startup = np.zeros(B)
    short = np.zeros((B, T))
    for t in range(T):
        was_on = on_cnt > 0
        forced_on = was_on & (on_cnt < sys.up)
        forced_off = ~was_on & (off_cnt < sys.down)
        ut = (u_dual[:, :, t] | forced_on) & ~forced_off
        # refuse shut-downs that would starve the reserve while the unit is held off
        unavailable = (forced_off * sys.pmax).sum(axis=1, keepdims=True)
        risky = was_on & ~ut & (need_ahead[:, t] > total_cap - sys.pmax - unavailable)
        ut |= risky
        # commit more units where the reserve is short: cancelled shut-downs first, then the rest
        for pool in (was_on, ~was_on):
            gap = req[t] - (ut * sys.pmax).sum(axis=1)
            cand = (~ut & ~forced_off & pool)[:, order]
            capc = cand * pmax_o
            take = cand & (np.cumsum(capc, axis=1) - capc < gap[:, None])
            ut[:, order] |= take
        # drop surplus start-ups, dearest first, while the reserve stays met
        excess = (ut * sys.pmax).sum(axis=1) - req[t]
        cand = (ut & ~was_on)[:, rev]
        capc = cand * pmax_r
        drop = cand & (np.cumsum(capc, axis=1) <= excess[:, None])
        ut[:, rev] &= ~drop
        short[:, t] = np.maximum(req[t] - (ut * sys.pmax).sum(axis=1), 0.0)
        starts = ut & ~was_on
        su = np.where(off_cnt <= sys.down + sys.cold_h, sys.hot, sys.cold)
        startup += (starts * su).sum(axis=1)
        on_cnt = np.where(ut, on_cnt + 1, 0)
        off_cnt = np.where(ut, 0, off_cnt + 1)
        u[:, :, t] = ut
    return u, startup, short


def economic_dispatch(sys: System, u: np.ndarray, iters: int = 16) -> np.ndarray:
    """Lambda iteration per (candidate, hour): P_i = clip((lambda - b_i) / 2c_i, Pmin, Pmax) on committed units.

    Bisection finds the set of units at their limits; a closed-form step on the free units then makes
    the balance exact (repeated, in case the set moved).
    """
    b, c = sys.b[:, None], sys.c[:, None]
    pmin, pmax = sys.pmin[:, None], sys.pmax[:, None]
    lo = np.full((u.shape[0], u.shape[2]), float(sys.b.min()))
    hi = np.full((u.shape[0], u.shape[2]), float((sys.b + 2 * sys.c * sys.pmax).max()))

    k, m = 1 / (2 * c), -b / (2 * c)

    def output(lam):
        return np.clip(lam[:, None, :] * k + m, pmin, pmax) * u

    for _ in range(iters):
        mid = 0.5 * (lo + hi)
        low = output(mid).sum(axis=1) < sys.load
        lo = np.where(low, mid, lo)
        hi = np.where(low, hi, mid)
    lam = 0.5 * (lo + hi)
    for _ in range(4):
        raw = lam[:, None, :] * k + m
        free = u & (raw > pmin) & (raw < pmax)
        fixed = (np.clip(raw, pmin, pmax) * (u & ~free)).sum(axis=1)
        w = (free / (2 * c)).sum(axis=1)
        num = sys.load - fixed + (free * b / (2 * c)).sum(axis=1)
        lam = np.where(w > 0, num / np.where(w > 0, w, 1.0), lam)
    return output(lam)


def evaluate(sys: System, u_dual: np.ndarray, k_reserve: float, k_balance: float) -> Evaluation:
    """Repair, dispatch and price a batch of dual commitments; fitness per eq. 24."""
    u, startup, short = repair(sys, u_dual)
    p = economic_dispatch(sys, u)
    fuel = (u * sys.fuel(p.transpose(0, 2, 1)).transpose(0, 2, 1)).sum(axis=(1, 2))
    imbalance = np.abs(p.sum(axis=1) - sys.load)
    imbalance = np.where(imbalance < 1e-6, 0.0, imbalance)
    fitness = fuel + startup + k_reserve * (short ** 2).sum(axis=1) + k_balance * (imbalance ** 2).sum(axis=1)
    return Evaluation(u=u, p=p, fuel=fuel, startup=startup, shortfall=short, imbalance=imbalance,
                      fitness=fitness)
