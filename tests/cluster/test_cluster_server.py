"""An MLflow tracking server on PostgreSQL takes many concurrent jobs and files every run where it
belongs: the tiny config (ENERGYREPRO_SERVER_WORKDIRS working directories, default 1) runs against it
while >= 16 more tracked jobs (energyrepro.tracking.tracked_run, as every pipeline job uses it) start
at once; every run lands in its study's experiment and every result's run-id file resolves there.

Run by `make test-server` (tools/cluster/with-services.sh --server); skipped otherwise.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
import uuid
from types import SimpleNamespace

import pytest
from cluster.cluster_helpers import (
    check_run_files_on_server,
    server_uri,
    skip_unless_enabled,
    start,
    stop,
    studies,
    tiny_run_cmd,
    work_dir,
)

pytestmark = [skip_unless_enabled, pytest.mark.slow]

ALL_STUDIES = ["el", "relay", "soc", "pricing", "uc"]
N_JOBS = int(os.environ.get("ENERGYREPRO_SERVER_JOBS", "16"))
N_WORKDIRS = int(os.environ.get("ENERGYREPRO_SERVER_WORKDIRS", "1"))

# One tracked job: imports first, then waits for the start signal so that all jobs hit the server at once.
WORKER = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path
    from energyrepro.tracking import tracked_run
    exp_json, out_dir, i, study, tag = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
    go = Path(sys.argv[6])
    art = out_dir / f"table_{i}.csv"
    art.write_text(f"job,value\\n{i},{i * i}\\n")
    t0 = time.time()
    while not go.exists():
        if time.time() - t0 > 300:
            sys.exit("no start signal within 300 s")
        time.sleep(0.05)
    with tracked_run(experiments_json=exp_json, study=study, run_name=f"server-job{i}",
                     run_json=out_dir / f"run_{i}.json", params={"i": i, "nested": {"lr": 0.01}},
                     seed=i, profile="test", rule=tag, wildcards={"i": i}, config={"i": i}) as run:
        for step in range(50):
            run.log_metrics({"loss": 1.0 / (step + 1), "job": i}, step=step)
        run.deviation("data", "synthetic", "server concurrency test")
        run.log_artifact(art)
""")


@pytest.fixture(scope="module")
def load(tmp_path_factory):
    """At the same time: the tiny config in N_WORKDIRS working directories (what a user does: export
    MLFLOW_TRACKING_URI, declared in the Snakefile's envvars:, and run) and N_JOBS tracked jobs."""
    from energyrepro.tracking import init_store

    uri = server_uri()
    chosen = studies()
    assert N_JOBS >= 16, "the server must be tested with at least 16 concurrent jobs"
    tmp = work_dir(tmp_path_factory, "server_load")
    # The experiments exist on a team server before anyone runs (the admin creates them once).
    exp_json = tmp / "experiments.json"
    ids = init_store(uri, ALL_STUDIES, exp_json)
    env = dict(os.environ, MLFLOW_TRACKING_URI=uri)
    pipelines = []
    for k in range(N_WORKDIRS):
        wd = tmp / f"wd{k}"
        wd.mkdir()
        cmd = tiny_run_cmd(wd, chosen, "--cores", str(max(1, 2 // N_WORKDIRS)), limit=480)
        pipelines.append((wd, cmd, start(cmd, wd / "snakemake.out", env)))

    try:
        tag = f"server-concurrency-{uuid.uuid4().hex[:8]}"
        go = tmp / "go"
        env.pop("MLFLOW_TRACKING_URI")  # the jobs read the server URI from the experiments file
        procs = [subprocess.Popen([sys.executable, "-c", WORKER, str(exp_json), str(tmp), str(i),
                                   ALL_STUDIES[i % 5], tag, str(go)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
                 for i in range(N_JOBS)]
        time.sleep(1)
        go.touch()
        failures = []
        for i, p in enumerate(procs):
            try:
                _, err = p.communicate(timeout=420)
            except subprocess.TimeoutExpired:
                p.kill()
                _, err = p.communicate()
            if p.returncode != 0:
                failures.append(f"tracked job {i} exited {p.returncode}:\n{err[-2000:]}")
        for wd, cmd, p in pipelines:
            rc = p.wait(timeout=540)
            if rc != 0:
                out = (wd / "snakemake.out").read_text()[-6000:]
                failures.append(f"snakemake failed ({rc}): {' '.join(cmd)}\n{out}")
        assert not failures, "\n".join(failures)
    finally:
        for *_, p in pipelines:  # never leave a run behind when something above failed
            stop(p)
    return SimpleNamespace(uri=uri, tmp=tmp, ids=ids, tag=tag, workdirs=[w for w, *_ in pipelines], studies=chosen)


def test_concurrent_tracked_jobs_land_in_the_right_experiment(load):
    from mlflow.tracking import MlflowClient

    client = MlflowClient(tracking_uri=load.uri)
    for i in range(N_JOBS):
        study = ALL_STUDIES[i % 5]
        info = json.loads((load.tmp / f"run_{i}.json").read_text())
        assert info["tracking_uri"] == load.uri
        run = client.get_run(info["run_id"])
        assert run.info.experiment_id == load.ids[study] == info["experiment_id"]
        assert client.get_experiment(run.info.experiment_id).name == study
        assert run.info.status == "FINISHED"
        assert run.data.params["nested.lr"] == "0.01" and run.data.params["wildcard.i"] == str(i)
        assert run.data.tags["deviation.data"] == "synthetic" and run.data.tags["rule"] == load.tag
        history = client.get_metric_history(info["run_id"], "loss")
        assert sorted(m.step for m in history) == list(range(50))
        assert {m.value for m in client.get_metric_history(info["run_id"], "job")} == {float(i)}
        assert [a.path for a in client.list_artifacts(info["run_id"])] == [f"table_{i}.csv"]
        got = client.download_artifacts(info["run_id"], f"table_{i}.csv", str(load.tmp / f"dl_{i}"))
        assert open(got).read() == f"job,value\n{i},{i * i}\n"
    # Exactly one run per job on the server, none duplicated or filed under Default.
    found = client.search_runs(list(load.ids.values()), filter_string=f"tags.rule = '{load.tag}'", max_results=1000)
    assert sorted(int(r.data.params["i"]) for r in found) == list(range(N_JOBS))
    assert not client.search_runs(["0"], filter_string=f"tags.rule = '{load.tag}'")


def test_every_result_run_id_resolves_on_the_server(load):
    for wd in load.workdirs:
        check_run_files_on_server(wd, load.uri, load.studies)
