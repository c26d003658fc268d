"""The one MLflow helper every script uses.

Why it looks like this (measured with MLflow 3.x on SQLite): several processes that
create a fresh store at once corrupt its migrations, several that call
``set_experiment(name)`` at once may file runs under ``Default``, and many writers on
one file hit ``database is locked``.  So:

* :func:`init_store` runs once, in one upstream rule, under a file lock: it creates
  the store and one experiment per study and writes their ids to a JSON file;
* jobs open runs by experiment *id* read from that file (never by name);
* every client call is retried on transient lock / connection errors;
* metrics are buffered and sent with ``log_batch``.

Each job writes ``results/<study>/runs/<job>.json`` so a result file traces to its run.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import random
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping, TypeVar

from energyrepro.io import read_json, write_json

log = logging.getLogger(__name__)

DEFAULT_TRACKING_URI = "sqlite:///results/mlflow.db"
_T = TypeVar("_T")
_TRANSIENT = ("database is locked", "database table is locked", "OperationalError",
              "Connection refused", "Max retries exceeded", "temporarily unavailable",
              "could not connect", "deadlock", "QueuePool limit")  # the last: a server's DB pool, sent as HTTP 400


def tracking_uri(configured: str | None = None) -> str:
    """``MLFLOW_TRACKING_URI`` wins over the config, which wins over the embedded SQLite store."""
    return os.environ.get("MLFLOW_TRACKING_URI") or configured or DEFAULT_TRACKING_URI


def retry(fn: Callable[[], _T], attempts: int = 12, base_delay: float = 0.2) -> _T:
    """Call ``fn``, retrying with jittered exponential back-off on transient store errors."""
    for attempt in range(attempts):
        try:
            return fn()
        except Exception as exc:  # MLflow wraps SQLAlchemy / HTTP errors in several types
            if attempt == attempts - 1 or not any(s in repr(exc) for s in _TRANSIENT):
                raise
            delay = min(base_delay * 2**attempt, 5.0) * (0.5 + random.random())
            log.debug("transient tracking error (%s); retry %d in %.2fs", exc, attempt + 1, delay)
            time.sleep(delay)
    raise AssertionError("unreachable")


def _client(uri: str):
    from mlflow.tracking import MlflowClient

    return MlflowClient(tracking_uri=uri)


def _artifact_root(uri: str) -> str | None:
    """For a local SQLite store keep artifacts beside it (``results/mlflow-artifacts``)."""
    if uri.startswith("sqlite:///"):
        db = Path(uri.removeprefix("sqlite:///"))
        return (db.parent / "mlflow-artifacts").resolve().as_uri()
    return None  # a tracking server decides


def _create_or_get_experiment(client, name: str, artifact_location: str | None) -> str:
    """Create ``name``; if another client (e.g. a second pipeline on the same server) won the race, use its id."""
    from mlflow.exceptions import MlflowException

    try:
        return retry(lambda: client.create_experiment(name, artifact_location=artifact_location))
    except MlflowException as exc:
        if "already exists" not in str(exc) and "RESOURCE_ALREADY_EXISTS" not in str(exc):
            raise
        return retry(lambda: client.get_experiment_by_name(name)).experiment_id


def init_store(uri: str, experiments: list[str], out_json: str | os.PathLike) -> dict[str, str]:
    """Create the store and one experiment per name, once; write ``{name: id}`` to ``out_json``."""
    from filelock import FileLock

    lock_dir = Path(uri.removeprefix("sqlite:///")).parent if uri.startswith("sqlite:///") else Path(out_json).parent
    lock_dir.mkdir(parents=True, exist_ok=True)
    with FileLock(str(lock_dir / ".mlflow-init.lock"), timeout=600):
        client = retry(lambda: _client(uri))
        ids: dict[str, str] = {}
        root = _artifact_root(uri)
        for name in experiments:
            exp = retry(lambda: client.get_experiment_by_name(name))
            if exp is None:
                ids[name] = _create_or_get_experiment(client, name, f"{root}/{name}" if root else None)
            else:
                ids[name] = exp.experiment_id
    write_json(out_json, {"tracking_uri": uri, "experiments": ids})
    return ids


def flatten(d: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    """Flatten a nested config slice to MLflow params (``a.b.c`` keys, values as text ≤ 6000 chars)."""
    out: dict[str, str] = {}
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, Mapping):
            out.update(flatten(v, key + "."))
        else:
            out[key] = (json.dumps(v) if isinstance(v, (list, tuple)) else str(v))[:6000]
    return out


def config_hash(cfg: Mapping[str, Any]) -> str:
    return hashlib.sha256(json.dumps(cfg, sort_keys=True, default=str).encode()).hexdigest()[:16]


def git_state(repo: str | os.PathLike | None = None) -> tuple[str, bool]:
    """(commit, dirty) of the checkout holding this package; ('unknown', True) outside git."""
    cwd = repo or Path(__file__).resolve().parent
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=cwd, capture_output=True,
                                text=True, check=True, timeout=10).stdout.strip()
        dirty = bool(subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=cwd,
                                    capture_output=True, text=True, check=True, timeout=10).stdout.strip())
        return commit, dirty
    except (OSError, subprocess.SubprocessError):
        return "unknown", True


@dataclass
class TrackedRun:
    """A live MLflow run: buffered metrics, tags, params and artifacts, all retried."""

    client: Any
    run_id: str
    experiment_id: str
    uri: str
    batch_size: int = 500
    _buffer: list = field(default_factory=list)

    def log_metrics(self, metrics: Mapping[str, float], step: int | None = None) -> None:
        from mlflow.entities import Metric

        ts = int(time.time() * 1000)
        for k, v in metrics.items():
            self._buffer.append(Metric(key=k, value=float(v), timestamp=ts, step=int(step or 0)))
        if len(self._buffer) >= self.batch_size:
            self.flush()

    def log_params(self, params: Mapping[str, Any]) -> None:
        from mlflow.entities import Param

        items = [Param(k, v) for k, v in flatten(params).items()]
        for i in range(0, len(items), 90):
            chunk = items[i:i + 90]
            retry(lambda: self.client.log_batch(self.run_id, params=chunk))

    def set_tags(self, tags: Mapping[str, Any]) -> None:
        from mlflow.entities import RunTag

        items = [RunTag(str(k), str(v)) for k, v in tags.items()]
        retry(lambda: self.client.log_batch(self.run_id, tags=items))

    def deviation(self, key: str, value: Any, why: str) -> None:
        """Record a departure from the paper's setting as tag ``deviation.<key>`` and in the log."""
        log.warning("DEVIATION %s=%s: %s", key, value, why)
        self.set_tags({f"deviation.{key}": value, f"deviation.{key}.why": why})

    def log_artifact(self, path: str | os.PathLike, artifact_path: str | None = None) -> None:
        retry(lambda: self.client.log_artifact(self.run_id, str(path), artifact_path))

    def flush(self) -> None:
        while self._buffer:
            chunk, self._buffer = self._buffer[:1000], self._buffer[1000:]
            retry(lambda: self.client.log_batch(self.run_id, metrics=chunk))


def read_experiments(experiments_json: str | os.PathLike) -> dict[str, Any]:
    path = Path(experiments_json)
    if not path.exists():
        raise FileNotFoundError(f"MLflow experiments file {path} is missing: run the mlflow_init rule first")
    return read_json(path)


@contextlib.contextmanager
def tracked_run(*, experiments_json: str | os.PathLike, study: str, run_name: str,
                run_json: str | os.PathLike, params: Mapping[str, Any] | None = None,
                tags: Mapping[str, Any] | None = None, seed: int | None = None,
                device: str = "cpu", profile: str = "quick", rule: str = "",
                wildcards: Mapping[str, Any] | None = None,
                config: Mapping[str, Any] | None = None) -> Iterator[TrackedRun]:
    """Open one MLflow run for a job; on success write ``run_json`` ({run_id, experiment_id, tracking_uri}).

    The run is marked FAILED (and no run JSON is written) if the block raises.
    """
    info = read_experiments(experiments_json)
    uri = tracking_uri(info.get("tracking_uri"))
    if study not in info["experiments"]:
        raise KeyError(f"no MLflow experiment for study {study!r} in {experiments_json}")
    exp_id = info["experiments"][study]
    client = retry(lambda: _client(uri))
    commit, dirty = git_state()
    all_tags = {
        "git_commit": commit, "git_dirty": str(dirty).lower(), "rule": rule,
        "wildcards": json.dumps(dict(wildcards or {}), sort_keys=True),
        "config_hash": config_hash(config or {}), "seed": "" if seed is None else seed,
        "device": device, "profile": profile, "study": study,
        "mlflow.runName": run_name,
    }
    all_tags.update(tags or {})
    run = retry(lambda: client.create_run(exp_id, run_name=run_name))
    tr = TrackedRun(client=client, run_id=run.info.run_id, experiment_id=exp_id, uri=uri)
    try:
        tr.set_tags(all_tags)
        p = dict(params or {})
        p.update({f"wildcard.{k}": v for k, v in (wildcards or {}).items()})
        if seed is not None:
            p.setdefault("seed", seed)
        tr.log_params(p)
        yield tr
        tr.flush()
        retry(lambda: client.set_terminated(tr.run_id, "FINISHED"))
    except BaseException:
        with contextlib.suppress(Exception):
            tr.flush()
            retry(lambda: client.set_terminated(tr.run_id, "FAILED"))
        raise
    write_json(run_json, {"run_id": tr.run_id, "experiment_id": exp_id, "tracking_uri": uri})


def attach_artifacts(run_json: str | os.PathLike, paths: list[str | os.PathLike],
                     artifact_path: str | None = None) -> str:
    """Log files (figures, tables drawn later by plot rules) to the run that produced their data."""
    info = read_json(run_json)
    client = retry(lambda: _client(tracking_uri(info.get("tracking_uri"))))
    for p in paths:
        retry(lambda: client.log_artifact(info["run_id"], str(p), artifact_path))
    return info["run_id"]


def job_run(sm: Any, study: str, run_name: str, *, run_json: str | os.PathLike | None = None,
            extra_params: Mapping[str, Any] | None = None, tags: Mapping[str, Any] | None = None,
            seed: int | None = None, device: str = "cpu"):
    """:func:`tracked_run` wired from a Snakemake job object (duck-typed, no Snakemake import).

    The experiments file is the job's input ending in ``mlflow/experiments.json``; the run-id file
    is output ``run`` unless given; params are the study's config slice plus ``extra_params``;
    rule, wildcards, seed (config seed unless given) and profile come from the job.
    """
    from energyrepro.config import study_slice

    experiments = next((str(f) for f in sm.input if str(f).endswith("mlflow/experiments.json")), None)
    if experiments is None:
        raise ValueError(f"rule {sm.rule} must take the MLflow experiments file (EXPERIMENTS) as an input")
    cfg = sm.config
    params = {**study_slice(cfg, study), **(extra_params or {})}
    return tracked_run(experiments_json=experiments, study=study, run_name=run_name,
                       run_json=sm.output.run if run_json is None else run_json, params=params, tags=tags,
                       seed=cfg["seed"] if seed is None else seed, device=device, profile=cfg["profile"],
                       rule=sm.rule, wildcards=dict(sm.wildcards), config=cfg)
