"""What a user sees (issue 17 item 4): the MLflow UI on a moved copy of the tiny run's store, and the Snakemake
report, rendered by headless Chromium. Screenshots land in the test's folder and in results/test-screenshots/
(git-ignored) for a person to look at.

MLflow's UI and Snakemake's report are React apps: the page is built client-side, so the test reads the DOM
Chromium has after running the scripts (``--dump-dom`` under a virtual-time budget), not the HTML served.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import REPO, results_dir, run_snakemake, selected_studies

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = REPO / "results" / "test-screenshots"
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium (Debian package chromium; "
                                                                 ".ci/run installs it)")]


def page_text(dom: str) -> str:
    """The visible text of a DOM dump: scripts and styles dropped, tags stripped, whitespace collapsed."""
    dom = re.sub(r"<(script|style)\b.*?</\1>", " ", dom, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", dom)).replace("&amp;", "&").strip()


def chromium(url: str, png: Path, budget_ms: int = 20000) -> str:
    """The DOM after the page's scripts ran (virtual time), and a 1600x1000 screenshot, from one headless run."""
    profile = png.parent / f".profile-{png.stem}"  # a fresh profile: nothing remembered from another page
    proc = subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
         "--window-size=1600,1000", f"--virtual-time-budget={budget_ms}", f"--screenshot={png}", "--dump-dom", url],
        capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0 and png.exists(), f"chromium failed on {url}:\n{proc.stderr[-3000:]}"
    SHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(png, SHOTS / png.name)
    return proc.stdout


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def moved_store(pipeline_run, tmp_path):
    """The tiny run's store and artifacts copied elsewhere (a moved results folder), artifact paths repointed."""
    wd = pipeline_run(*selected_studies())
    moved = tmp_path / "moved"
    moved.mkdir()
    shutil.copy(wd / "results" / "mlflow.db", moved / "mlflow.db")
    shutil.copytree(wd / "results" / "mlflow-artifacts", moved / "mlflow-artifacts")
    proc = subprocess.run([sys.executable, "-m", "energyrepro.tracking", "relocate", str(moved / "mlflow.db")],
                          capture_output=True, text=True, check=True)
    assert re.search(r": [1-9]\d* artifact locations repointed", proc.stdout), proc.stdout
    return moved / "mlflow.db"


@pytest.fixture
def mlflow_ui(moved_store, tmp_path):
    """``mlflow ui`` on a free loopback port against the moved store; stopped with its workers afterwards."""
    port = _free_port()
    log = open(tmp_path / "mlflow-ui.log", "w")
    proc = subprocess.Popen([str(Path(sys.executable).with_name("mlflow")), "ui", "--backend-store-uri",
                             f"sqlite:///{moved_store}", "--host", "127.0.0.1", "--port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                            env={k: v for k, v in os.environ.items() if k != "MLFLOW_TRACKING_URI"})
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{url}/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, \
                f"mlflow ui did not come up:\n{(tmp_path / 'mlflow-ui.log').read_text()[-3000:]}"
            time.sleep(0.5)
        yield url, f"sqlite:///{moved_store}"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()


def _busiest_experiment(client):
    """(experiment, job runs, a metric key): the study experiment whose job runs log the most metrics."""
    best = None
    for exp in client.search_experiments():
        runs = [r for r in client.search_runs([exp.experiment_id], max_results=200)
                if r.data.tags.get("energyrepro_parent") != "true" and r.data.metrics]
        if runs and (best is None or len(runs) > len(best[1])):
            best = (exp, runs)
    assert best, "no study experiment holds a run with metrics"
    exp, runs = best
    metric = min({k for r in runs for k in r.data.metrics}, key=lambda k: (-sum(k in r.data.metrics for r in runs), k))
    return exp, runs, metric


def test_mlflow_ui_shows_the_runs_their_source_data_and_metrics(mlflow_ui, tmp_path):
    from mlflow.tracking import MlflowClient

    url, uri = mlflow_ui
    client = MlflowClient(tracking_uri=uri)
    exp, runs, metric = _busiest_experiment(client)

    # What a user gets on opening the experiment in the "Model training" workflow: the runs table.
    text = page_text(chromium(f"{url}/#/experiments/{exp.experiment_id}?workflowType=machine_learning",
                              tmp_path / "mlflow_experiment.png"))
    parent = next(r for r in client.search_runs([exp.experiment_id]) if r.data.tags.get("energyrepro_parent"))
    assert "Run Name" in text and parent.info.run_name in text, text[:3000]
    assert "Traces 0" not in text, "the experiment opened on the GenAI traces overview, not on its runs"

    # A view as a colleague would share it (MLflow's shared view state): the job runs with a metric column.
    key = "energyrepro-test"
    state = {"orderByKey": f"metrics.`{metric}`", "orderByAsc": True,  # sorting by a metric lists children flat
             "selectedColumns": [f"metrics.`{metric}`", "attributes.`Source`", "attributes.`Dataset`"]}
    client.set_experiment_tag(exp.experiment_id, f"mlflow.sharedViewState.{key}", json.dumps(state))
    text = page_text(chromium(f"{url}/#/experiments/{exp.experiment_id}/runs?viewStateShareKey={quote(key)}"
                              "&workflowType=machine_learning", tmp_path / "mlflow_runs.png"))
    shown = [r.info.run_name for r in runs[:10] if r.info.run_name in text]
    assert len(shown) == min(len(runs), 10), f"runs missing from the table: {[r.info.run_name for r in runs[:10]]}" \
                                             f"\n{text[:3000]}"
    assert "Metrics" in text and metric in text, f"no column for metric {metric}:\n{text[:3000]}"
    sources = {r.data.tags.get("mlflow.source.name") for r in runs} - {None}
    assert any(s in text for s in sources), f"Source column shows none of {sources}"
    datasets = {i.dataset.name for r in runs for i in (r.inputs.dataset_inputs if r.inputs else [])}
    if datasets:
        assert any(d in text for d in datasets), f"Dataset column shows none of {datasets}"
    print(f"MLflow UI, experiment {exp.name}: runs {shown}, metric column {metric}, sources {sorted(sources)}, "
          f"datasets {sorted(datasets)}")


def _embedded(report_html: str, path: str) -> str:
    """The file ``path`` as the Snakemake report embeds it (a base64 data URI in the report's data)."""
    start = report_html.index(json.dumps(path) + ": {")
    m = re.compile(r'"data_uri": "data:[^;"]*(?:;[^;,"]*)*;base64,([A-Za-z0-9+/=]+)"').search(report_html, start)
    assert m, f"{path} has no data URI in the report"
    return base64.b64decode(m.group(1)).decode()


def test_snakemake_report_opens_and_its_claims_table_renders(pipeline_run, tmp_path):
    studies = selected_studies()
    wd = pipeline_run(*studies)
    report = tmp_path / "report.html"
    run_snakemake(wd, "--report", str(report), "--config", f"studies=[{','.join(studies)}]")

    text = page_text(chromium(report.as_uri(), tmp_path / "snakemake_report.png", budget_ms=10000))
    assert "Snakemake Report" in text and "0 Claims" in text, text[:2000]
    missing = [s for s in studies if s not in text]
    assert not missing, f"report categories missing: {missing}"

    claims_path = str(results_dir(wd).relative_to(wd) / "claims.html")
    embedded = tmp_path / "report_claims.html"
    embedded.write_text(_embedded(report.read_text(), claims_path))
    dom = chromium(embedded.as_uri(), tmp_path / "report_claims.png", budget_ms=5000)
    rows = re.findall(r"<tr\b.*?</tr>", dom, flags=re.S)
    assert len(rows) > len(studies), "the claims table has no rows"
    text = page_text(dom)
    for s in studies:
        assert s in text, f"study {s} missing from the report's claims table"
    assert re.search(r"\b(reproduced|not reproduced|not comparable)\b", text), "no verdict in the claims table"
