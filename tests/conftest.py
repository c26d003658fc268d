"""Shared fixtures: a fresh MLflow store, and tiny end-to-end pipeline runs in temporary folders."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SNAKEMAKE = str(Path(sys.executable).with_name("snakemake"))
SHARED = REPO.parent / "shared"


def run_snakemake(workdir: Path, *args: str, configfile: str = "config/test.yaml",
                  check: bool = True, timeout: int = 900) -> subprocess.CompletedProcess:
    """Run the repo's Snakefile with ``workdir`` as working directory (results/ lands there)."""
    env = {k: v for k, v in os.environ.items() if k != "MLFLOW_TRACKING_URI"}
    cmd = [SNAKEMAKE, "--snakefile", str(REPO / "Snakefile"), "--directory", str(workdir),
           "--configfile", str(REPO / configfile), *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout)
    if check and proc.returncode != 0:
        raise AssertionError(f"snakemake failed ({proc.returncode}): {' '.join(cmd)}\n"
                             f"{proc.stdout[-4000:]}\n{proc.stderr[-8000:]}")
    return proc


ALL_STUDIES = ("el", "relay", "soc", "pricing", "uc")
TEST_PROFILE = "test"


def results_dir(wd: Path, study: str | None = None, profile: str = TEST_PROFILE) -> Path:
    """Where a run in ``wd`` writes: ``results/<profile>/<study>`` (CONVENTIONS.md), or the profile root."""
    root = Path(wd) / "results" / profile
    return root / study if study else root


@pytest.fixture(scope="session")
def pipeline_run(tmp_path_factory):
    """``pipeline_run("el")`` returns a working directory where the tiny test config has run.

    By default one run of *all* studies serves every caller (as a user runs it, and so the DAG
    tests see several studies); ``only=True`` runs exactly the given studies. Each run happens once
    per test session, shared across pytest-xdist workers through a file lock. With --keep-going a
    broken study fails only the tests that ask for it, with its log.
    """
    from filelock import FileLock

    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # shared by all workers of this session

    def run(*studies: str, only: bool = False) -> Path:
        chosen = sorted(studies) if only else list(ALL_STUDIES)
        key = "_".join(chosen)
        wd = base / f"e2e_{key}"
        with FileLock(str(base / f"e2e_{key}.lock")):
            if not (wd / ".done").exists():
                wd.mkdir(exist_ok=True)
                proc = run_snakemake(wd, "--cores", "2", "--keep-going",
                                     "--config", f"studies=[{','.join(chosen)}]", check=False)
                (wd / "snakemake.out").write_text(proc.stdout + proc.stderr)
                (wd / ".done").touch()
        out = (wd / "snakemake.out").read_text()
        failed = {s for s in studies if re.search(rf"Error in rule {s}_", out)}
        failed |= {s for s in studies if not (results_dir(wd, s) / "claims.csv").exists()}
        if failed:
            raise AssertionError(f"tiny pipeline failed for {sorted(failed)}:\n{out[-12000:]}")
        return wd

    return run


@pytest.fixture
def mlflow_store(tmp_path):
    """A fresh SQLite store with the five experiments, as rule mlflow_init creates it."""
    from energyrepro.tracking import init_store

    uri = f"sqlite:///{tmp_path}/mlflow.db"
    exp_json = tmp_path / "experiments.json"
    init_store(uri, ["el", "relay", "soc", "pricing", "uc"], exp_json)
    return uri, exp_json
