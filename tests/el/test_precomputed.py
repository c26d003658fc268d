"""Results computed elsewhere (the GPU script) are imported only when they belong to this config and these
cells; the GPU script, rehearsed on CPU at the test scale, produces files the pipeline imports."""

import json
import os
import subprocess
import sys

import pandas as pd
import pytest
import yaml
from conftest import REPO, copy_run, results_dir, run_snakemake, scheduled_jobs

from energyrepro.config import load_config
from energyrepro.el import precomputed
from energyrepro.el.augment import protocol_images
from energyrepro.el.data import images_digest
from energyrepro.el.train import HISTORY_COLUMNS

EL = load_config(REPO / "config" / "test.yaml")["el"]


def _meta(cfg=EL, seed=42, digest="d1", runs=()):
    return {"config": precomputed.result_slice(cfg), "seed": seed, "input_digest": digest, "runs": list(runs)}


def test_check_names_every_differing_setting():
    precomputed.check(_meta(), EL, 42, "d1")
    with pytest.raises(precomputed.PrecomputedError, match=r"el.epochs: here \[1, 2, 3\], precomputed \[1, 2\]"):
        precomputed.check(_meta(), {**EL, "epochs": [1, 2, 3]}, 42, "d1")
    with pytest.raises(precomputed.PrecomputedError, match="el.cell_types.*el.input_size"):
        precomputed.check(_meta(), {**EL, "input_size": 96, "cell_types": ["mono"]}, 42, "d1")
    with pytest.raises(precomputed.PrecomputedError, match="seed 42, this run's seed is 7"):
        precomputed.check(_meta(), EL, 7, "d1")
    with pytest.raises(precomputed.PrecomputedError, match="other cells"):
        precomputed.check(_meta(), EL, 42, "d2")
    precomputed.check(_meta(), {**EL, "precomputed": "/somewhere"}, 42, "d1")  # where it lives is not a setting


def test_load_job_checks_each_runs_image_list(tmp_path):
    originals = pd.DataFrame({"id": [f"c{i}" for i in range(16)], "label": [0] * 8 + [1] * 8, "type": "poly"})
    images = protocol_images(originals, "paper", 0, 20, 0.2, 42)
    runs = [{"protocol": "paper", "rep": 0, "learning_rate": lr, "images_digest": images_digest(images)}
            for lr in EL["learning_rates"]]
    rows = [{"protocol": "paper", "rep": 0, "learning_rate": lr, **dict.fromkeys(HISTORY_COLUMNS, 0.5), "epoch": e}
            for lr in EL["learning_rates"] for e in (2, 1)]
    pd.DataFrame(rows).to_csv(tmp_path / precomputed.HISTORIES, index=False)
    (tmp_path / precomputed.META).write_text(json.dumps(_meta(runs=runs)))
    done, meta = precomputed.load_job(tmp_path, EL, 42, "d1", images, "paper", 0, EL["learning_rates"])
    assert set(done) == set(EL["learning_rates"]) and done[0.01]["epoch"].tolist() == [1, 2]
    assert list(done[0.01].columns) == HISTORY_COLUMNS
    other = protocol_images(originals, "paper", 1, 20, 0.2, 42)
    with pytest.raises(precomputed.PrecomputedError, match="saw another image list"):
        precomputed.load_job(tmp_path, EL, 42, "d1", other, "paper", 0, EL["learning_rates"])
    with pytest.raises(precomputed.PrecomputedError, match="no finished run for protocol clean, rep 0, lr 0.01"):
        precomputed.load_job(tmp_path, EL, 42, "d1", images, "clean", 0, EL["learning_rates"])
    with pytest.raises(precomputed.PrecomputedError, match="does not exist"):
        precomputed.read(tmp_path / "nope")


@pytest.fixture(scope="module")
def rehearsal(tmp_path_factory):
    """tools/gpu/el_pack.py + el_paper.py on CPU at the test scale (what the GPU runs at the paper scale)."""
    base = tmp_path_factory.mktemp("el_gpu")
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    subprocess.run([sys.executable, str(REPO / "tools/gpu/el_pack.py"), "--configfile", str(REPO / "config/test.yaml"),
                    "--out", str(base / "pack")], check=True, env=env, capture_output=True, cwd=REPO)
    proc = subprocess.run([sys.executable, str(REPO / "tools/gpu/el_paper.py"), "--inputs", str(base / "pack"),
                           "--out", str(base / "out"), "--commit", "rehearsal", "--workers", "1"],
                          env=env, capture_output=True, text=True, cwd=REPO, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return base


@pytest.mark.slow
def test_gpu_script_records_what_it_ran(rehearsal):
    pack = json.loads((rehearsal / "pack" / "pack.json").read_text())
    histories, meta = precomputed.read(rehearsal / "out")
    assert meta["complete"] and meta["config"] == precomputed.result_slice(EL) == pack["config"]
    assert meta["git_commit"] == "rehearsal" and meta["device"] == "cpu" and not meta["pretrained"]
    assert len(meta["runs"]) == len(EL["protocols"]) * EL["seeds"] * len(EL["learning_rates"])
    assert len(histories) == len(meta["runs"]) * max(EL["epochs"])
    assert sum(f.stat().st_size for f in (rehearsal / "pack").iterdir()) < 30 * 2**20


@pytest.mark.slow
def test_pipeline_imports_the_gpu_scripts_runs(pipeline_run, rehearsal, tmp_path):
    """The test profile with el.precomputed set: only the el training jobs (and what follows) rerun, they import
    the rehearsal's histories and tag their MLflow runs with where they came from."""
    from mlflow.tracking import MlflowClient

    wd = copy_run(pipeline_run("el"), tmp_path / "wd")
    cfg = yaml.safe_load((REPO / "config" / "test.yaml").read_text())
    cfg["el"]["precomputed"] = str(rehearsal / "out")
    (tmp_path / "precomputed.yaml").write_text(yaml.safe_dump(cfg))
    dry = run_snakemake(wd, "-n", "--config", "studies=[el]", configfile=str(tmp_path / "precomputed.yaml"))
    jobs = scheduled_jobs(dry.stdout)
    assert jobs.get("el_train") == len(EL["protocols"]) * EL["seeds"] and "el_ingest" not in jobs
    run_snakemake(wd, "--cores", "2", "--config", "studies=[el]", configfile=str(tmp_path / "precomputed.yaml"))

    res = results_dir(wd, "el")
    histories, meta = precomputed.read(rehearsal / "out")
    ours = pd.read_csv(res / "sweep" / "paper" / "rep0" / "history_lr0.001.csv")
    theirs = precomputed.history(histories, "paper", 0, 0.001)
    pd.testing.assert_frame_equal(ours[HISTORY_COLUMNS], theirs[HISTORY_COLUMNS], check_dtype=False)
    run = json.loads((res / "runs" / "train_paper_rep0_lr0.001.json").read_text())
    client = MlflowClient(run["tracking_uri"].replace("sqlite:///", f"sqlite:///{wd}/"))
    tags = client.get_run(run["run_id"]).data.tags
    assert tags["precomputed_from"].endswith("histories.csv") and tags["computed_on"] == meta["device_name"]
    assert tags["deviation.pretrained"] == "false"
    assert len(client.get_metric_history(run["run_id"], "accuracy")) == max(EL["epochs"])
    claims = pd.read_csv(res / "claims.csv")
    assert claims["reason"].str.contains("trained on " + meta["device_name"]).any()
