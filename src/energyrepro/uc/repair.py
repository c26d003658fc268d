"""From a dual (LR) commitment to a feasible schedule and its cost (paper §6 and eq. 24).

:func:`repair` is a forward pass over the hours, vectorised over candidates and units: units inside their
minimum up time stay on, inside their minimum down time stay off, a shut-down is refused where even every
other available unit could not cover load + reserve during the unit's down time, and where the reserve is
short extra units are committed in priority order (cheapest full-load cost first, cancelled shut-downs
before the rest). It changes nothing else, so a feasible schedule is a fixed point.

The dual commitment treats all copies of a unit alike (they have the same subproblem), so it often commits
a whole group of copies where the reserve needs only some. The optional trimming cancels such surplus
start-ups in the same pass and then, in a backward pass, ends on-spells earlier where the reserve does not
need their last hours (dearest first, minimum up times kept). Trimming can cost more than it saves (a start cancelled in
the last hour it is priced hot is made cold an hour later), so :func:`evaluate` prices both schedules and
keeps the trimmed one only where it is strictly cheaper: the decoder never returns a schedule dearer than
the plain repair, and a feasible schedule comes back unchanged unless a strictly cheaper one was found
(never for an optimal one).

Economic dispatch is lambda iteration (bisection on the common incremental cost, then a closed-form step).
What remains violated is penalised as in eq. 24.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from energyrepro.uc.system import System, unit_types


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


def repair(sys: System, u_dual: np.ndarray, trim: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Repaired commitment (B, N, T), start-up cost (B,) and residual reserve shortfall (B, T).

    Without ``trim`` a feasible input is returned unchanged: units are only forced on/off where the input
    breaks a minimum up/down time, a shut-down is refused only where even every other available unit could
    not cover load + reserve during the unit's down time, and units are only added where the reserve is short.
    ``trim`` also cancels surplus start-ups the reserve does not need (see the module docstring).
    """
    B, N, T = u_dual.shape
    req = sys.requirement
    order = np.argsort(sys.full_load_cost(), kind="stable")      # cheapest first
    rev = order[::-1]
    pmax_o, pmax_r = sys.pmax[order], sys.pmax[rev]
    total_cap = sys.pmax.sum()
    d_max = int(sys.down.max())
    ahead = np.arange(d_max)
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
        # refuse a shut-down when, at some hour of the unit's down time, all units not held off by their own
        # down time could not cover load + reserve without it
        held = forced_off[:, :, None] & (ahead[None, None, :] < (sys.down - off_cnt)[:, :, None])  # (B, N, D)
        need = np.full(d_max, -np.inf)
        need[: min(d_max, T - t)] = req[t:t + d_max]
        room = total_cap - (held * sys.pmax[None, :, None]).sum(axis=1) - need                # (B, D)
        worst = np.minimum.accumulate(room, axis=1)[:, sys.down - 1]                           # (B, N)
        ut |= was_on & ~ut & (worst < sys.pmax)
        # commit more units where the reserve is short: cancelled shut-downs first, then the rest
        for pool in (was_on, ~was_on):
            gap = req[t] - (ut * sys.pmax).sum(axis=1)
            cand = (~ut & ~forced_off & pool)[:, order]
            capc = cand * pmax_o
            take = cand & (np.cumsum(capc, axis=1) - capc < gap[:, None])
            ut[:, order] |= take
        if trim:  # cancel surplus start-ups, dearest first, while the reserve stays met
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
    if trim:
        u = _trim_shutdowns(sys, u)
        startup = startup_cost(sys, u)
    return u, startup, short


def _trim_shutdowns(sys: System, u: np.ndarray) -> np.ndarray:
    """Backward pass: end on-spells earlier where the reserve does not need their last hours (dearest first),
    keeping every spell at least its minimum up time (a one-hour spell of a 1-h unit may vanish)."""
    B, N, T = u.shape
    rev = np.argsort(sys.full_load_cost(), kind="stable")[::-1]
    run = np.empty((B, N, T), dtype=int)                        # hours on in a row, ending at t
    prev = np.broadcast_to(np.where(sys.init > 0, sys.init, 0), (B, N))
    for t in range(T):
        prev = np.where(u[:, :, t], prev + 1, 0)
        run[:, :, t] = prev
    u = u.copy()
    for t in range(T - 1, -1, -1):
        last = u[:, :, t] & (~u[:, :, t + 1] if t + 1 < T else True)
        ok = last & ((run[:, :, t] - 1 >= sys.up) | (run[:, :, t] == 1))
        excess = (u[:, :, t] * sys.pmax).sum(axis=1) - sys.requirement[t]
        cand = ok[:, rev]
        capc = cand * sys.pmax[rev]
        drop = cand & (np.cumsum(capc, axis=1) <= excess[:, None])
        u[:, rev, t] &= ~drop
    return u


def startup_cost(sys: System, u: np.ndarray) -> np.ndarray:
    """Start-up cost (B,) of schedules (B, N, T): hot when off <= down + cold_h hours before, else cold."""
    off = np.broadcast_to(np.where(sys.init < 0, -sys.init, 0), u.shape[:2]).copy()
    was_on = np.broadcast_to(sys.init > 0, u.shape[:2])
    total = np.zeros(u.shape[0])
    for t in range(u.shape[2]):
        starts = u[:, :, t] & ~was_on
        total += (starts * np.where(off <= sys.down + sys.cold_h, sys.hot, sys.cold)).sum(axis=1)
        off = np.where(u[:, :, t], 0, off + 1)
        was_on = u[:, :, t]
    return total


def economic_dispatch(sys: System, u: np.ndarray, iters: int = 16) -> np.ndarray:
    """Lambda iteration per (candidate, hour): P_i = clip((lambda - b_i) / 2c_i, Pmin, Pmax) on committed units.

    Copies of a unit get the same output, so the search runs on the committed count of each unit type.
    Bisection finds the set of types at their limits; a closed-form step on the free types then makes the
    balance exact (repeated, in case the set moved).
    """
    types = unit_types(sys)
    r = types.rows
    onehot = (types.of_unit[:, None] == np.arange(len(r))[None, :]).astype(float)      # (N, K)
    n = np.einsum("bnt,nk->bkt", u.astype(float), onehot)                                # copies on per type
    b, c = sys.b[r][:, None], sys.c[r][:, None]
    pmin, pmax = sys.pmin[r][:, None], sys.pmax[r][:, None]
    lo = np.full((u.shape[0], u.shape[2]), float(sys.b.min()))
    hi = np.full((u.shape[0], u.shape[2]), float((sys.b + 2 * sys.c * sys.pmax).max()))
    k, m = 1 / (2 * c), -b / (2 * c)

    def each(lam):                                  # (B, K, T): output of one committed copy of each type
        return np.clip(lam[:, None, :] * k + m, pmin, pmax)

    for _ in range(iters):
        mid = 0.5 * (lo + hi)
        low = (each(mid) * n).sum(axis=1) < sys.load
        lo = np.where(low, mid, lo)
        hi = np.where(low, hi, mid)
    lam = 0.5 * (lo + hi)
    on = n > 0
    for _ in range(4):
        raw = lam[:, None, :] * k + m
        free = on & (raw > pmin) & (raw < pmax)
        fixed = (np.clip(raw, pmin, pmax) * n * ~free).sum(axis=1)
        w = (free * n * k).sum(axis=1)
        num = sys.load - fixed + (free * n * b * k).sum(axis=1)
        lam = np.where(w > 0, num / np.where(w > 0, w, 1.0), lam)
    return each(lam)[:, types.of_unit, :] * u


def _price(sys: System, u: np.ndarray, startup: np.ndarray, short: np.ndarray, k_reserve: float,
           k_balance: float) -> Evaluation:
    p = economic_dispatch(sys, u)
    fuel = (u * sys.fuel(p.transpose(0, 2, 1)).transpose(0, 2, 1)).sum(axis=(1, 2))
    imbalance = np.abs(p.sum(axis=1) - sys.load)
    imbalance = np.where(imbalance < 1e-6, 0.0, imbalance)
    fitness = fuel + startup + k_reserve * (short ** 2).sum(axis=1) + k_balance * (imbalance ** 2).sum(axis=1)
    return Evaluation(u=u, p=p, fuel=fuel, startup=startup, shortfall=short, imbalance=imbalance,
                      fitness=fitness)


def evaluate(sys: System, u_dual: np.ndarray, k_reserve: float, k_balance: float) -> Evaluation:
    """Repair (plain and trimmed), dispatch and price a batch of dual commitments; fitness per eq. 24.

    Per candidate the trimmed schedule is kept only where its fitness is strictly lower than the plain
    repair's (by more than 1e-9 relative), so the result is never dearer than the plain repair.
    """
    plain = _price(sys, *repair(sys, u_dual), k_reserve, k_balance)
    trimmed = _price(sys, *repair(sys, u_dual, trim=True), k_reserve, k_balance)
    pick = trimmed.fitness < plain.fitness * (1 - 1e-9)
    return Evaluation(**{f: np.where(pick.reshape((-1,) + (1,) * (getattr(plain, f).ndim - 1)),
                                     getattr(trimmed, f), getattr(plain, f))
                         for f in ("u", "p", "fuel", "startup", "shortfall", "imbalance", "fitness")})
