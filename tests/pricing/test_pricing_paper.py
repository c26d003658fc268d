"""paper.py: the paper's values load with their tables, and deviations follow the configuration."""

import pytest

from energyrepro.config import load_config
from energyrepro.pricing import paper


@pytest.fixture(scope="module")
def cfgs():
    return {p: load_config(f"config/{p}.yaml")["pricing"] for p in ("config", "paper", "test")}


def test_paper_values_match_the_tables():
    p, t = paper.paper(), paper.tables()
    assert p["profit_sharing_r"] == 4 and p["dispatch"]["pso"] == {"n_particles": 50, "c1": 1.2, "c2": 0.12, "w": 0.9}
    for system, tc in (("garver6", 0.340), ("rts24", 139.105)):
        assert p[system]["tc"] == tc
        half = t[(t.system == system) & (t.user == "TOTAL") & (t.side == "gen") & (t.gen_share_pct == 50)]
        assert half.paper.iloc[0] == pytest.approx(tc / 2, abs=2e-3)  # the printed 50 % total is half of TC


def test_deviations_follow_the_config(cfgs):
    quick = dict((k, v) for k, v, _ in paper.deviations(cfgs["config"], "dispatch"))
    test = dict((k, v) for k, v, _ in paper.deviations(cfgs["test"], "dispatch"))
    assert not any(k.startswith(("ga.", "pso.")) for k in quick)  # quick runs the paper's GA and PSO settings
    assert test["ga.generations"] == "25" and test["pso_iterations"] == "25"  # the paper gives no PSO count
    assert {"variant.dc", "variant.losses", "variant.valve_point"} <= set(quick)
    alloc = {k: v for k, v, _ in paper.deviations(cfgs["config"], "allocation")}
    assert alloc["rts24.dispatch"] == "reference" and not any(k.endswith(".tc") for k in alloc)
    changed = {**cfgs["config"], "garver6": {**cfgs["config"]["garver6"], "tc": 0.5}}
    assert ("garver6.tc", "0.5") in [(k, v) for k, v, _ in paper.deviations(changed, "allocation")]
    with pytest.raises(ValueError, match="scope"):
        paper.deviations(cfgs["config"], "plots")


def test_quick_and_paper_profiles_price_alike(cfgs):
    """Every pricing claim is comparable in the quick run: the two profiles share the pricing settings."""
    assert cfgs["config"] == cfgs["paper"]
