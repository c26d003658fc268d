"""Results computed on another machine (a GPU) and imported by the pipeline: one provenance check for all.

A study's GPU script records the config slice it ran, the config seed and a digest of its inputs in its
``meta.json``; the importing job refuses results that do not belong to this run, naming what differs, so an
imported number is never silently stale.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any, Iterable, Mapping


class PrecomputedError(RuntimeError):
    """Precomputed results that do not belong to this config or these inputs; the message says what differs."""


def slice_hash(study: str, config: Mapping[str, Any], seed: int) -> str:
    """SHA-256 (16 hex digits) of a study's result slice and the config seed."""
    text = json.dumps({study: dict(config), "seed": int(seed)}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def require_files(study: str, folder: str | os.PathLike, names: Iterable[str]) -> Path:
    """The folder, once every expected file is in it; a missing one is named."""
    folder = Path(folder)
    for name in names:
        if not (folder / name).is_file():
            raise PrecomputedError(f"{study}.precomputed: {folder / name} does not exist")
    return folder


def _flat(d: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in d.items():
        if isinstance(v, Mapping):
            out.update(_flat(v, f"{prefix}{k}."))
        else:
            out[f"{prefix}{k}"] = v
    return out


def check_provenance(study: str, meta: Mapping[str, Any], ours: Mapping[str, Any], theirs: Mapping[str, Any],
                     seed: int, input_digest: str, *, inputs: str, script: str) -> None:
    """Raise :class:`PrecomputedError` unless the precomputed results were made from ``ours`` (the config slice
    that decides them), this seed and these inputs (``inputs`` names them in the message)."""
    a, b = _flat(json.loads(json.dumps(ours))), _flat(json.loads(json.dumps(theirs)))
    differing = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
    if differing:
        detail = ", ".join(f"{study}.{k}: here {a.get(k)!r}, precomputed {b.get(k)!r}" for k in differing)
        raise PrecomputedError(f"{study}.precomputed was computed with other settings ({detail}); rerun {script} "
                               f"with this config or unset {study}.precomputed")
    if int(meta["seed"]) != int(seed):
        raise PrecomputedError(f"{study}.precomputed was computed with seed {meta['seed']}, this run's seed is {seed}")
    if meta["input_digest"] != input_digest:
        raise PrecomputedError(f"{study}.precomputed was computed from other {inputs} (input digest "
                               f"{meta['input_digest']}, here {input_digest})")
