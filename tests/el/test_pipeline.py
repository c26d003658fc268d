"""The tiny test profile end to end: files the rules promise, computed verdicts, MLflow tags."""

import json

import pandas as pd
from conftest import REPO

from energyrepro.claims import COLUMNS, VERDICTS, recompute_verdicts
from energyrepro.config import load_config
from energyrepro.el.train import HISTORY_COLUMNS


def test_el_pipeline_end_to_end(pipeline_run):
    from mlflow.tracking import MlflowClient

    wd = pipeline_run("el")
    res = wd / "results" / "el"
    el = load_config(REPO / "config" / "test.yaml")["el"]
    claims = pd.read_csv(res / "claims.csv")
    assert list(claims.columns) == COLUMNS
    assert set(claims.verdict) <= set(VERDICTS) and (claims.verdict == recompute_verdicts(claims)).all()
    assert (claims.profile == "test").all() and len(claims) == 2 * 4
    assert claims["reason"].str.contains("pretrained=false").all()  # no ImageNet weights offline

    for protocol in el["protocols"]:
        manifest = pd.read_csv(res / "data" / protocol / "manifest.csv")
        assert all((res / "data" / protocol / f).is_file() for f in manifest["file"])
        train, val = manifest[manifest.split == "train"], manifest[manifest.split == "val"]
        if protocol == "clean":
            assert not set(train.source_id) & set(val.source_id) and (val["transform"] == "identity").all()
        else:
            assert len(manifest) == 2 * el["images_per_class"]
        for lr in el["learning_rates"]:
            h = pd.read_csv(res / "sweep" / protocol / "rep0" / f"history_lr{lr:g}.csv")
            assert list(h.columns[:len(HISTORY_COLUMNS)]) == HISTORY_COLUMNS
            assert h.epoch.tolist() == list(range(1, max(el["epochs"]) + 1))
            assert (h[["tn", "fp", "fn", "tp"]].sum(axis=1) == len(val)).all()

    table = pd.read_csv(res / "tables" / "table1.csv")
    paper_epochs = {5, 10, 20, 30, 50}  # Table 1's grid; ours and the paper's side by side
    assert len(table) == len(el["protocols"]) * len(el["learning_rates"]) * len(set(el["epochs"]) | paper_epochs)
    ours = table.dropna(subset=["accuracy_pct"])
    assert len(ours) == len(el["protocols"]) * len(el["learning_rates"]) * len(el["epochs"])
    assert ours.accuracy_pct.between(0, 100).all()
    assert table.dropna(subset=["paper_accuracy_pct"]).shape[0] == len(el["protocols"]) * 15
    for name in ("fig5_augmentation.png", "fig6_curves_lr0.0001.png", "fig7_curves_lr0.001.png",
                 "fig8_curves_lr0.01.png", "fig9_accuracy_vs_epochs.png", "table1.png"):
        assert (res / "figures" / name).stat().st_size > 0

    run = json.loads((res / "runs" / "train_paper_rep0_lr0.0001.json").read_text())
    client = MlflowClient(run["tracking_uri"].replace("sqlite:///", f"sqlite:///{wd}/"))
    r = client.get_run(run["run_id"])
    assert r.data.tags["deviation.pretrained"] == "false" and r.data.tags["profile"] == "test"
    steps = [m.step for m in client.get_metric_history(run["run_id"], "accuracy")]
    assert sorted(steps) == list(range(1, max(el["epochs"]) + 1))
