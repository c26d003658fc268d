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


def _v1_basis(current: np.ndarray, a: float) -> np.ndarray:
    """V1 / R1 for unit R1: the first-order filter of the current (zero initial state)."""
    from scipy.signal import lfilter

    return lfilter([0.0, 1.0 - a], [1.0, -a], current)


def identify_thevenin(cycles: list[tuple[np.ndarray, np.ndarray, np.ndarray]], capacity_ah: float,
                      n_knots: int = 21, dt: float = 1.0,
                      taus: np.ndarray | None = None) -> Thevenin:
    """Least-squares fit of OCV knots, R0, R1 and tau to training cycles [(voltage, current, soc), ...]."""
    from scipy.optimize import lsq_linear

    grid = np.linspace(0.0, 1.0, n_knots)
    taus = np.geomspace(5.0, 1000.0, 16) if taus is None else taus
    # OCV knots = o0 + cumulative non-negative increments: columns for o0 and each increment
    cum = np.tril(np.ones((n_knots, n_knots)))
    lower = np.r_[-np.inf, np.zeros(n_knots - 1), 0.0, 0.0]
    y = np.concatenate([v for v, _, _ in cycles])

    def design(tau: float) -> np.ndarray:
        a = float(np.exp(-dt / tau))
        return np.vstack([np.column_stack([_hat(s, grid) @ cum, i, _v1_basis(i, a)]) for _, i, s in cycles])

    # tau by unconstrained least squares (cheap), then the bounded fit once at that tau
    sse = [float(np.sum((A @ np.linalg.lstsq(A, y, rcond=None)[0] - y) ** 2)) for A in map(design, taus)]
    tau = float(taus[int(np.argmin(sse))])
    coef = lsq_linear(design(tau), y, bounds=(lower, np.full(n_knots + 2, np.inf)), method="bvls").x
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
    x = np.array([soc0, 0.0])
    P = np.diag([p0_soc, 1e-4])
    Q = np.diag([q_soc, q_v1])
    F = np.array([[1.0, 0.0], [0.0, a]])
    out = np.empty(len(voltage))
    for k in range(len(voltage)):
        ocv, slope = ecm.ocv_at(x[0])
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
