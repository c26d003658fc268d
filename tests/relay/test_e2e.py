"""Tiny end-to-end run of the study (config/test.yaml) through Snakemake."""

import pandas as pd

from energyrepro.claims import COLUMNS, recompute_verdicts


def test_relay_pipeline_end_to_end(pipeline_run):
    wd = pipeline_run("relay")
    claims = pd.read_csv(wd / "results/relay/claims.csv")
    assert list(claims.columns) == COLUMNS
    assert (claims.profile == "test").all()
    assert {"val_rms_ann1", "overall_pct", "ll_location_pct", "ll_location_bands_pct"} <= set(claims.claim_id)
    assert (recompute_verdicts(claims) == claims.verdict).all()
    cases = pd.read_csv(wd / "results/relay/data/relay_test/cases.csv")
    assert len(cases) == 8 and set(cases.direction) <= {"normal", "forward", "reverse"}
    for name in ("fig_waveforms_AG.png", "fig_confusion.png", "fig_zone_accuracy.png", "table2_relay.png",
                 "fig_pisections.png", "fig_training_rms.png"):
        assert (wd / "results/relay/figures" / name).stat().st_size > 1000
    assert (wd / "results/relay/runs/train_ann4.json").exists()
