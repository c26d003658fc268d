"""Lagrangian subproblem (eqs. 10-15): each unit's on/off dynamic programme for given multipliers.

For multipliers lambda_t (balance) and mu_t (reserve) unit i minimises, over its on/off path,
    sum_t u_t [F_i(P_t) - lambda_t P_t - mu_t Pmax_i] + start-up costs
subject to minimum up/down times, with P_t the dual dispatch of eq. 14 clipped to [Pmin, Pmax].
States are counters: "on for k hours" (k = 1..Umax, capped) and "off for k hours" (k = 1..Omax, capped
above every unit's down + cold-start hours, so the hot/cold rule is exact).  The DP is vectorised over
(candidates x distinct units); identical unit copies are solved once and broadcast.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from energyrepro.uc.system import System, unit_types


@dataclass(frozen=True)
class DualResult:
    u: np.ndarray        # (B, N, T) bool: the dual commitment of every unit
    dual_value: np.ndarray  # (B,) Lagrangian dual function q(lambda, mu) (a lower bound on the optimum)


def dual_dispatch(sys: System, lam: np.ndarray) -> np.ndarray:
    """Eq. 14 clipped to the unit's limits: P = clip((lambda - b) / 2c, Pmin, Pmax); lam (..., T) -> (..., N, T)."""
    p = (lam[..., None, :] - sys.b[:, None]) / (2.0 * sys.c[:, None])
    return np.clip(p, sys.pmin[:, None], sys.pmax[:, None])


def solve_units(sys: System, lam: np.ndarray, mu: np.ndarray) -> DualResult:
    """Solve every unit's subproblem for each candidate row of ``lam``/``mu`` (shape (B, T))."""
    lam, mu = np.atleast_2d(lam).astype(float), np.atleast_2d(mu).astype(float)
    types = unit_types(sys)
    first, inverse = types.rows, types.of_unit
    up, down = sys.up[first], sys.down[first]
    hot, cold, cold_h, init = sys.hot[first], sys.cold[first], sys.cold_h[first], sys.init[first]
    pmax, pmin = sys.pmax[first], sys.pmin[first]
    a, b, c = sys.a[first], sys.b[first], sys.c[first]
    B, T, K = lam.shape[0], lam.shape[1], len(first)
    U = int(max(up.max(), 1))
    n_off = int((down + cold_h).max()) + 1
    S = U + n_off

    # on-hour cost g[b, k, t] = F(P) - lambda P - mu Pmax with P from eq. 14
    p = np.clip((lam[:, None, :] - b[:, None]) / (2 * c[:, None]), pmin[:, None], pmax[:, None])
    g = a[:, None] + b[:, None] * p + c[:, None] * p * p - lam[:, None, :] * p - mu[:, None, :] * pmax[:, None]

    k_on = np.arange(1, U + 1)
    k_off = np.arange(1, n_off + 1)
    can_stop = k_on[None, :] >= up[:, None]                                  # (K, U)
    su = np.where(k_off[None, :] <= (down + cold_h)[:, None], hot[:, None], cold[:, None])
    su = np.where(k_off[None, :] >= down[:, None], su, np.inf)               # (K, n_off): start from off_k
    stop_pen = np.where(can_stop, 0.0, np.inf)

    V = np.full((B, K, S), np.inf)
    s0 = np.where(init > 0, np.minimum(init, U) - 1, U + np.minimum(-init, n_off) - 1)
    V[:, np.arange(K), s0] = 0.0
    pred = np.empty((T, B, K, S), dtype=np.int16)
    on_idx, off_idx = np.arange(U), np.arange(U, S)
    for t in range(T):
        Von, Voff = V[..., :U], V[..., U:]
        start = Voff + su                                                     # (B, K, n_off)
        j_start = np.argmin(start, axis=-1)
        best_start = np.take_along_axis(start, j_start[..., None], -1)[..., 0]
        stop = Von + stop_pen
        j_stop = np.argmin(stop, axis=-1)
        best_stop = np.take_along_axis(stop, j_stop[..., None], -1)[..., 0]

        new = np.empty_like(V)
        pr = pred[t]
        new[..., 0] = best_start
        pr[..., 0] = U + j_start
        new[..., 1:U] = Von[..., :-1]
        pr[..., 1:U] = on_idx[:-1]
        stay = Von[..., -1] < new[..., U - 1]                                  # on at the cap stays there
        new[..., U - 1] = np.where(stay, Von[..., -1], new[..., U - 1])
        pr[..., U - 1] = np.where(stay, U - 1, pr[..., U - 1])
        new[..., :U] += g[..., t][..., None]

        new[..., U] = best_stop
        pr[..., U] = j_stop
        new[..., U + 1:] = Voff[..., :-1]
        pr[..., U + 1:] = off_idx[:-1]
        stay = Voff[..., -1] < new[..., S - 1]
        new[..., S - 1] = np.where(stay, Voff[..., -1], new[..., S - 1])
        pr[..., S - 1] = np.where(stay, S - 1, pr[..., S - 1])
        V = new

    state = np.argmin(V, axis=-1)                                             # (B, K)
    value = np.take_along_axis(V, state[..., None], -1)[..., 0]
    on = np.empty((B, K, T), dtype=bool)
    for t in range(T - 1, -1, -1):
        on[..., t] = state < U
        state = np.take_along_axis(pred[t], state[..., None], -1)[..., 0]
    u = on[:, inverse, :]
    req = sys.requirement
    q = value[:, inverse].sum(axis=1) + (lam * sys.load).sum(axis=1) + (mu * req).sum(axis=1)
    return DualResult(u=u, dual_value=q)
