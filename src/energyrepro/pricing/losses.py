"""Transmission losses of the dispatch problem from pandapower's AC power flow.

The paper's dispatch (eq. 4-5) includes transmission losses but gives no loss model. The classical one is
Kron's B-coefficient formula, a quadratic in the generators' outputs; here its coefficients are fitted to
pandapower AC power flows instead of derived by hand, because running an AC power flow for every one of the
~10^4 candidate dispatches a GA or PSO run evaluates would cost minutes. With the slack closing the balance,
the losses are a function of the 5 non-slack outputs x alone: ``P_L(x) = x'Qx + l'x + c``.

The fit uses a deterministic low-discrepancy sample of the decision box (no seed: every run prices the same
model); its error on a held-out sample is kept with the model, and :func:`ac_check` re-runs the AC power
flow at the dispatches that matter (each method's best, the reference) so the reported costs are AC costs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class LossModel:
    Q: np.ndarray      # (n, n) symmetric, MW per MW^2
    lin: np.ndarray    # (n,)
    c: float           # MW
    holdout_rms_mw: float
    holdout_max_mw: float

    def __call__(self, X: np.ndarray) -> np.ndarray:
        X = np.atleast_2d(X)
        return np.einsum("ij,jk,ik->i", X, self.Q, X) + X @ self.lin + self.c


def ac_losses(net, X: np.ndarray) -> np.ndarray:
    """AC losses (MW) with the non-slack generators at each row of ``X``: the slack's output minus what the
    loads and the other generators leave it (NaN where the power flow does not converge)."""
    import pandapower as pp

    X = np.atleast_2d(X)
    load = float((net.load.p_mw * net.load.scaling).sum())
    out = np.full(len(X), np.nan)
    for k, x in enumerate(X):
        net.gen["p_mw"] = x
        try:
            pp.runpp(net, init="flat", max_iteration=30)
        except pp.LoadflowNotConverged:
            continue
        out[k] = float(net.res_ext_grid.p_mw.sum()) + float(x.sum()) - load
    return out


def _features(X: np.ndarray) -> np.ndarray:
    n = X.shape[1]
    iu = np.triu_indices(n)
    quad = X[:, iu[0]] * X[:, iu[1]]
    return np.column_stack([quad, X, np.ones(len(X))])


def fit_loss_model(net, lower: np.ndarray, upper: np.ndarray, samples: int) -> LossModel:
    """Least-squares fit of ``P_L(x)`` to ``samples`` AC power flows (Halton points in the box); a quarter as
    many further points measure the fit's error."""
    from scipy.stats import qmc

    lower, upper = np.asarray(lower, float), np.asarray(upper, float)
    n = lower.size
    if samples < (n + 1) * (n + 2) // 2 + 1:
        raise ValueError(f"pricing.dispatch.losses.samples={samples}: a quadratic in {n} outputs needs at least "
                         f"{(n + 1) * (n + 2) // 2 + 1} power flows")
    U = qmc.Halton(d=n, scramble=False).random(samples + max(samples // 4, 5) + 1)[1:]  # skip the corner point
    X = lower + U * (upper - lower)
    y = ac_losses(net, X)
    ok = ~np.isnan(y)
    fit, hold = ok.copy(), ok.copy()
    fit[samples:], hold[:samples] = False, False
    coef, *_ = np.linalg.lstsq(_features(X[fit]), y[fit], rcond=None)
    nq = n * (n + 1) // 2
    Q = np.zeros((n, n))
    Q[np.triu_indices(n)] = coef[:nq]
    Q = (Q + Q.T) / 2  # x'Qx with the off-diagonal products split evenly
    model = LossModel(Q, coef[nq:nq + n], float(coef[-1]), 0.0, 0.0)
    err = model(X[hold]) - y[hold]
    return LossModel(model.Q, model.lin, model.c, float(np.sqrt(np.mean(err**2))), float(np.abs(err).max()))


def ac_check(net, problem, X: np.ndarray) -> dict[str, np.ndarray]:
    """At decision rows ``X``: AC losses, the slack's AC output, the cost with it, and the model's loss error."""
    X = np.atleast_2d(X)
    ac = ac_losses(net, X)
    P = np.column_stack([problem.load + ac - X.sum(axis=1), X])
    return {"ac_losses_mw": ac, "ac_cost": problem.cost(P), "model_loss_error_mw": problem.losses(X) - ac,
            "ac_slack_mw": P[:, 0]}
