"""The tiny test profile end to end: files the rules promise, computed verdicts, MLflow tags and inputs."""

import json

import pandas as pd
import pytest
from conftest import REPO, results_dir

from energyrepro.claims import COLUMNS, VERDICTS, recompute_verdicts
from energyrepro.config import load_config
from energyrepro.el.train import HISTORY_COLUMNS


@pytest.mark.slow
def test_el_pipeline_end_to_end(pipeline_run):
    from mlflow.tracking import MlflowClient

    wd = pipeline_run("el")
    res = results_dir(wd, "el")
    el = load_config(REPO / "config" / "test.yaml")["el"]
    claims = pd.read_csv(res / "claims.csv")
    assert list(claims.columns) == COLUMNS
    assert set(claims.verdict) <= set(VERDICTS) and (claims.verdict == recompute_verdicts(claims)).all()
    assert (claims.profile == "test").all() and len(claims) == 1 + len(el["protocols"]) * (2 * 3 + 1)
    counted = claims[claims.kind == "claim"]
    assert (counted.verdict == "not comparable").all() and counted["reason"].str.contains("pretrained=false").all()
    assert counted["reason"].str.contains("el.input_size=64").all()  # the test profile is not the paper's

    manifest = pd.read_csv(res / "data" / "manifest.csv")
    assert len(manifest) == 2 * el["originals_per_class"] and (manifest.type == "poly").all()
    assert set(manifest.probability) <= {0.0, 1.0}  # unambiguous labels only
    assert all((res / "data" / f).is_file() for f in manifest["file"])
    counts = pd.read_csv(res / "tables" / "elpv_cells.csv")
    assert counts["cells"].sum() == 2624 and counts["selected"].sum() == 920 + 402
    for protocol in el["protocols"]:
        images = pd.read_csv(res / "sweep" / protocol / "rep0" / "images.csv")
        train, val = images[images.split == "train"], images[images.split == "val"]
        if protocol == "clean":
            assert not set(train.source_id) & set(val.source_id) and (val["transform"] == "identity").all()
        else:
            assert len(images) == 2 * el["images_per_class"]
        for lr in el["learning_rates"]:
            h = pd.read_csv(res / "sweep" / protocol / "rep0" / f"history_lr{lr:g}.csv")
            assert list(h.columns[:len(HISTORY_COLUMNS)]) == HISTORY_COLUMNS
            assert h.epoch.tolist() == list(range(1, max(el["epochs"]) + 1))
            assert (h[["tn", "fp", "fn", "tp"]].sum(axis=1) == len(val)).all()

    table = pd.read_csv(res / "tables" / "table1.csv")
    paper_epochs = {5, 10, 20, 30, 50}  # Table 1's grid; ours and the paper's side by side
    assert len(table) == len(el["protocols"]) * len(el["learning_rates"]) * len(set(el["epochs"]) | paper_epochs)
    ours = table.dropna(subset=["accuracy_pct"])
    assert ours.accuracy_pct.between(0, 100).all() and (ours.accuracy_ci95_pct > 0).all()
    for name in ("fig5_augmentation", "fig6_curves_lr0.0001", "fig7_curves_lr0.001", "fig8_curves_lr0.01",
                 "fig9_accuracy_vs_epochs", "table1"):
        for ext in (".png", ".pdf"):
            assert (res / "figures" / f"{name}{ext}").stat().st_size > 0

    run = json.loads((res / "runs" / "train_paper_rep0_lr0.0001.json").read_text())
    client = MlflowClient(run["tracking_uri"].replace("sqlite:///", f"sqlite:///{wd}/"))
    r = client.get_run(run["run_id"])
    assert r.data.tags["deviation.pretrained"] == "false" and r.data.tags["profile"] == "test"
    assert {d.dataset.name for d in r.inputs.dataset_inputs} == {"elpv_originals", "elpv_paper_rep0_images"}
    steps = [m.step for m in client.get_metric_history(run["run_id"], "accuracy")]
    assert sorted(steps) == list(range(1, max(el["epochs"]) + 1))
