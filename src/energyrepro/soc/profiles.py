"""Drive-cycle current profiles in C-rate (discharge negative), at 1 s, repeated to any length.

Shipped files (see data/README.md): the USABC DST step table and one measured US06 period.  The
``pulse`` profile is generated from a seed, so a held-out cycle can have a pattern no training cycle has.
"""

from __future__ import annotations

from importlib import resources

import numpy as np
import pandas as pd

PROFILES = ("dst", "us06", "pulse")


def _data(name: str) -> pd.DataFrame:
    with resources.files("energyrepro.soc.data").joinpath(name).open(encoding="utf-8") as fh:
        return pd.read_csv(fh, comment="#")


def dst_period(peak_c_rate: float) -> np.ndarray:
    """One 360 s DST period at 1 s; the table's power % is applied as % of ``peak_c_rate``."""
    table = _data("dst_usabc.csv")
    return np.repeat(table.power_pct.to_numpy() / 100.0 * peak_c_rate, table.duration_s.to_numpy())


def us06_period(scale: float) -> np.ndarray:
    """One 600 s US06 period at 1 s (measured LG HG2 current in C-rate) times ``scale``."""
    return _data("us06_lg_hg2_1s.csv").c_rate.to_numpy() * scale


def pulse_period(scale: float, seed: int, length_s: int = 600) -> np.ndarray:
    """Random piecewise-constant currents (5-40 s steps, -1.5..+0.5 of ``scale``), seeded."""
    rng = np.random.default_rng(seed)
    out: list[float] = []
    while len(out) < length_s:
        out += [float(rng.uniform(-1.5, 0.5) * scale)] * int(rng.integers(5, 41))
    return np.asarray(out[:length_s])


def current_profile(name: str, scale: float, duration_s: int, seed: int = 0) -> np.ndarray:
    """A profile's period repeated to ``duration_s`` samples (1 s), in C-rate, discharge negative."""
    if name == "dst":
        period = dst_period(scale)
    elif name == "us06":
        period = us06_period(scale)
    elif name == "pulse":
        period = pulse_period(scale, seed)
    else:
        raise ValueError(f"unknown current profile {name!r} (known: {', '.join(PROFILES)})")
    reps = int(np.ceil(duration_s / len(period)))
    return np.tile(period, reps)[:duration_s]
