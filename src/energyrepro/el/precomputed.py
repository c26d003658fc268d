"""Sweep results computed elsewhere (the GPU script ``tools/gpu/el_paper.py``) and their checked import.

The paper-scale sweep (18 runs of 50 epochs on 1,964 images at 224 px) needs a GPU that the pipeline's
machine may not have. The GPU script trains with this package's own code and writes two files:

* ``histories.csv``: one row per (protocol, rep, learning_rate, epoch) with ``train.HISTORY_COLUMNS``;
* ``meta.json``: the result-determining config slice it ran (:data:`RESULT_KEYS`) and the config seed,
  the digest of its input cells, one entry per finished run (with the digest of its image list), the
  git commit, torch version, device name and precision.

With ``el.precomputed`` set, each training job reads its runs from there instead of training, after
:func:`check` has confirmed that they were made from this config and these cells. Importable without
MLflow or Snakemake (it runs on the GPU machine too).
"""

from __future__ import annotations

import json
import os
from typing import Any, Mapping

import pandas as pd

from energyrepro import precomputed as shared
from energyrepro.precomputed import PrecomputedError, check_provenance, require_files

HISTORIES = "histories.csv"
META = "meta.json"
RUN_KEYS = ["protocol", "rep", "learning_rate"]
# The el settings that decide what the training jobs compute (claims-only keys are not among them).
RESULT_KEYS = ("cell_types", "label_levels", "labels_csv", "originals_per_class", "images_per_class",
               "val_fraction", "protocols", "weights", "input_size", "batch_size", "learning_rates", "epochs",
               "seeds", "head_lr_factor", "momentum", "weight_decay")


def result_slice(cfg: Mapping[str, Any]) -> dict[str, Any]:
    """The part of the el config that determines the trained results."""
    return {k: cfg[k] for k in RESULT_KEYS}


def slice_hash(config: Mapping[str, Any], seed: int) -> str:
    """SHA-256 (16 hex digits) of a result slice and the config seed."""
    return shared.slice_hash("el", config, seed)


def lr_key(lr: float) -> str:
    return f"{float(lr):g}"


def read(folder: str | os.PathLike) -> tuple[pd.DataFrame, dict[str, Any]]:
    """(histories, meta) of a precomputed folder; a missing file is named."""
    folder = require_files("el", folder, (HISTORIES, META))
    meta = json.loads((folder / META).read_text(encoding="utf-8"))
    return pd.read_csv(folder / HISTORIES), meta


def check(meta: Mapping[str, Any], cfg: Mapping[str, Any], seed: int, input_digest: str) -> None:
    """Raise :class:`PrecomputedError` unless ``meta`` was computed from this config slice, seed and input."""
    check_provenance("el", meta, result_slice(cfg), meta["config"], seed, input_digest,
                     inputs="cells: the ELPV selection or its files differ", script="tools/gpu/el_paper.py")


def run_entry(meta: Mapping[str, Any], protocol: str, rep: int, lr: float) -> dict[str, Any]:
    """The meta entry of one finished run; a run the GPU job did not finish is named."""
    for r in meta["runs"]:
        if r["protocol"] == protocol and int(r["rep"]) == int(rep) and lr_key(r["learning_rate"]) == lr_key(lr):
            return dict(r)
    raise PrecomputedError(f"el.precomputed has no finished run for protocol {protocol}, rep {rep}, lr {lr_key(lr)} "
                           "(the GPU job stopped early?)")


def history(histories: pd.DataFrame, protocol: str, rep: int, lr: float) -> pd.DataFrame:
    """One run's per-epoch rows, without the run keys."""
    sel = histories[(histories["protocol"] == protocol) & (histories["rep"] == int(rep))
                    & (histories["learning_rate"].map(lr_key) == lr_key(lr))]
    return sel.drop(columns=RUN_KEYS).sort_values("epoch").reset_index(drop=True)


def load_job(folder: str | os.PathLike, cfg: Mapping[str, Any], seed: int, input_digest: str,
             images: pd.DataFrame, protocol: str, rep: int,
             learning_rates: list[float]) -> tuple[dict[float, pd.DataFrame], dict[str, Any]]:
    """The histories of one training job (protocol, rep: every learning rate) from a precomputed folder, after
    checking the config slice, seed and input digest, and that each run saw the image list drawn here."""
    from energyrepro.el.data import images_digest

    histories, meta = read(folder)
    check(meta, cfg, seed, input_digest)
    ours = images_digest(images)
    out = {}
    for lr in learning_rates:
        entry = run_entry(meta, protocol, rep, lr)
        if entry["images_digest"] != ours:
            raise PrecomputedError(f"el.precomputed run {protocol}/rep {rep}/lr {lr_key(lr)} saw another image list "
                                   f"(digest {entry['images_digest']}, here {ours}): the augmentation or split code "
                                   "changed since it was computed")
        out[lr] = history(histories, protocol, rep, lr)
    return out, meta
