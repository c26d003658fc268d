"""Tiny end-to-end run of study uc through Snakemake (config/test.yaml)."""

import json

import pandas as pd
import pytest
from conftest import results_dir

from energyrepro.claims import COLUMNS, VERDICTS, recompute_verdicts

pytestmark = pytest.mark.slow


def test_uc_pipeline_end_to_end(pipeline_run):
    res = results_dir(pipeline_run("uc"), "uc")
    claims = pd.read_csv(res / "claims.csv")
    assert list(claims.columns) == COLUMNS
    assert set(claims.verdict) <= set(VERDICTS)
    assert (claims.verdict == recompute_verdicts(claims)).all()
    assert (claims.profile == "test").all()
    # the test profile's 8 generations are not the paper's 250: no cost claim may count as (not) reproduced
    assert (claims.loc[claims.kind == "claim", "verdict"] == "not comparable").all()
    runs = pd.read_csv(res / "data" / "runs.csv")
    assert runs.feasible.all()
    assert ((runs.cost - runs.checker_cost).abs() <= 0.01).all()      # every schedule re-priced to the cent
    assert set(runs.method) == {"hde", "hde_matched", "ihde"}
    milp = json.loads((res / "milp" / "n10.json").read_text())
    assert milp["proven"] and milp["highs_version"] and (runs.cost >= milp["bound"] - 1e-6).all()
    mig = pd.read_csv(res / "tables" / "migration.csv")
    assert set(mig.eps1) == {0.1, 0.9} and "migrations_mean" in mig
    for name in ("table2_hde_ihde.png", "table3_comparison.png", "table2_hde_ihde.md", "optimum.md", "migration.png"):
        assert (res / "tables" / name).stat().st_size > 0
    for name in ("fig2_cost_convergence", "fig3_fitness_convergence", "table1_schedule_n10"):
        for ext in (".png", ".pdf"):
            assert (res / "figures" / f"{name}{ext}").stat().st_size > 0
    assert all(json.loads(p.read_text())["run_id"] for p in (res / "runs").glob("*.json"))
