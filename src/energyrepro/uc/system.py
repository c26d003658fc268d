"""The Kazarlis 10-unit test system and its N-unit copies (units copied N/10 times, load scaled by N/10)."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

UNIT_COLUMNS = ["unit", "pmax", "pmin", "a", "b", "c", "up", "down", "hot", "cold", "cold_h", "init"]


@dataclass(frozen=True)
class System:
    """Unit data as arrays of length N, hourly load of length T and the reserve requirement."""

    pmax: np.ndarray
    pmin: np.ndarray
    a: np.ndarray
    b: np.ndarray
    c: np.ndarray
    up: np.ndarray
    down: np.ndarray
    hot: np.ndarray
    cold: np.ndarray
    cold_h: np.ndarray
    init: np.ndarray
    load: np.ndarray
    reserve_frac: float = 0.1

    @property
    def n(self) -> int:
        return len(self.pmax)

    @property
    def t(self) -> int:
        return len(self.load)

    @property
    def reserve(self) -> np.ndarray:
        return self.reserve_frac * self.load

    @property
    def requirement(self) -> np.ndarray:
        """Committed capacity needed each hour (load + spinning reserve, eq. 3)."""
        return self.load + self.reserve

    def fuel(self, p: np.ndarray) -> np.ndarray:
        """Quadratic fuel cost a + bP + cP^2 of every unit at output ``p`` (broadcast over leading axes)."""
        return self.a + self.b * p + self.c * p * p

    def full_load_cost(self) -> np.ndarray:
        """Average cost at full output [$/MWh]: the priority order of the repair heuristics."""
        return self.fuel(self.pmax) / self.pmax


@dataclass(frozen=True)
class UnitTypes:
    """The distinct unit types of a system, how many copies each has, and which type every unit is."""

    rows: np.ndarray     # (K,) index of one representative unit per type
    count: np.ndarray    # (K,) copies per type
    of_unit: np.ndarray  # (N,) type of each unit


def unit_types(sys: System) -> UnitTypes:
    """Group identical units (all data equal, initial status included): copies behave alike in every solver."""
    table = np.stack([getattr(sys, k).astype(float) for k in UNIT_COLUMNS[1:]], axis=1)
    _, first, inverse, count = np.unique(table, axis=0, return_index=True, return_inverse=True,
                                         return_counts=True)
    return UnitTypes(rows=first, count=count, of_unit=inverse.reshape(-1))


def _source(name: str, path: str | Path | None) -> Path:
    return Path(path) if path else Path(str(resources.files("energyrepro.uc") / "data" / name))


def _read(name: str, path: str | Path | None) -> pd.DataFrame:
    with open(_source(name, path), encoding="utf-8") as fh:
        return pd.read_csv(fh, comment="#")


def data_files(cfg) -> list[Path]:
    """The unit and load files a config reads (the shipped Kazarlis files unless units_csv/load_csv are set)."""
    return [_source("kazarlis10.csv", cfg["units_csv"]), _source("load24.csv", cfg["load_csv"])]


def load_base(units_csv: str | Path | None = None, load_csv: str | Path | None = None,
              reserve_frac: float = 0.1) -> System:
    """The 10-unit system from the shipped CSV files (or the given ones); errors name the file and column."""
    units, load = _read("kazarlis10.csv", units_csv), _read("load24.csv", load_csv)
    missing = [c for c in UNIT_COLUMNS if c not in units.columns]
    if missing:
        raise ValueError(f"unit data {units_csv or 'kazarlis10.csv'}: missing columns {missing}")
    if "load" not in load.columns:
        raise ValueError(f"load data {load_csv or 'load24.csv'}: missing column 'load'")
    if (units.pmin > units.pmax).any() or (units.pmin <= 0).any():
        raise ValueError("unit data: need 0 < pmin <= pmax for every unit")
    if (units.init == 0).any():
        raise ValueError("unit data: column 'init' must be +h (on h hours) or -h (off h hours), never 0")
    arr = {k: units[k].to_numpy(dtype=float) for k in UNIT_COLUMNS[1:6]}
    arr.update({k: units[k].to_numpy(dtype=int) for k in ("up", "down", "cold_h", "init")})
    arr.update({k: units[k].to_numpy(dtype=float) for k in ("hot", "cold")})
    return System(**arr, load=load["load"].to_numpy(dtype=float), reserve_frac=reserve_frac)


def scale(base: System, n_units: int) -> System:
    """Copy the base units ``n_units / base.n`` times and scale the load by the same factor."""
    if n_units % base.n:
        raise ValueError(f"uc size {n_units} is not a multiple of the base system's {base.n} units")
    k = n_units // base.n
    rep = {f: np.tile(getattr(base, f), k) for f in UNIT_COLUMNS[1:]}
    return System(**rep, load=base.load * k, reserve_frac=base.reserve_frac)


def make_system(n_units: int, reserve_frac: float = 0.1) -> System:
    return scale(load_base(reserve_frac=reserve_frac), n_units)


def from_config(cfg, n_units: int) -> System:
    """The system of one size from the config's data keys (units_csv, load_csv, reserve_frac)."""
    return scale(load_base(cfg["units_csv"], cfg["load_csv"], cfg["reserve_frac"]), n_units)
