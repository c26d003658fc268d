"""MLflow tracking is safe under many concurrent jobs and files every run where it belongs."""

import json
import subprocess
import sys
import textwrap

import pytest
from mlflow.tracking import MlflowClient

from energyrepro.tracking import init_store, tracked_run

WORKER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from energyrepro.tracking import tracked_run
    exp_json, out_dir, i = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
    study = ["el", "relay", "soc", "pricing", "uc"][i % 5]
    art = out_dir / f"table_{i}.csv"
    art.write_text("a,b\\n1,2\\n")
    with tracked_run(experiments_json=exp_json, study=study, run_name=f"job{i}",
                     run_json=out_dir / f"run_{i}.json", params={"i": i, "nested": {"lr": 0.01}},
                     seed=i, rule="concurrency", wildcards={"i": i}, config={"i": i}) as run:
        for step in range(40):
            run.log_metrics({"loss": 1.0 / (step + 1), "acc": step / 40}, step=step)
        run.deviation("data", "synthetic", "test worker")
        run.log_artifact(art)
""")


def test_sixteen_concurrent_jobs_on_a_fresh_store(tmp_path):
    uri = f"sqlite:///{tmp_path}/mlflow.db"
    exp_json = tmp_path / "experiments.json"
    studies = ["el", "relay", "soc", "pricing", "uc"]
    init_store(uri, studies, exp_json)
    n = 16
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, str(exp_json), str(tmp_path), str(i)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for i in range(n)]
    for p in procs:
        _, err = p.communicate(timeout=600)
        assert p.returncode == 0, err[-3000:]

    client = MlflowClient(tracking_uri=uri)
    exps = json.loads(exp_json.read_text())["experiments"]
    for i in range(n):
        study = studies[i % 5]
        info = json.loads((tmp_path / f"run_{i}.json").read_text())
        run = client.get_run(info["run_id"])
        assert run.info.experiment_id == exps[study] == info["experiment_id"]
        assert run.info.status == "FINISHED"
        assert run.data.params["nested.lr"] == "0.01" and run.data.params["wildcard.i"] == str(i)
        for tag in ("git_commit", "git_dirty", "rule", "wildcards", "config_hash", "seed", "device", "profile"):
            assert tag in run.data.tags, tag
        assert run.data.tags["deviation.data"] == "synthetic"
        history = client.get_metric_history(info["run_id"], "loss")
        assert sorted(m.step for m in history) == list(range(40))
        assert [a.path for a in client.list_artifacts(info["run_id"])] == [f"table_{i}.csv"]
    default = client.search_runs(["0"]) if client.get_experiment("0") else []
    assert len(default) == 0, "no run may land in the Default experiment"


def test_concurrent_store_initialisation_is_serialised(tmp_path):
    """Eight processes initialising one fresh SQLite store at once agree on the experiment ids."""
    uri = f"sqlite:///{tmp_path}/mlflow.db"
    code = ("import sys; from energyrepro.tracking import init_store; "
            "init_store(sys.argv[1], ['el','relay','soc','pricing','uc'], sys.argv[2])")
    procs = [subprocess.Popen([sys.executable, "-c", code, uri, str(tmp_path / f"e{i}.json")],
                              stderr=subprocess.PIPE, text=True) for i in range(8)]
    for p in procs:
        _, err = p.communicate(timeout=600)
        assert p.returncode == 0, err[-3000:]
    ids = {json.dumps(json.loads((tmp_path / f"e{i}.json").read_text()), sort_keys=True) for i in range(8)}
    assert len(ids) == 1
    names = {e.name for e in MlflowClient(tracking_uri=uri).search_experiments()}
    assert {"el", "relay", "soc", "pricing", "uc"} <= names


def test_a_failing_job_is_marked_failed_and_writes_no_run_file(mlflow_store, tmp_path):
    uri, exp_json = mlflow_store
    with pytest.raises(ZeroDivisionError):
        with tracked_run(experiments_json=exp_json, study="uc", run_name="boom",
                         run_json=tmp_path / "boom.json") as run:
            run.log_metrics({"x": 1.0}, step=0)
            1 / 0
    assert not (tmp_path / "boom.json").exists()
    runs = MlflowClient(tracking_uri=uri).search_runs([json.loads(exp_json.read_text())["experiments"]["uc"]])
    assert [r.info.status for r in runs] == ["FAILED"]


def test_missing_experiments_file_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="mlflow_init"):
        with tracked_run(experiments_json=tmp_path / "nope.json", study="el", run_name="x",
                         run_json=tmp_path / "x.json"):
            pass


def test_init_store_reuses_an_experiment_created_meanwhile(tmp_path):
    """A second pipeline creating the same experiment on a shared server gets its id, not an error."""
    from energyrepro.tracking import _create_or_get_experiment

    client = MlflowClient(tracking_uri=f"sqlite:///{tmp_path}/mlflow.db")
    first = client.create_experiment("uc")
    assert _create_or_get_experiment(client, "uc", None) == first
