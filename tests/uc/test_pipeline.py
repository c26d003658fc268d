"""Tiny end-to-end run of study uc through Snakemake (config/test.yaml)."""

import json

import pandas as pd

from energyrepro.claims import COLUMNS, VERDICTS, recompute_verdicts


def test_uc_pipeline_end_to_end(pipeline_run):
    wd = pipeline_run("uc")
    res = wd / "results" / "uc"
    claims = pd.read_csv(res / "claims.csv")
    assert list(claims.columns) == COLUMNS
    assert set(claims.verdict) <= set(VERDICTS)
    assert (claims.verdict == recompute_verdicts(claims)).all()
    assert (claims.profile == "test").all()
    runs = pd.read_csv(res / "summary" / "runs.csv")
    assert runs.feasible.all()
    assert ((runs.cost - runs.checker_cost).abs() < 1e-6 * runs.cost).all()
    milp = json.loads((res / "milp" / "n10.json").read_text())
    assert (runs.cost >= milp["quadratic_bound"]).all()
    for name in ("table2_hde_ihde.png", "table3_comparison.png", "table2_hde_ihde.md"):
        assert (res / "tables" / name).stat().st_size > 0
    for name in ("fig2_cost_convergence.png", "fig3_fitness_convergence.png", "table1_schedule_n10.png"):
        assert (res / "figures" / name).stat().st_size > 0
    assert all(json.loads(p.read_text())["run_id"] for p in (res / "runs").glob("*.json"))
