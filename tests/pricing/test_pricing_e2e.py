"""Tiny end-to-end run of study `pricing` (config/test.yaml): every target, claims with computed verdicts."""

import json

import numpy as np
import pandas as pd
import pytest
from conftest import results_dir

from energyrepro.claims import COLUMNS, INCONCLUSIVE, recompute_verdicts


@pytest.mark.slow
def test_pricing_pipeline(pipeline_run):
    res = results_dir(pipeline_run("pricing"), "pricing")
    claims = pd.read_csv(res / "claims.csv").set_index("claim_id", drop=False)
    assert list(claims.columns) == COLUMNS
    assert (claims.profile == "test").all() and (claims.study == "pricing").all()
    assert (recompute_verdicts(claims) == claims.verdict).all()
    mwmile = [c for c in claims.claim_id if "_mwmile_" in c]
    assert len(mwmile) == 4 and (claims.loc[mwmile, "kind"] == "claim").all()
    # the tables' settings equal the paper profile's in the test profile too: comparable, one verdict each
    # (Table 2's admissible inputs move it more than it is off the paper's: inconclusive, said so in its reason)
    nc = claims.loc[mwmile].query("verdict == 'not comparable'")
    assert list(nc.claim_id) == ["table2_mwmile_garver6_gen"] and nc.reason.str.startswith(INCONCLUSIVE).all()
    assert claims.loc["table7_postage_rts24_load", "kind"] == "consistency"
    assert claims.loc["table7_postage_rts24_load", "verdict"] == "reproduced"
    assert set(claims.loc[["table5_G15_g20_typo", "table5_dispatch_within_capacity"], "kind"]) == {
        "paper_inconsistency"}
    pso = claims[claims.claim_id.str.startswith("pso_superior_to_ga_")]
    assert set(pso.claim_id) == {f"pso_superior_to_ga_{v}" for v in ("dc", "losses", "valve_point")}
    assert (pso.verdict == "not comparable").all() and pso.reason.str.contains("dispatch.seeds=3").all()
    for n in range(1, 9):
        assert len(list((res / "tables").glob(f"table{n}_*.png"))) == 1
    for fig in ("allocation_garver6", "allocation_rts24", "convergence_ga_pso", "wheeling_charges"):
        assert (res / "figures" / f"{fig}.png").stat().st_size > 10_000
        assert (res / "figures" / f"{fig}.pdf").exists()
    for job in ("allocate", "dispatch"):
        assert json.loads((res / "runs" / f"{job}.json").read_text())["run_id"]
    runs = pd.read_csv(res / "data" / "dispatch_runs.csv")
    assert set(runs.variant) == {"dc", "losses", "valve_point"} and len(runs) == 3 * 2 * 3
    lines = pd.read_csv(res / "data" / "lines.csv")
    assert (lines.flow_mw - lines.pandapower_flow_mw).abs().max() < 1e-6
    refs = json.loads((res / "data" / "dispatch_references.json").read_text())
    assert refs["losses"]["cost"] > refs["dc"]["cost"] and np.isfinite(refs["losses"]["check_cost"])
