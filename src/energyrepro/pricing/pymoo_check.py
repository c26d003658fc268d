"""Cross-check of our GA and PSO: pymoo's GA (SBX + polynomial mutation) and PSO on the same
penalised dispatch objective, with the paper's population, generations and PSO coefficients."""

from __future__ import annotations

import numpy as np

from energyrepro.pricing.dispatch import DispatchProblem
from energyrepro.pricing.result import OptResult


def run_pymoo(problem: DispatchProblem, algorithm: str, pop_size: int, generations: int, seed: int,
              pso: dict | None = None) -> OptResult:
    from pymoo.algorithms.soo.nonconvex.ga import GA
    from pymoo.algorithms.soo.nonconvex.pso import PSO
    from pymoo.core.callback import Callback
    from pymoo.core.problem import Problem
    from pymoo.optimize import minimize

    class _Dispatch(Problem):
        def __init__(self):
            super().__init__(n_var=problem.lower.size, n_obj=1, xl=problem.lower, xu=problem.upper)

        def _evaluate(self, x, out, *args, **kwargs):
            out["F"] = problem.fitness(x)

    if algorithm == "ga":
        algo = GA(pop_size=pop_size, eliminate_duplicates=True)
    elif algorithm == "pso":
        p = pso or {}
        algo = PSO(pop_size=pop_size, w=p.get("w", 0.9), c1=p.get("c1", 1.2), c2=p.get("c2", 0.12),
                   adaptive=False, max_velocity_rate=p.get("vmax_frac", 0.2))
    else:
        raise ValueError(f"unknown pymoo algorithm {algorithm!r}")
    class _Best(Callback):  # the best value per generation (pymoo's save_history deep-copies the algorithm)
        def __init__(self):
            super().__init__()
            self.best: list[float] = []

        def notify(self, algorithm):
            self.best.append(float(algorithm.opt[0].F[0]))

    best = _Best()
    res = minimize(_Dispatch(), algo, ("n_gen", generations + 1), seed=int(seed) % (2**32), callback=best,
                   verbose=False)
    hist = np.minimum.accumulate(best.best)
    return OptResult(np.asarray(res.X, float), float(res.F[0]), hist, int(res.algorithm.evaluator.n_eval))
