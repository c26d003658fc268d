"""Proven optima shared by the uc tests (solved once per session; the larger sizes only in slow tests)."""

import pytest

from energyrepro.uc.milp import solve_milp
from energyrepro.uc.system import make_system


@pytest.fixture(scope="session")
def proven():
    """``proven(size)`` -> the MilpResult of that size, proven within 1e-6, cached for the session."""
    cache = {}

    def get(size: int):
        if size not in cache:
            cache[size] = solve_milp(make_system(size), target_gap=1e-6, time_limit=600)  # wall: shared machine
        return cache[size]

    return get
