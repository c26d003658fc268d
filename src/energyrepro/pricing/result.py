"""What every optimiser returns, so GA, PSO and pymoo's runs are summarised the same way."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class OptResult:
    x: np.ndarray            # best decision vector found
    fun: float               # its (penalised) objective
    history: np.ndarray      # best-so-far objective after each generation / iteration (index 0 = initial)
    nfev: int                # objective evaluations
