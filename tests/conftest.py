"""Shared fixtures: a fresh MLflow store, and tiny end-to-end pipeline runs in temporary folders.

Two environment variables serve the edit-test loop (both unset in CI):
``ENERGYREPRO_TEST_STUDIES=uc,pricing`` narrows the shared tiny run to those studies (tests that need another
study are skipped, saying so); ``ENERGYREPRO_E2E_DIR=/some/dir`` keeps the tiny runs there across pytest
sessions instead of in the session's temporary folder (delete a run's ``.done`` file to redo it).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SNAKEMAKE = str(Path(sys.executable).with_name("snakemake"))
SHARED = REPO.parent / "shared"


def snakemake_cmd(workdir: Path, *args: str, configfile: str = "config/test.yaml") -> list[str]:
    """The command line that runs the repo's Snakefile in ``workdir`` (for tests that start it themselves).

    The work folder gets a link to the repo's ``published/`` (committed results a config may name by a path
    relative to the working directory, e.g. paper.yaml's ``el.precomputed``), as a checkout has.
    """
    link = Path(workdir) / "published"
    if not link.exists() and not link.is_symlink():
        Path(workdir).mkdir(parents=True, exist_ok=True)
        link.symlink_to(REPO / "published", target_is_directory=True)
    return [SNAKEMAKE, "--snakefile", str(REPO / "Snakefile"), "--directory", str(workdir),
            "--configfile", str(REPO / configfile), *args]


def snakemake_env() -> dict[str, str]:
    """The environment of a test's Snakemake: the run's own store, never a tracking URI set outside."""
    return {k: v for k, v in os.environ.items() if k != "MLFLOW_TRACKING_URI"}


def run_snakemake(workdir: Path, *args: str, configfile: str = "config/test.yaml",
                  check: bool = True, timeout: int = 900) -> subprocess.CompletedProcess:
    """Run the repo's Snakefile with ``workdir`` as working directory (results/ lands there)."""
    env = snakemake_env()
    cmd = snakemake_cmd(workdir, *args, configfile=configfile)
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout)
    if check and proc.returncode != 0:
        raise AssertionError(f"snakemake failed ({proc.returncode}): {' '.join(cmd)}\n"
                             f"{proc.stdout[-4000:]}\n{proc.stderr[-8000:]}")
    return proc


def scheduled_jobs(dry_run_output: str) -> dict[str, int]:
    """Job counts per rule from the 'Job stats' table of a dry run (empty when there is nothing to do)."""
    if "Job stats:" not in dry_run_output:
        if "Nothing to be done" not in dry_run_output:
            raise AssertionError(f"not a dry run's output:\n{dry_run_output[-3000:]}")
        return {}
    table = dry_run_output.split("Job stats:")[1].split("\n\n")[0]
    return {m.group(1): int(m.group(2)) for m in re.finditer(r"^(\w+)\s+(\d+)$", table, re.M)
            if m.group(1) != "total"}


ALL_STUDIES = ("el", "relay", "soc", "pricing", "uc")
TEST_PROFILE = "test"


def selected_studies() -> tuple[str, ...]:
    """The studies of the shared tiny run: all five, or those named in ENERGYREPRO_TEST_STUDIES."""
    chosen = [s.strip() for s in os.environ.get("ENERGYREPRO_TEST_STUDIES", "").split(",") if s.strip()]
    unknown = set(chosen) - set(ALL_STUDIES)
    if unknown:
        raise ValueError(f"ENERGYREPRO_TEST_STUDIES names unknown studies {sorted(unknown)}")
    return tuple(s for s in ALL_STUDIES if s in chosen) or ALL_STUDIES


def copy_run(wd: Path, dest: Path) -> Path:
    """A private copy of a finished run (results and Snakemake's metadata) for a test that changes it."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("results", ".snakemake"):
        if (wd / name).exists():
            shutil.copytree(wd / name, dest / name, symlinks=True,
                            ignore=shutil.ignore_patterns("locks", "log", "conda", "singularity"))
    return dest


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
    if os.environ.get("ENERGYREPRO_E2E_DIR"):
        base = Path(os.environ["ENERGYREPRO_E2E_DIR"]).resolve()
        base.mkdir(parents=True, exist_ok=True)

    def run(*studies: str, only: bool = False) -> Path:
        chosen = sorted(studies) if only else list(selected_studies())
        if not only and set(studies) - set(chosen):
            pytest.skip(f"ENERGYREPRO_TEST_STUDIES leaves out {sorted(set(studies) - set(chosen))}")
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
