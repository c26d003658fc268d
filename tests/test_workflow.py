"""The Snakemake DAG as a whole: lint and formatting, dry runs, tiny end-to-end runs traced into MLflow.

Every test here that runs Snakemake is marked slow (the fast tier, `make test-fast`, runs none); changing a
setting, profiles and selections are tested in test_provenance.py, kills and resumes in test_crash_safety.py.
"""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, results_dir, run_snakemake, scheduled_jobs, selected_studies
from mlflow.tracking import MlflowClient

STUDIES = list(selected_studies())
TOOLS = Path(sys.executable).parent


def _selection() -> list[str]:
    return ["--config", f"studies=[{','.join(STUDIES)}]"]


def test_python_is_ruff_clean():
    proc = subprocess.run([str(TOOLS / "ruff"), "check", "src", "scripts", "tests", "benchmarks", "tools"],
                          cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-2000:]


def test_rules_are_snakefmt_formatted():
    proc = subprocess.run([str(TOOLS / "snakefmt"), "--check", "Snakefile", "workflow/rules"],
                          cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]


@pytest.mark.slow
def test_lint_is_clean(tmp_path):
    proc = run_snakemake(tmp_path, "--lint", check=False)
    assert "Congratulations" in proc.stdout + proc.stderr, proc.stdout[-4000:] + proc.stderr[-4000:]


@pytest.mark.slow
@pytest.mark.parametrize("configfile", ["config/config.yaml", "config/paper.yaml"])
def test_full_dag_dry_runs(tmp_path, configfile):
    proc = run_snakemake(tmp_path, "-n", "--quiet", "rules", configfile=configfile)
    jobs = scheduled_jobs(proc.stdout + proc.stderr)
    assert "mlflow_init" in jobs and "report_claims" in jobs
    for study in ("el", "relay", "soc", "pricing", "uc"):
        assert any(rule.startswith(study + "_") for rule in jobs), f"no job of study {study} in the DAG"


def _artifact_names(client, run_id, path=None):
    """Base names of every artifact of a run, recursively."""
    names = set()
    for a in client.list_artifacts(run_id, path):
        names |= _artifact_names(client, run_id, a.path) if a.is_dir else {a.path.rsplit("/", 1)[-1]}
    return names


@pytest.mark.slow
@pytest.mark.parametrize("study", STUDIES)
def test_every_job_is_an_mlflow_run_in_its_study_experiment(pipeline_run, study):
    """CONVENTIONS.md's MLflow contract, read back from the tiny run's store."""
    wd = pipeline_run(study)
    run_files = sorted((results_dir(wd, study) / "runs").glob("*.json"))
    assert run_files, f"study {study} wrote no run-id files"
    info_all = json.loads((results_dir(wd) / "mlflow" / "experiments.json").read_text())
    exps, parent_id = info_all["experiments"], info_all["parents"][study]
    client = MlflowClient(tracking_uri=f"sqlite:///{wd}/results/mlflow.db")
    exp = client.get_experiment(exps[study])
    assert exp.name == study and exp.tags.get("mlflow.experimentKind") == "custom_model_development"
    parent = client.get_run(parent_id)
    assert parent.info.experiment_id == exps[study] and parent.data.tags["profile"] == "test"
    artifacts, trained = _artifact_names(client, parent_id), []  # study-level tables live on the parent run
    for f in run_files:
        info = json.loads(f.read_text())
        run = client.get_run(info["run_id"])  # raises if the id does not resolve
        tags = run.data.tags
        assert run.info.experiment_id == exps[study] == info["experiment_id"]
        assert run.info.status == "FINISHED", f.name
        assert run.data.params, f"{f.name}: run has no params"
        assert run.data.metrics, f"{f.name}: run has no metrics"
        for tag in ("git_commit", "git_dirty", "rule", "wildcards", "config_hash", "seed", "device", "profile",
                    "mlflow.source.name", "mlflow.source.type", "mlflow.source.git.commit"):
            assert tag in tags, f"{f.name}: tag {tag} missing"
        assert tags["profile"] == "test" and tags["mlflow.source.git.commit"] == tags["git_commit"]
        assert tags["mlflow.source.name"].startswith(f"scripts/{study}/"), tags["mlflow.source.name"]
        assert tags.get("mlflow.parentRunId") == parent_id, f"{f.name}: not grouped under the study's parent run"
        if "train" in tags["rule"]:
            trained.append(run)
        artifacts |= _artifact_names(client, info["run_id"])
    for run in trained:
        inputs = run.inputs.dataset_inputs if run.inputs else []
        assert inputs, f"training run {run.info.run_name} logs no dataset input (what data did it see?)"
        assert all(i.dataset.digest for i in inputs)
    job_runs = client.search_runs([exps[study]], "attributes.status = 'FINISHED' and tags.profile = 'test'",
                                  max_results=10000)
    job_runs = [r for r in job_runs if r.data.tags.get("energyrepro_parent") != "true"]
    assert len(job_runs) == len(run_files), "every finished job run has exactly one run-id file"
    images = {p.name for sub in ("figures", "tables") for p in (results_dir(wd, study) / sub).glob("*.png")}
    assert images, f"study {study} drew no figure"
    assert images <= artifacts, f"figures not logged to any {study} run: {sorted(images - artifacts)}"


@pytest.mark.slow
def test_rerun_after_success_does_nothing(pipeline_run):
    wd = pipeline_run(*STUDIES)
    proc = run_snakemake(wd, "-n", *_selection())
    assert "Nothing to be done" in proc.stdout + proc.stderr, proc.stdout[-3000:]


@pytest.mark.slow
@pytest.mark.parametrize("study", STUDIES)
def test_study_writes_its_claims_in_the_shared_layout(pipeline_run, study):
    import pandas as pd

    from energyrepro.claims import COLUMNS

    wd = pipeline_run(study)
    claims = pd.read_csv(results_dir(wd, study) / "claims.csv")
    assert list(claims.columns) == COLUMNS and len(claims) >= 1
    assert set(claims["study"]) == {study} and set(claims["profile"]) == {"test"}
    assert (claims["kind"] == "claim").any(), f"{study} has no row of kind claim"
    merged = pd.read_csv(results_dir(wd) / "claims.csv")
    assert (merged["study"] == study).sum() == len(claims)
    assert (results_dir(wd) / "claims.md").read_text().startswith("# Claims")


@pytest.mark.slow
def test_every_file_in_the_results_is_a_declared_output(pipeline_run):
    """Snakemake tracks, cleans and re-creates only what rules declare (no stray PDF or Markdown twin)."""
    wd = pipeline_run(*STUDIES)
    out = run_snakemake(wd, "-n", "--forceall", "--nolock", *_selection()).stdout
    declared = {p.strip() for m in re.finditer(r"^\s+(?:output|log|benchmark): (.+)$", out, re.M)
                for p in m.group(1).split(", ")}
    dirs = [d for d in declared if (wd / d).is_dir()]
    stray = []
    for study in STUDIES:
        for p in sorted(results_dir(wd, study).rglob("*")):
            rel = str(p.relative_to(wd))
            if p.is_file() and rel not in declared and not any(rel.startswith(d + "/") for d in dirs):
                stray.append(rel)
    assert not stray, f"files no rule declares: {stray[:30]}"


@pytest.mark.slow
@pytest.mark.parametrize("study", STUDIES)
def test_figures_target_redraws_without_recomputing(pipeline_run, study):
    wd = pipeline_run(study)
    in_figures_dag = scheduled_jobs(run_snakemake(wd, "--quiet", "rules", "--forceall", "-n", "figures",
                                                  *_selection()).stdout)
    plot_rules = [r for r in in_figures_dag if r.startswith(f"{study}_plot")]
    assert plot_rules, f"study {study} has no plot rules"
    proc = run_snakemake(wd, "--quiet", "rules", "--forcerun", *plot_rules, "-n", "figures", *_selection())
    jobs = scheduled_jobs(proc.stdout + proc.stderr)
    assert set(jobs) - {"figures"} <= set(plot_rules), f"figures would recompute: {jobs}"


@pytest.mark.slow
def test_snakemake_report_holds_every_figure_and_the_claims(pipeline_run, tmp_path):
    import zipfile

    wd = pipeline_run(*STUDIES)
    run_snakemake(wd, "--report", str(tmp_path / "report.zip"), *_selection())
    names = {n.rsplit("/", 1)[-1] for n in zipfile.ZipFile(tmp_path / "report.zip").namelist()}
    assert "claims.html" in names
    for study in STUDIES:
        figures = {p.name for p in (results_dir(wd, study) / "figures").glob("*.png")}
        assert figures and figures <= names, f"{study} figures missing from the report: {sorted(figures - names)}"


@pytest.mark.slow
def test_benchmark_files_merge_into_one_table(pipeline_run):
    from energyrepro.report import merge_benchmarks

    wd = pipeline_run(*STUDIES)
    df = merge_benchmarks(results_dir(wd) / "benchmarks")
    assert {"study", "rule", "wall_s", "max_rss_mb", "cpu_s"} <= set(df.columns)
    assert set(STUDIES) <= set(df.study), f"studies without benchmark files: {set(STUDIES) - set(df.study)}"
    assert (df.wall_s >= 0).all()
