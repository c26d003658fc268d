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


@pytest.mark.slow
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


@pytest.mark.slow
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
            raise ZeroDivisionError
    assert not (tmp_path / "boom.json").exists()
    runs = MlflowClient(tracking_uri=uri).search_runs([json.loads(exp_json.read_text())["experiments"]["uc"]])
    assert [r.info.status for r in runs if r.info.run_name == "boom"] == ["FAILED"]


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


def test_runs_follow_mlflow_conventions_and_show_their_data(mlflow_store, tmp_path):
    """Experiments open on the runs table; source tags, grouping under a parent run, a dataset input."""
    uri, exp_json = mlflow_store
    data = tmp_path / "cells.npz"
    data.write_bytes(b"0123456789" * 100)
    with tracked_run(experiments_json=exp_json, study="el", run_name="train", run_json=tmp_path / "r.json",
                     profile="test", rule="el_train", wildcards={"seed": 0}) as run:
        digest = run.log_input("elpv-poly-certain", data)
        run.log_metrics({"acc": 0.5}, step=0)
    client = MlflowClient(tracking_uri=uri)
    info = json.loads((tmp_path / "r.json").read_text())
    exp = client.get_experiment(info["experiment_id"])
    assert exp.tags["mlflow.experimentKind"] == "custom_model_development"
    run = client.get_run(info["run_id"])
    tags = run.data.tags
    assert tags["mlflow.source.type"] == "JOB" and tags["mlflow.source.git.commit"] == tags["git_commit"]
    assert tags["mlflow.source.name"]
    parent = json.loads(exp_json.read_text())["parents"]["el"]
    assert tags["mlflow.parentRunId"] == parent and client.get_run(parent).info.status == "FINISHED"
    inputs = run.inputs.dataset_inputs
    assert [(d.dataset.name, d.dataset.digest) for d in inputs] == [("elpv-poly-certain", digest)]
    assert len(digest) == 16


KILLED_WORKER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from energyrepro.tracking import tracked_run
    exp_json, out = sys.argv[1], Path(sys.argv[2])
    with tracked_run(experiments_json=exp_json, study="uc", run_name="long", run_json=out / "long.json",
                     profile="test", rule="uc_lr", wildcards={"size": 10}) as run:
        (out / "started").write_text(run.run_id)
        time.sleep(120)
""")


@pytest.mark.parametrize("signal_name", ["SIGTERM", "SIGKILL"])
def test_an_interrupted_job_leaves_no_running_run(mlflow_store, tmp_path, signal_name):
    """SIGTERM closes the run as KILLED at once; after SIGKILL the resumed job closes its predecessor."""
    import signal
    import time

    uri, exp_json = mlflow_store
    proc = subprocess.Popen([sys.executable, "-c", KILLED_WORKER, str(exp_json), str(tmp_path)])
    for _ in range(600):
        if (tmp_path / "started").exists():
            break
        time.sleep(0.1)
    first = (tmp_path / "started").read_text()
    proc.send_signal(getattr(signal, signal_name))
    proc.wait(timeout=60)
    client = MlflowClient(tracking_uri=uri)
    assert client.get_run(first).info.status == ("KILLED" if signal_name == "SIGTERM" else "RUNNING")
    assert not (tmp_path / "long.json").exists()
    with tracked_run(experiments_json=exp_json, study="uc", run_name="long", run_json=tmp_path / "long.json",
                     profile="test", rule="uc_lr", wildcards={"size": 10}):
        pass
    assert client.get_run(first).info.status == "KILLED"
    assert client.get_run(json.loads((tmp_path / "long.json").read_text())["run_id"]).info.status == "FINISHED"


def test_a_moved_store_still_opens_its_artifacts(tmp_path):
    """relocate_artifacts repoints a moved results folder's store at its own artifacts."""
    import shutil

    from energyrepro.tracking import relocate_artifacts

    old = tmp_path / "a" / "results"
    old.mkdir(parents=True)
    uri = f"sqlite:///{old}/mlflow.db"
    init_store(uri, ["uc"], old / "experiments.json")
    art = tmp_path / "table.csv"
    art.write_text("x\n1\n")
    with tracked_run(experiments_json=old / "experiments.json", study="uc", run_name="r",
                     run_json=old / "r.json") as run:
        run.log_artifact(art)
    run_id = json.loads((old / "r.json").read_text())["run_id"]
    new = tmp_path / "b" / "moved"
    new.parent.mkdir()
    shutil.move(str(old), str(new))
    client = MlflowClient(tracking_uri=f"sqlite:///{new}/mlflow.db")
    before = client.get_run(run_id).info.artifact_uri
    assert before.startswith(old.as_uri()) and not old.exists()
    assert relocate_artifacts(new / "mlflow.db") >= 2
    got = client.download_artifacts(run_id, "table.csv", str(tmp_path / "dl"))
    assert open(got).read() == "x\n1\n"
    assert relocate_artifacts(new / "mlflow.db") == 0
