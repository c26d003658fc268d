"""The one MLflow helper every script uses.

Why it looks like this (measured with MLflow 3.x on SQLite): several processes that
create a fresh store at once corrupt its migrations, several that call
``set_experiment(name)`` at once may file runs under ``Default``, and many writers on
one file hit ``database is locked``.  So:

* :func:`init_store` runs once per profile, in one upstream rule, under a file lock: it
  creates the store, one experiment per study (tagged so MLflow 3 opens it on its runs
  table) and one grouping (parent) run per study and profile, and writes their ids to a JSON file;
* jobs open runs by experiment *id* read from that file (never by name);
* every client call is retried on transient lock / connection errors;
* metrics are buffered and sent with ``log_batch``.

A job's run carries MLflow's own source tags beside ours and closes, as KILLED, any run of the
same job that a killed pipeline left RUNNING. Each job writes ``results/<profile>/<study>/runs/<job>.json``
so a result file traces to its run. :func:`relocate_artifacts` keeps a moved results folder readable.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import random
import re
import subprocess
import sys
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
    """For a local SQLite store keep artifacts beside it (``<store dir>/mlflow-artifacts``)."""
    if uri.startswith("sqlite:///"):
        db = Path(uri.removeprefix("sqlite:///"))
        return (db.parent / "mlflow-artifacts").resolve().as_uri()
    return None  # a tracking server decides


EXPERIMENT_TAGS = {"mlflow.experimentKind": "custom_model_development"}
"""MLflow 3 opens an experiment of this kind on its runs table, not on the GenAI traces overview."""


def _create_or_get_experiment(client, name: str, artifact_location: str | None) -> str:
    """Create ``name``; if another client (e.g. a second pipeline on the same server) won the race, use its id."""
    from mlflow.exceptions import MlflowException

    try:
        return retry(lambda: client.create_experiment(name, artifact_location=artifact_location,
                                                      tags=EXPERIMENT_TAGS))
    except MlflowException as exc:
        if "already exists" not in str(exc) and "RESOURCE_ALREADY_EXISTS" not in str(exc):
            raise
        return retry(lambda: client.get_experiment_by_name(name)).experiment_id


def _parent_run(client, exp_id: str, profile: str, study: str) -> str:
    """The run that groups every job of ``study`` at ``profile`` in the UI (created once, then reused)."""
    key = f"{profile}/{study}"
    found = retry(lambda: client.search_runs([exp_id], f"tags.energyrepro_group = '{key}' "
                                             "and tags.energyrepro_parent = 'true'", max_results=1))
    if found:
        return found[0].info.run_id
    run = retry(lambda: client.create_run(exp_id, run_name=f"{study} ({profile} profile)",
                                          tags={"energyrepro_group": key, "energyrepro_parent": "true",
                                                "profile": profile, "study": study}))
    retry(lambda: client.set_terminated(run.info.run_id, "FINISHED"))
    return run.info.run_id


def init_store(uri: str, experiments: list[str], out_json: str | os.PathLike,
               profile: str = "quick") -> dict[str, str]:
    """Create the store, one experiment per study and one grouping run per (profile, study), once.

    Writes ``{"tracking_uri", "experiments": {study: id}, "parents": {study: run id}, "profile"}`` to ``out_json``.
    """
    from filelock import FileLock

    lock_dir = Path(uri.removeprefix("sqlite:///")).parent if uri.startswith("sqlite:///") else Path(out_json).parent
    lock_dir.mkdir(parents=True, exist_ok=True)
    with FileLock(str(lock_dir / ".mlflow-init.lock"), timeout=600):
        client = retry(lambda: _client(uri))
        ids: dict[str, str] = {}
        parents: dict[str, str] = {}
        root = _artifact_root(uri)
        for name in experiments:
            exp = retry(lambda: client.get_experiment_by_name(name))
            if exp is None:
                ids[name] = _create_or_get_experiment(client, name, f"{root}/{name}" if root else None)
            else:
                ids[name] = exp.experiment_id
                for k, v in EXPERIMENT_TAGS.items():  # stores made before the tag existed
                    if exp.tags.get(k) != v:
                        retry(lambda: client.set_experiment_tag(exp.experiment_id, k, v))
            parents[name] = _parent_run(client, ids[name], profile, name)
    write_json(out_json, {"tracking_uri": uri, "experiments": ids, "parents": parents, "profile": profile})
    return ids


def relocate_artifacts(db_path: str | os.PathLike) -> int:
    """Point a SQLite store's artifact locations at ``<db dir>/mlflow-artifacts`` after its folder moved.

    MLflow stores absolute artifact URIs; a results folder that is moved, archived or shared keeps its
    artifacts readable once this has run (``make mlflow-ui`` runs it first). Returns the rows changed.
    """
    import sqlite3

    db = Path(db_path).resolve()
    if not db.exists():
        raise FileNotFoundError(f"MLflow store {db} does not exist")
    new_root = (db.parent / "mlflow-artifacts").as_uri()
    changed = 0
    with contextlib.closing(sqlite3.connect(db)) as con, con:
        for table, col, key in (("experiments", "artifact_location", "experiment_id"),
                                ("runs", "artifact_uri", "run_uuid")):
            for row_id, uri in con.execute(f"SELECT {key}, {col} FROM {table}").fetchall():
                if not uri or "/mlflow-artifacts/" not in uri or uri.startswith(new_root + "/"):
                    continue
                moved = new_root + "/" + uri.split("/mlflow-artifacts/", 1)[1]
                con.execute(f"UPDATE {table} SET {col} = ? WHERE {key} = ?", (moved, row_id))
                changed += 1
    return changed


def file_digest(paths: list[str | os.PathLike] | str | os.PathLike, chunk: int = 1 << 20) -> str:
    """SHA-256 over the bytes of ``paths`` (in the given order), first 16 hex digits: what a run's data was."""
    h = hashlib.sha256()
    for p in [paths] if isinstance(paths, (str, os.PathLike)) else paths:
        with open(p, "rb") as fh:
            while block := fh.read(chunk):
                h.update(block)
    return h.hexdigest()[:16]


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
        self.deviations([(key, value, why)])

    def deviations(self, items: list[tuple[str, Any, str]]) -> None:
        """Record every (key, value, why) of a study's ``paper.deviations(cfg)`` as ``deviation.*`` tags."""
        tags = {}
        for key, value, why in items:
            log.warning("DEVIATION %s=%s: %s", key, value, why)
            tags.update({f"deviation.{key}": value, f"deviation.{key}.why": why})
        if tags:
            self.set_tags(tags)

    def log_input(self, name: str, data: list[str | os.PathLike] | str | os.PathLike, *,
                  digest: str | None = None, context: str = "training") -> str:
        """Log the data this run saw as an MLflow dataset input (the UI's Dataset column); returns its digest.

        ``data`` is the file(s) read (digest = SHA-256 of their bytes) or, with ``digest`` given, a
        description of the source (e.g. a package data set and the subset chosen).
        """
        from mlflow.data.meta_dataset import MetaDataset
        from mlflow.data.sources import LocalArtifactDatasetSource
        from mlflow.entities import DatasetInput, InputTag

        paths = [data] if isinstance(data, (str, os.PathLike)) else list(data)
        digest = digest or file_digest(paths)
        source = LocalArtifactDatasetSource(str(paths[0]) if len(paths) == 1 else os.path.commonpath(
            [str(Path(p).resolve()) for p in paths]))
        ds = MetaDataset(source=source, name=name, digest=digest)
        entity = DatasetInput(ds._to_mlflow_entity(), tags=[InputTag("mlflow.data.context", context)])
        retry(lambda: self.client.log_inputs(self.run_id, datasets=[entity]))
        return digest

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


def _close_predecessors(client, exp_id: str, job_key: str) -> int:
    """Mark runs of the same job left RUNNING by a killed pipeline as KILLED (a resumed job calls this)."""
    stale = retry(lambda: client.search_runs([exp_id], f"tags.energyrepro_job = '{job_key}' "
                                             "and attributes.status = 'RUNNING'", max_results=100))
    for r in stale:
        retry(lambda: client.set_terminated(r.info.run_id, "KILLED"))
        log.warning("closed run %s of an interrupted earlier attempt of this job as KILLED", r.info.run_id)
    return len(stale)


def _terminate_on_sigterm() -> None:
    """Turn SIGTERM (Snakemake cancelling a job, SLURM's scancel) into SystemExit so the run is closed as KILLED."""
    import signal
    import threading

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))


def _source_name() -> str:
    """The entry point's path as the repository names it (Snakemake runs a temporary copy ``tmpXXXX.<name>``)."""
    main = sys.modules.get("__main__")
    path = Path(getattr(main, "__file__", "") or sys.argv[0] or "unknown")
    name = re.sub(r"^tmp[^.]*\.", "", path.name)
    try:
        return str(path.resolve().relative_to(Path(__file__).resolve().parents[2]))
    except ValueError:
        return name


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
    job_key = f"{profile}/{rule}/" + json.dumps(dict(wildcards or {}), sort_keys=True)
    all_tags = {
        "git_commit": commit, "git_dirty": str(dirty).lower(), "rule": rule,
        "wildcards": json.dumps(dict(wildcards or {}), sort_keys=True),
        "config_hash": config_hash(config or {}), "seed": "" if seed is None else seed,
        "device": device, "profile": profile, "study": study, "energyrepro_job": job_key,
        "energyrepro_group": f"{profile}/{study}",
        "mlflow.runName": run_name, "mlflow.source.name": _source_name(), "mlflow.source.type": "JOB",
        "mlflow.source.git.commit": commit,
    }
    if info.get("parents", {}).get(study):
        all_tags["mlflow.parentRunId"] = info["parents"][study]
    all_tags.update(tags or {})
    _close_predecessors(client, exp_id, job_key)
    _terminate_on_sigterm()
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
    except BaseException as exc:
        status = "KILLED" if isinstance(exc, (KeyboardInterrupt, SystemExit)) else "FAILED"
        with contextlib.suppress(Exception):
            tr.flush()
            retry(lambda: client.set_terminated(tr.run_id, status))
        raise
    write_json(run_json, {"run_id": tr.run_id, "experiment_id": exp_id, "tracking_uri": uri})


def _attach(run_id: str, uri: str | None, paths: list[str | os.PathLike], artifact_path: str | None,
            source: str) -> str | None:
    from mlflow.exceptions import MlflowException

    client = retry(lambda: _client(tracking_uri(uri)))
    try:
        retry(lambda: client.get_run(run_id))
    except MlflowException as exc:
        if "RESOURCE_DOES_NOT_EXIST" not in str(exc) and "not found" not in str(exc).lower():
            raise
        log.warning("run %s (from %s) is not in this MLflow store, e.g. results published from another "
                    "machine: figures are written but not attached to it", run_id, source)
        return None
    for p in paths:
        retry(lambda: client.log_artifact(run_id, str(p), artifact_path))
    return run_id


def attach_artifacts(run_json: str | os.PathLike, paths: list[str | os.PathLike],
                     artifact_path: str | None = None) -> str | None:
    """Log files (figures, tables drawn later by plot rules) to the run that produced their data.

    Figures redrawn from published results (``make figures`` on a fresh clone) have no producing run in the
    local store: they are then not attached, with a warning naming the run, and None is returned.
    """
    info = read_json(run_json)
    return _attach(info["run_id"], info.get("tracking_uri"), paths, artifact_path, str(run_json))


def attach_to_study(experiments_json: str | os.PathLike, study: str, paths: list[str | os.PathLike],
                    artifact_path: str | None = None) -> str | None:
    """Log study-level files (tables over every run of a study) to the study's grouping run of the profile."""
    info = read_experiments(experiments_json)
    parent = info.get("parents", {}).get(study)
    if parent is None:
        raise KeyError(f"{experiments_json} has no grouping run for study {study!r}: re-run mlflow_init")
    return _attach(parent, info.get("tracking_uri"), paths, artifact_path, str(experiments_json))


def job_run(sm: Any, study: str, run_name: str, *, run_json: str | os.PathLike | None = None,
            extra_params: Mapping[str, Any] | None = None, tags: Mapping[str, Any] | None = None,
            seed: int | None = None, device: str = "cpu"):
    """:func:`tracked_run` wired from a Snakemake job object (duck-typed, no Snakemake import).

    Everything comes from what the rule declares, never from the global config: the experiments file is the
    job's input ending in ``mlflow/experiments.json``; the run-id file is output ``run`` unless given; params
    are ``params.cfg`` (the config slice the job reads) plus ``extra_params``; the profile is ``params.profile``;
    the seed is ``seed`` or else ``params.seed`` when the rule passes one.
    """
    experiments = next((str(f) for f in sm.input if str(f).endswith("mlflow/experiments.json")), None)
    if experiments is None:
        raise ValueError(f"rule {sm.rule} must take the MLflow experiments file (EXPERIMENTS) as an input")
    profile = getattr(sm.params, "profile", None)
    if profile is None:
        raise ValueError(f"rule {sm.rule} must pass params.profile (PROFILE) to a tracked job")
    cfg = getattr(sm.params, "cfg", None) or {}
    seed = getattr(sm.params, "seed", None) if seed is None else seed
    params = {**({"cfg": cfg} if not isinstance(cfg, Mapping) else cfg), **(extra_params or {})}
    return tracked_run(experiments_json=experiments, study=study, run_name=run_name,
                       run_json=sm.output.run if run_json is None else run_json, params=params, tags=tags,
                       seed=seed, device=device, profile=profile, rule=sm.rule, wildcards=dict(sm.wildcards),
                       config={"cfg": cfg, "seed": seed})


def main(argv: list[str] | None = None) -> None:
    """``python -m energyrepro.tracking relocate results/mlflow.db`` (run by `make mlflow-ui`)."""
    import argparse

    ap = argparse.ArgumentParser(prog="python -m energyrepro.tracking")
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("relocate", help="repoint a moved SQLite store at <its folder>/mlflow-artifacts")
    r.add_argument("db")
    args = ap.parse_args(argv)
    if Path(args.db).exists():
        print(f"{args.db}: {relocate_artifacts(args.db)} artifact locations repointed")
    else:
        print(f"{args.db} does not exist yet: run the pipeline first")


if __name__ == "__main__":
    main()
