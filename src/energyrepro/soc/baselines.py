"""What a battery engineer would use instead of a network: Coulomb counting and an EKF on a Thevenin ECM.

Current convention everywhere: amperes, discharge negative; time step ``dt`` in seconds.
First-order Thevenin model: V = OCV(SOC) + R0*I + V1,  V1[k+1] = a*V1[k] + R1*(1-a)*I[k],  a = exp(-dt/tau).
OCV(SOC) is piecewise linear and non-decreasing on a fixed SOC grid (a falling segment would flip the
sign of the EKF's gain); everything is identified by bounded least squares from the training cycles
(measured V, I and the SOC labels), with tau chosen on a log grid.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np


def coulomb_count(current_a: np.ndarray, soc0: float, capacity_ah: float, dt: float = 1.0) -> np.ndarray:
    """SOC from the (noisy) current with a known initial SOC: soc0 + cumulative charge / capacity."""
    q = np.concatenate([[0.0], np.cumsum(np.asarray(current_a, float)[:-1]) * dt / 3600.0])
    return soc0 + q / capacity_ah


def _hat(soc: np.ndarray, grid: np.ndarray) -> np.ndarray:
    """Piecewise-linear interpolation weights (N, K) of ``soc`` on ``grid`` (linear extrapolation outside)."""
    s = np.asarray(soc, float)
    k = np.clip(np.searchsorted(grid, s) - 1, 0, len(grid) - 2)
    w = (s - grid[k]) / (grid[k + 1] - grid[k])
    out = np.zeros((len(s), len(grid)))
    out[np.arange(len(s)), k] = 1 - w
    out[np.arange(len(s)), k + 1] = w
    return out


@dataclass
class Thevenin:
    grid: list
    ocv: list
    r0: float
    r1: float
    tau: float
    capacity_ah: float

    def ocv_at(self, soc: float) -> tuple[float, float]:
        """OCV and its slope dOCV/dSOC at ``soc``."""
        g, o = np.asarray(self.grid), np.asarray(self.ocv)
        soc = float(np.clip(soc, g[0], g[-1]))
        k = int(np.clip(np.searchsorted(g, soc) - 1, 0, len(g) - 2))
        slope = (o[k + 1] - o[k]) / (g[k + 1] - g[k])
        return float(o[k] + slope * (soc - g[k])), float(slope)

    def to_dict(self) -> dict:
        return asdict(self)


def soc_from_ocv(ecm: Thevenin, voltage: float) -> float:
    """The SOC at which the ECM's (non-decreasing) OCV curve reads ``voltage`` (clipped to the curve's range)."""
    ocv = np.maximum.accumulate(np.asarray(ecm.ocv))
    return float(np.interp(voltage, ocv, ecm.grid))


def _v1_basis(current: np.ndarray, a: float) -> np.ndarray:
    """V1 / R1 for unit R1: the first-order filter of the current (zero initial state)."""
    from scipy.signal import lfilter

    return lfilter([0.0, 1.0 - a], [1.0, -a], current)


def identify_thevenin(cycles: list[tuple[np.ndarray, np.ndarray, np.ndarray]], capacity_ah: float,
                      n_knots: int = 21, dt: float = 1.0,
                      taus: np.ndarray | None = None) -> Thevenin:
    """Least-squares fit of OCV knots, R0, R1 and tau to training cycles [(voltage, current, soc), ...].

    Solved on the normal equations (23 unknowns, tens of thousands of samples): the OCV and current columns
    do not depend on tau, so only the RC column is rebuilt per tau; the bounded fit at the chosen tau runs on
    the Cholesky factor of the normal matrix, which has the same minimiser as the full system.
    """
    from scipy.optimize import lsq_linear

    grid = np.linspace(0.0, 1.0, n_knots)
    taus = np.geomspace(5.0, 1000.0, 16) if taus is None else taus
    # OCV knots = o0 + cumulative non-negative increments: columns for o0 and each increment
    cum = np.tril(np.ones((n_knots, n_knots)))
    lower = np.r_[-np.inf, np.zeros(n_knots - 1), 0.0, 0.0]
    y = np.concatenate([v for v, _, _ in cycles])
    fixed = np.vstack([np.column_stack([_hat(s, grid) @ cum, i]) for _, i, s in cycles])  # tau-independent
    fty, ftf, yty = fixed.T @ y, fixed.T @ fixed, float(y @ y)

    def normal(tau: float) -> tuple[np.ndarray, np.ndarray]:
        a = float(np.exp(-dt / tau))
        v1 = np.concatenate([_v1_basis(i, a) for _, i, _ in cycles])
        fv = fixed.T @ v1
        ata = np.block([[ftf, fv[:, None]], [fv[None, :], np.array([[v1 @ v1]])]])
        return ata, np.r_[fty, v1 @ y]

    def sse(tau: float) -> float:
        ata, aty = normal(tau)
        coef = np.linalg.lstsq(ata, aty, rcond=None)[0]
        return float(yty - 2 * coef @ aty + coef @ ata @ coef)

    tau = float(taus[int(np.argmin([sse(t) for t in taus]))])
    ata, aty = normal(tau)
    chol = np.linalg.cholesky(ata + 1e-12 * np.trace(ata) / len(ata) * np.eye(len(ata)))  # |Ax-y|^2 = |L'x - b|^2 + c
    b = np.linalg.solve(chol, aty)
    coef = lsq_linear(chol.T, b, bounds=(lower, np.full(n_knots + 2, np.inf)), method="bvls").x
    ocv = cum @ coef[:n_knots]
    return Thevenin(grid.tolist(), ocv.tolist(), float(coef[n_knots]), float(coef[n_knots + 1]),
                    float(tau), float(capacity_ah))


def ekf(ecm: Thevenin, voltage: np.ndarray, current: np.ndarray, soc0: float, dt: float = 1.0,
        q_soc: float = 1e-7, q_v1: float = 1e-6, r_v: float = 1e-3, p0_soc: float = 1e-4) -> np.ndarray:
    """Extended Kalman filter on [SOC, V1]; returns the posterior SOC estimate at every sample.

    ``q_*``: process noise variances per step, ``r_v``: voltage measurement variance (V^2), which must also
    cover the ECM's own error, ``p0_soc``: variance of the initial SOC.
    """
    a = float(np.exp(-dt / ecm.tau))
    g, o = np.asarray(ecm.grid, float), np.asarray(ecm.ocv, float)
    slopes = np.diff(o) / np.diff(g)
    x = np.array([soc0, 0.0])
    P = np.diag([p0_soc, 1e-4])
    Q = np.diag([q_soc, q_v1])
    F = np.array([[1.0, 0.0], [0.0, a]])
    out = np.empty(len(voltage))
    for k in range(len(voltage)):
        sc = min(max(x[0], g[0]), g[-1])
        j = min(max(int(np.searchsorted(g, sc)) - 1, 0), len(g) - 2)
        slope = slopes[j]
        ocv = o[j] + slope * (sc - g[j])
        H = np.array([slope, 1.0])
        innov = voltage[k] - (ocv + ecm.r0 * current[k] + x[1])
        S = H @ P @ H + r_v
        K = P @ H / S
        x = x + K * innov
        x[0] = min(max(x[0], 0.0), 1.0)  # SOC is a fraction
        P = (np.eye(2) - np.outer(K, H)) @ P
        out[k] = x[0]
        x = np.array([x[0] + current[k] * dt / (3600.0 * ecm.capacity_ah), a * x[1] + ecm.r1 * (1 - a) * current[k]])
        P = F @ P @ F.T + Q
    return out
