"""Fault conductance matrix and the paper's grid sizes (section 4)."""

import numpy as np
import pytest

from energyrepro.config import load_config
from energyrepro.relay.faults import FAULT_TYPES, case_grid, fault_class, fault_conductance, position_grid, shard
from energyrepro.relay.windows import WINDOW


@pytest.mark.parametrize("ftype", FAULT_TYPES)
def test_conductance_is_symmetric_and_invertible(ftype):
    G = fault_conductance(ftype, 10.0)
    assert np.allclose(G, G.T)
    assert np.all(np.linalg.eigvalsh(G) > 0)


def test_lg_fault_touches_only_its_phase():
    G = fault_conductance("BG", 50.0)
    assert G[1, 1] == pytest.approx(1 / 50 + 1e-9)
    assert G[0, 0] == pytest.approx(1e-9) and G[2, 2] == pytest.approx(1e-9)
    assert np.count_nonzero(G - np.diag(np.diag(G))) == 0


def test_ll_fault_draws_no_ground_current():
    G = fault_conductance("AC", 0.5)
    v = np.array([1.0, 0.3, -0.7])
    i = G @ v
    assert i[0] == pytest.approx(-i[2], rel=1e-6)  # what leaves A returns through C
    assert abs(i.sum()) < 1e-6
    assert i[0] == pytest.approx((1.0 + 0.7) / 0.5, rel=1e-6)


def test_llg_ground_path_is_half_the_resistance():
    """Each faulted phase goes to ground through R and the phases are bolted: ground current = 2 v / R."""
    G = fault_conductance("BCG", 40.0)
    v = np.array([0.2, 1.0, 1.0])  # B and C at the same potential (bolted together)
    i = G @ v
    assert i[0] == pytest.approx(0.2e-9)
    assert i.sum() == pytest.approx(1.0 / (40.0 / 2), rel=1e-6)


def test_bolted_fault_uses_small_resistance():
    assert fault_conductance("AG", 0.0)[0, 0] > 100


def test_paper_grid_sizes():
    """Runs and patterns per dataset at the paper profile match section 4 (and 4,050 test cases)."""
    cfg = load_config("config/paper.yaml")
    ds = cfg["relay"]["datasets"]
    runs = {k: len(case_grid(k, v)) for k, v in ds.items()}
    assert runs == {"ann1": 3330, "ann2": 1380, "ann3": 3675, "ann4": 1845 + 3225, "ann5": 1525, "test": 4050}
    from energyrepro.relay.cases import load_system

    win = load_system()["windows"]
    patterns = {}
    for k in ("ann1", "ann2", "ann3", "ann4", "ann5"):
        g = case_grid(k, ds[k])
        patterns[k] = sum(len(win[k].get(fault_class(t), win[k].get("all", []))) for t in g.ftype)
    assert patterns == {"ann1": 9990, "ann2": 6900, "ann3": 14700, "ann4": 9225 + 22575, "ann5": 6100}
    assert WINDOW == 4


def test_position_grid_is_unique_and_dense_near_limits():
    g = position_grid({"n": 49, "lo": 2, "hi": 318, "near": [142.5, 195, 240], "near_points": 6,
                       "near_halfwidth_km": 8})
    assert len(g) == len(set(g)) == 49
    assert 142.5 not in g and 195.0 not in g
    near = sum(abs(x - 142.5) <= 8 for x in g)
    far = sum(abs(x - 60) <= 8 for x in g)
    assert near > far


def test_shards_partition_the_grid():
    cfg = load_config("config/config.yaml")
    grid = case_grid("ann1", cfg["relay"]["datasets"]["ann1"])
    parts = [shard(grid, i, 3) for i in range(3)]
    assert sorted(np.concatenate([p.case for p in parts]).tolist()) == grid.case.tolist()
    with pytest.raises(ValueError, match="shard index"):
        shard(grid, 3, 3)


def test_unknown_fault_type_is_named():
    with pytest.raises(ValueError, match="XG"):
        fault_conductance("XG", 1.0)
