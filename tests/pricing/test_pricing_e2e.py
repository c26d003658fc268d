"""Tiny end-to-end run of study `pricing` (config/test.yaml): every target, claims with computed verdicts."""

import json

import pandas as pd
import pytest

from energyrepro.claims import COLUMNS, recompute_verdicts


@pytest.mark.slow
def test_pricing_pipeline(pipeline_run):
    wd = pipeline_run("pricing")
    res = wd / "results" / "pricing"
    claims = pd.read_csv(res / "claims.csv")
    assert list(claims.columns) == COLUMNS
    assert (claims.profile == "test").all() and (claims.study == "pricing").all()
    assert (recompute_verdicts(claims) == claims.verdict).all()
    assert {"pso_superior_to_ga", "mwmile_reflects_distance", "table5_G15_g20"} <= set(claims.claim_id)
    # the dispatch-free postage-stamp load tables reproduce; totals recover TC
    t7 = claims[claims.claim_id.str.startswith("table7_")]
    assert (t7.verdict == "reproduced").all()
    for n in range(1, 9):
        assert any((res / "tables").glob(f"table{n}_*.html"))
    for fig in ("allocation_garver6", "allocation_rts24", "convergence_ga_pso", "wheeling_charges"):
        assert (res / "figures" / f"{fig}.png").stat().st_size > 10_000
    for job in ("allocate_garver6", "allocate_rts24", "optimise_ga", "optimise_pso", "pymoo_check",
                "opf_reference", "wheeling", "claims"):
        assert json.loads((res / "runs" / f"{job}.json").read_text())["run_id"]
    runs = pd.read_csv(res / "data" / "runs_ga.csv")
    assert len(runs) == 3 and runs.feasible.all()
    lines = pd.read_csv(res / "data" / "rts24_lines.csv")
    assert (lines.flow_mw - lines.pandapower_flow_mw).abs().max() < 1e-6
