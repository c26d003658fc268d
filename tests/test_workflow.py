"""The Snakemake DAG as a whole: dry runs, lint, tiny end-to-end runs traced into MLflow."""

import json
import re

import pytest
from conftest import REPO, run_snakemake
from mlflow.tracking import MlflowClient

STUDIES = ["el", "relay", "soc", "pricing", "uc"]


def _jobs(dry_run_output: str) -> dict[str, int]:
    """Job counts from the 'Job stats' table of a dry run."""
    table = dry_run_output.split("Job stats:")[1].split("\n\n")[0]
    return {m.group(1): int(m.group(2)) for m in re.finditer(r"^(\w+)\s+(\d+)$", table, re.M) if m.group(1) != "total"}


@pytest.mark.parametrize("configfile", ["config/config.yaml", "config/paper.yaml"])
def test_full_dag_dry_runs(tmp_path, configfile):
    proc = run_snakemake(tmp_path, "-n", "--quiet", "rules", configfile=configfile)
    jobs = _jobs(proc.stdout + proc.stderr)
    assert "mlflow_init" in jobs and "report_claims" in jobs
    for study in STUDIES:
        assert any(rule.startswith(study + "_") for rule in jobs), f"no job of study {study} in the DAG"


def test_lint_is_clean(tmp_path):
    proc = run_snakemake(tmp_path, "--lint", check=False)
    assert "Congratulations" in proc.stdout + proc.stderr, proc.stdout[-4000:] + proc.stderr[-4000:]


def _artifact_names(client, run_id, path=None):
    """Base names of every artifact of a run, recursively."""
    names = set()
    for a in client.list_artifacts(run_id, path):
        names |= _artifact_names(client, run_id, a.path) if a.is_dir else {a.path.rsplit("/", 1)[-1]}
    return names


@pytest.mark.parametrize("study", STUDIES)
def test_every_job_is_an_mlflow_run_in_its_study_experiment(pipeline_run, study):
    wd = pipeline_run(study)
    run_files = sorted((wd / "results" / study / "runs").glob("*.json"))
    assert run_files, f"study {study} wrote no run-id files"
    exps = json.loads((wd / "results" / "mlflow" / "experiments.json").read_text())["experiments"]
    client = MlflowClient(tracking_uri=f"sqlite:///{wd}/results/mlflow.db")
    artifacts = set()
    for f in run_files:
        info = json.loads(f.read_text())
        run = client.get_run(info["run_id"])  # raises if the id does not resolve
        assert client.get_experiment(run.info.experiment_id).name == study
        assert run.info.experiment_id == exps[study] == info["experiment_id"]
        assert run.info.status == "FINISHED", f.name
        assert run.data.params, f"{f.name}: run has no params"
        assert run.data.metrics, f"{f.name}: run has no metrics"
        for tag in ("git_commit", "git_dirty", "rule", "wildcards", "config_hash", "seed", "device", "profile"):
            assert tag in run.data.tags, f"{f.name}: tag {tag} missing"
        assert run.data.tags["profile"] == "test"
        artifacts |= _artifact_names(client, info["run_id"])
    finished = client.search_runs([exps[study]], "attributes.status = 'FINISHED'", max_results=10000)
    assert len(finished) == len(run_files), "every finished run has exactly one run-id file"
    images = {p.name for sub in ("figures", "tables") for p in (wd / "results" / study / sub).glob("*.png")}
    assert images, f"study {study} drew no figure"
    assert images <= artifacts, f"figures not logged to any {study} run: {sorted(images - artifacts)}"


def test_rerun_after_success_does_nothing(pipeline_run):
    wd = pipeline_run(*STUDIES)
    proc = run_snakemake(wd, "-n")
    assert "Nothing to be done" in proc.stdout + proc.stderr, proc.stdout[-3000:]


@pytest.mark.parametrize("study", STUDIES)
def test_study_writes_its_claims_in_the_shared_layout(pipeline_run, study):
    import pandas as pd

    from energyrepro.claims import COLUMNS

    wd = pipeline_run(study)
    claims = pd.read_csv(wd / "results" / study / "claims.csv")
    assert list(claims.columns) == COLUMNS and len(claims) >= 1
    assert set(claims["study"]) == {study} and set(claims["profile"]) == {"test"}
    merged = pd.read_csv(wd / "results" / "claims.csv")
    assert (merged["study"] == study).sum() == len(claims)
    assert (wd / "results" / "claims.md").read_text().startswith("# Claims")


@pytest.mark.parametrize("study", STUDIES)
def test_figures_target_redraws_without_recomputing(pipeline_run, study):
    wd = pipeline_run(study)
    in_figures_dag = _jobs(run_snakemake(wd, "--quiet", "rules", "--forceall", "-n", "figures").stdout)
    plot_rules = [r for r in in_figures_dag if r.startswith(f"{study}_plot_")]
    assert plot_rules, f"study {study} has no plot rules"
    proc = run_snakemake(wd, "--quiet", "rules", "--forcerun", *plot_rules, "-n", "figures")
    jobs = _jobs(proc.stdout + proc.stderr)
    assert set(jobs) - {"figures"} <= set(plot_rules), f"figures would recompute: {jobs}"


def test_snakemake_report_holds_every_figure_and_the_claims(pipeline_run):
    import zipfile

    wd = pipeline_run(*STUDIES)
    run_snakemake(wd, "--report", str(wd / "report.zip"))
    names = {n.rsplit("/", 1)[-1] for n in zipfile.ZipFile(wd / "report.zip").namelist()}
    assert "claims.html" in names
    for study in STUDIES:
        figures = {p.name for p in (wd / "results" / study / "figures").glob("*.png")}
        assert figures and figures <= names, f"{study} figures missing from the report: {sorted(figures - names)}"


def test_benchmark_files_merge_into_one_table(pipeline_run):
    from energyrepro.report import merge_benchmarks

    wd = pipeline_run("el")
    df = merge_benchmarks(wd / "results" / "benchmarks")
    assert {"study", "rule", "wall_s", "max_rss_mb", "cpu_s"} <= set(df.columns)
    assert "ingest" in set(df[df.study == "el"].rule)
    assert (df.wall_s >= 0).all()


def test_changing_one_study_setting_reruns_only_that_study(pipeline_run, tmp_path):
    """Issue contract: a model setting of `uc` changed -> only uc jobs (and the merged claims) rerun."""
    import yaml

    wd = pipeline_run("uc", "pricing")
    cfg = yaml.safe_load((REPO / "config" / "test.yaml").read_text())
    cfg["uc"]["iterations"] = cfg["uc"]["iterations"] + 1
    changed = tmp_path / "changed.yaml"
    changed.write_text(yaml.safe_dump(cfg, sort_keys=False))  # Snakemake compares params in key order
    proc = run_snakemake(wd, "-n", "--quiet", "rules", "--configfile", str(changed))
    jobs = _jobs(proc.stdout + proc.stderr)
    assert any(j.startswith("uc_") for j in jobs), jobs
    assert all(j.startswith("uc_") or j in ("report_claims", "all") for j in jobs), jobs
