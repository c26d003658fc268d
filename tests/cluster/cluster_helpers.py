"""Shared checks of the scale-out tests: which studies, the tracking server, SLURM accounting, and
the comparison of a cluster run's results with a local run's.

The tests need running services (tools/cluster/with-services.sh, started by `make test-cluster` /
`make test-server`); without ENERGYREPRO_CLUSTER=1 they are skipped, so `make test` stays service-free.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SNAKEMAKE = str(Path(sys.executable).with_name("snakemake"))
ENABLED = os.environ.get("ENERGYREPRO_CLUSTER") == "1"
skip_unless_enabled = pytest.mark.skipif(
    not ENABLED, reason="scale-out test: needs services; run `make test-cluster` / `make test-server` "
                        "(they set ENERGYREPRO_CLUSTER=1)")


def studies() -> list[str]:
    """Studies the scale-out tests run: ENERGYREPRO_CLUSTER_STUDIES (comma or space separated), default el."""
    raw = os.environ.get("ENERGYREPRO_CLUSTER_STUDIES", "el")
    out = [s for s in re.split(r"[,\s]+", raw) if s]
    if not out:
        raise ValueError("ENERGYREPRO_CLUSTER_STUDIES is empty")
    return out


def server_uri(required: bool = True) -> str | None:
    uri = os.environ.get("ENERGYREPRO_SERVER_URI")
    if not uri and required:
        pytest.fail("ENERGYREPRO_SERVER_URI is not set: start the tracking server with "
                    "tools/cluster/with-services.sh --server (make test-server does)")
    return uri


def work_dir(tmp_path_factory, name: str) -> Path:
    """A fresh directory for one run: inside the services' state directory when there is one, so it is
    kept with the service logs after a failure and no other pytest session on the machine prunes it."""
    base = os.environ.get("ENERGYREPRO_SERVICES_DIR")
    if not base:
        return tmp_path_factory.mktemp(name)
    root = Path(base) / "runs"
    root.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f"{name}-", dir=root))


def tiny_run_cmd(workdir: Path, chosen: list[str], *extra: str, limit: int) -> list[str]:
    """The tiny config of ``chosen`` in ``workdir``, under ``timeout -k`` (a stuck run cannot hang CI)."""
    return ["timeout", "-k", "20", str(limit), SNAKEMAKE, "--snakefile", str(REPO / "Snakefile"),
            "--directory", str(workdir), "--configfile", str(REPO / "config" / "test.yaml"),
            "--config", f"studies=[{','.join(chosen)}]", *extra]


def start(cmd: list[str], log_path: Path, env: dict) -> subprocess.Popen:
    """Start ``cmd`` in its own session (so :func:`stop` can end all of it), output to ``log_path``."""
    with open(log_path, "w") as log:
        return subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, 9)
        proc.wait()


# ---------------------------------------------------------------- tracking server ----------------

def check_run_files_on_server(workdir: Path, uri: str, studies: list[str]) -> dict[str, int]:
    """Every ``results/<profile>/<study>/runs/<job>.json`` of ``workdir`` resolves on the server ``uri``: the run
    exists, sits in the experiment named after its study, FINISHED, with metrics and the job tags; each
    artifact downloads byte-identical to the result file of that name. Returns runs per study."""
    from mlflow.tracking import MlflowClient

    client = MlflowClient(tracking_uri=uri)
    run_files = sorted(Path(workdir, "results").glob("*/*/runs/*.json"))
    per_study = {s: 0 for s in studies}
    with_artifacts = {s: 0 for s in studies}
    errors: list[str] = []
    for rf in run_files:
        study = rf.parent.parent.name
        info = json.loads(rf.read_text())
        where = f"{rf.relative_to(workdir)} (run {info.get('run_id')})"
        if info.get("tracking_uri") != uri:
            errors.append(f"{where}: tracked to {info.get('tracking_uri')!r}, not the server {uri}")
            continue
        try:
            run = client.get_run(info["run_id"])
        except Exception as exc:  # noqa: BLE001 - report every unresolved run, not only the first
            errors.append(f"{where}: does not resolve on the server: {exc}")
            continue
        exp = client.get_experiment(run.info.experiment_id)
        if exp.name != study or run.info.experiment_id != info["experiment_id"]:
            errors.append(f"{where}: in experiment {exp.name!r} ({run.info.experiment_id}), "
                          f"expected {study!r} ({info['experiment_id']})")
        if run.info.status != "FINISHED":
            errors.append(f"{where}: status {run.info.status}")
        if not run.data.metrics:
            errors.append(f"{where}: no metrics on the server")
        missing = [t for t in ("git_commit", "rule", "seed", "profile", "config_hash") if t not in run.data.tags]
        if missing:
            errors.append(f"{where}: tags {missing} missing")
        n_art, art_errors = _check_artifacts(client, run.info.run_id, rf.parent.parent)
        errors += [f"{where}: {e}" for e in art_errors]
        per_study[study] = per_study.get(study, 0) + 1
        with_artifacts[study] = with_artifacts.get(study, 0) + (n_art > 0)
    for s in studies:
        if per_study.get(s, 0) == 0:
            errors.append(f"study {s}: no run-id files under {workdir}/results/*/{s}/runs")
        elif with_artifacts.get(s, 0) == 0:
            errors.append(f"study {s}: none of its runs has an artifact on the server")
    assert not errors, "tracking server check failed:\n  " + "\n  ".join(errors)
    return per_study


def _list_files(client, run_id: str, path: str | None = None) -> list[str]:
    out = []
    for a in client.list_artifacts(run_id, path):
        out += _list_files(client, run_id, a.path) if a.is_dir else [a.path]
    return out


def _check_artifacts(client, run_id: str, study_dir: Path) -> tuple[int, list[str]]:
    """Download each artifact of the run through the server; where the study's results hold exactly one
    file of that name (outside runs/ and logs/), the bytes must match it."""
    errors = []
    files = _list_files(client, run_id)
    with tempfile.TemporaryDirectory() as tmp:
        for path in files:
            local = Path(client.download_artifacts(run_id, path, tmp))
            if not local.is_file():
                errors.append(f"artifact {path} did not download")
                continue
            same_name = [p for p in study_dir.rglob(Path(path).name)
                         if p.is_file() and not {"runs", "logs"} & set(p.relative_to(study_dir).parts)]
            if len(same_name) == 1 and same_name[0].read_bytes() != local.read_bytes():
                errors.append(f"artifact {path} differs from {same_name[0]}")
    return len(files), errors


# ---------------------------------------------------------------- SLURM -------------------------

@dataclass
class JobSpec:
    rule: str
    threads: int = 1
    gpu: int = 0


@dataclass
class PlannedJobs:
    """What a Snakemake run printed: job count per rule, threads and GPUs per rule, the SLURM run id."""

    counts: dict[str, int] = field(default_factory=dict)
    specs: dict[str, JobSpec] = field(default_factory=dict)
    slurm_run_id: str | None = None


def parse_snakemake_log(text: str) -> PlannedJobs:
    out = PlannedJobs()
    m = re.search(r"Job stats:\n\s*job\s+count\n[-\s]+\n(.*?)\n\s*total\s+\d+", text, re.S)
    if not m:
        raise AssertionError("no 'Job stats' table in the Snakemake log:\n" + text[-3000:])
    for line in m.group(1).splitlines():
        rule, count = line.split()
        out.counts[rule] = int(count)
    for block in re.finditer(r"^(?:local)?rule (\w+):\n((?:    .*\n)+)", text, re.M):
        rule, body = block.group(1), block.group(2)
        threads = re.search(r"^\s+threads: (\d+)", body, re.M)
        gpu = re.search(r"\bgpu=(\d+)", body)
        out.specs[rule] = JobSpec(rule, int(threads.group(1)) if threads else 1, int(gpu.group(1)) if gpu else 0)
    uid = re.search(r"SLURM run ID: (\S+)", text)
    out.slurm_run_id = uid.group(1) if uid else None
    return out


@dataclass
class SlurmJob:
    job_id: str
    comment: str
    state: str
    exit_code: str
    workdir: str
    alloc_tres: str

    def tres(self, key: str) -> int:
        m = re.search(rf"(?:^|,){re.escape(key)}=(\d+)", self.alloc_tres)
        return int(m.group(1)) if m else 0


def sacct_jobs(job_name: str) -> list[SlurmJob]:
    """All allocations (no steps) that SLURM accounting holds for one Snakemake run (its job name)."""
    sacct = shutil.which("sacct") or "/usr/bin/sacct"
    cmd = [sacct, "-X", "-n", "-P", "-S", "2000-01-01", "--name", job_name,
           "-o", "JobID,Comment,State,ExitCode,WorkDir,AllocTRES"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, f"{' '.join(cmd)} failed: {proc.stderr}"
    jobs = []
    for line in proc.stdout.splitlines():
        if line.strip():
            jobs.append(SlurmJob(*line.split("|", 5)))
    return jobs


def comment_rule(comment: str, rules) -> str | None:
    """The rule a job comment (``rule_<name>`` or ``rule_<name>_wildcards_<...>``) names."""
    for rule in sorted(rules, key=len, reverse=True):
        if comment == f"rule_{rule}" or comment.startswith(f"rule_{rule}_wildcards_"):
            return rule
    return None


# ---------------------------------------------------------------- comparing results -------------

# Run bookkeeping that differs between any two runs by design: MLflow stores and run ids, logs, timings.
SKIP_PARTS = {"runs", "logs", "benchmarks", "mlflow", "mlflow-artifacts", ".snakemake"}
SKIP_NAMES = re.compile(r"^(mlflow\.db.*|benchmarks\.csv|report.*\.(zip|html))$")
TEXT_SUFFIXES = {".csv", ".tsv", ".json", ".md", ".txt", ".yaml", ".yml", ".html", ".svg", ".rst"}
RUN_ID = re.compile(r"\b[0-9a-f]{32}\b")
URI = re.compile(r"(sqlite:///[^\s,\"']*|https?://127\.0\.0\.1:\d+)")
COMMIT = re.compile(r"(commit\W{0,3})[0-9a-f]{7,40}\b")  # provenance, may move between two runs


def result_files(root: Path) -> dict[str, Path]:
    out = {}
    for p in Path(root, "results").rglob("*"):
        rel = p.relative_to(root)
        if (p.is_file() and not SKIP_PARTS & set(rel.parts[1:-1]) and not SKIP_NAMES.match(p.name)
                and not p.name.startswith(".")):  # locks, partial files
            out[str(rel)] = p
    return out


def _normalise_text(text: str, root: Path) -> str:
    text = text.replace(str(root.resolve()), "<WORKDIR>").replace(str(root), "<WORKDIR>")
    text = COMMIT.sub(r"\1<COMMIT>", RUN_ID.sub("<RUN_ID>", text))
    return URI.sub("<TRACKING_URI>", text)


def _same(a: Path, b: Path, root_a: Path, root_b: Path) -> bool:
    if a.read_bytes() == b.read_bytes():
        return True
    suffix = a.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return (_normalise_text(a.read_text(errors="replace"), root_a)
                == _normalise_text(b.read_text(errors="replace"), root_b))
    if suffix == ".npz":  # zip members carry write times
        import numpy as np

        with np.load(a, allow_pickle=False) as x, np.load(b, allow_pickle=False) as y:
            return set(x.files) == set(y.files) and all(
                x[k].shape == y[k].shape and np.array_equal(x[k], y[k], equal_nan=x[k].dtype.kind in "fc")
                for k in x.files)
    if suffix == ".png":  # same pixels, metadata aside
        import numpy as np
        from PIL import Image

        with Image.open(a) as x, Image.open(b) as y:
            return x.size == y.size and np.array_equal(np.asarray(x.convert("RGBA")), np.asarray(y.convert("RGBA")))
    if suffix in {".pt", ".pth"}:  # torch zip archives are named after the (temporary) file
        import torch

        return _tensors_equal(torch.load(a, map_location="cpu", weights_only=True),
                              torch.load(b, map_location="cpu", weights_only=True))
    if suffix == ".pdf":  # creation dates aside
        strip = re.compile(rb"/(CreationDate|ModDate) \(D:[^)]*\)")
        return strip.sub(b"", a.read_bytes()) == strip.sub(b"", b.read_bytes())
    return False


def _tensors_equal(x, y) -> bool:
    import torch

    if isinstance(x, torch.Tensor) and isinstance(y, torch.Tensor):
        return x.shape == y.shape and x.dtype == y.dtype and torch.equal(x, y)
    if isinstance(x, dict) and isinstance(y, dict):
        return x.keys() == y.keys() and all(_tensors_equal(x[k], y[k]) for k in x)
    if isinstance(x, (list, tuple)) and isinstance(y, (list, tuple)):
        return len(x) == len(y) and all(_tensors_equal(i, j) for i, j in zip(x, y))
    return x == y


def compare_results(root_a: Path, root_b: Path) -> tuple[list[str], list[str]]:
    """(compared files, differences) between two working directories' results/ trees."""
    a, b = result_files(root_a), result_files(root_b)
    diffs = [f"only in {root_a}: {k}" for k in sorted(a.keys() - b.keys())]
    diffs += [f"only in {root_b}: {k}" for k in sorted(b.keys() - a.keys())]
    common = sorted(a.keys() & b.keys())
    diffs += [f"differs: {k}" for k in common if not _same(a[k], b[k], root_a, root_b)]
    return common, diffs
