"""Training runs computed elsewhere (the GPU script ``tools/gpu/soc_paper.py``) and their checked import.

The paper profile's 300-unit networks (``lstm-h300``, ``cnnlstm-h300``: about 3 h on 2 CPU cores at the
paper's batch of 10) are trained on a GPU with this package's own :func:`energyrepro.soc.evaluate.run_unit`
and :func:`~energyrepro.soc.evaluate.tune_unit`. The script writes three files into its output folder:

* ``runs.jsonl``: one JSON object per finished unit, ``{"unit": "run", **record}`` for a training run
  (the record of :func:`~energyrepro.soc.evaluate.run_unit`, with its per-epoch history) and
  ``{"unit": "tune", dataset, method, protocol, lr, grid}`` for a learning-rate choice;
* ``predictions.npz``: the test predictions of every finished run, ``<dataset>/<method>/<setting>/<protocol>/s<k>/pred``
  (the labels and window positions are rebuilt from the cycles on import and checked against ``y_digest``);
* ``meta.json``: the config slice it ran (:func:`result_slice`) with the config seed and its hash, the digest
  of the input cycles, the git commit, torch version, device name, and which units finished.

With ``soc.precomputed`` set, the pipeline's import rule reads a (dataset, model, setting) from there instead
of training, after :func:`check` has confirmed that it was made from this config and these cycles.
Importable without MLflow or Snakemake (it runs on the GPU machine too).
"""

from __future__ import annotations

import hashlib
import json
import os
from typing import Any, Mapping

import numpy as np

from energyrepro import precomputed as shared
from energyrepro.precomputed import PrecomputedError, check_provenance, require_files

RUNS = "runs.jsonl"
PREDICTIONS = "predictions.npz"
META = "meta.json"
# the soc settings that decide what a training run computes (the model list and settings list only choose
# which runs exist; the data settings are covered by the digest of the measured cycles)
RESULT_KEYS = ("datasets", "heldout_cycles", "protocols", "features", "train", "tuned")


def result_slice(cfg: Mapping[str, Any]) -> dict[str, Any]:
    """The part of the soc config that determines the trained results."""
    return json.loads(json.dumps({k: cfg[k] for k in RESULT_KEYS}))


def slice_hash(config: Mapping[str, Any], seed: int) -> str:
    """SHA-256 (16 hex digits) of a result slice and the config seed."""
    return shared.slice_hash("soc", config, seed)


CYCLE_COLUMNS = ("time_s", "voltage_meas", "current_meas", "temperature_meas", "soc")


def cycles_digest(cycles: Mapping[str, Any]) -> str:
    """SHA-256 over every cycle's name and the float64 values of the columns training reads (name order).

    Computed from the values, not the file bytes, so an extra column or another CSV writer does not change it.
    """
    h = hashlib.sha256()
    for name in sorted(cycles):
        h.update(name.encode() + b"\0")
        for col in CYCLE_COLUMNS:
            h.update(np.ascontiguousarray(cycles[name][col].to_numpy(np.float64)).tobytes())
    return h.hexdigest()


def array_digest(a: np.ndarray) -> str:
    """Digest of a label vector, to check that a rebuilt split is the one the precomputed run tested on."""
    return hashlib.sha256(np.ascontiguousarray(a, dtype=np.float32).tobytes()).hexdigest()[:16]


def pred_key(dataset: str, method: str, setting: str, protocol: str, seed: int) -> str:
    return f"{dataset}/{method}/{setting}/{protocol}/s{int(seed)}/pred"


def read(folder: str | os.PathLike) -> tuple[list[dict], dict[str, np.ndarray], dict[str, Any]]:
    """(unit records, predictions, meta) of a precomputed folder; a missing file is named."""
    folder = require_files("soc", folder, (RUNS, PREDICTIONS, META))
    units = [json.loads(line) for line in (folder / RUNS).read_text(encoding="utf-8").splitlines() if line.strip()]
    with np.load(folder / PREDICTIONS) as z:
        preds = {k: z[k] for k in z.files}
    return units, preds, json.loads((folder / META).read_text(encoding="utf-8"))


def check(meta: Mapping[str, Any], cfg: Mapping[str, Any], seed: int, input_digest: str) -> None:
    """Raise :class:`PrecomputedError` unless ``meta`` was computed from this config slice, seed and input.

    ``cfg`` may be a training job's slice, holding only its own dataset: only those datasets are compared.
    """
    theirs = dict(meta["config"])
    theirs["datasets"] = {k: v for k, v in theirs["datasets"].items() if k in cfg["datasets"]}
    check_provenance("soc", meta, result_slice(cfg), theirs, seed, input_digest,
                     inputs="cycles: the simulated or measured cycles differ", script="tools/gpu/soc_paper.py")


def runs_for(units: list[dict], dataset: str, method: str, setting: str) -> tuple[list[dict], list[dict]]:
    """(training-run records, learning-rate choices) of one (dataset, model, setting), in seed order."""
    sel = [u for u in units if u["dataset"] == dataset and u["method"] == method]
    runs = sorted((u for u in sel if u["unit"] == "run" and u["setting"] == setting),
                  key=lambda u: (u["protocol"], u["seed"]))
    tunes = [u for u in sel if u["unit"] == "tune"] if setting == "tuned" else []
    if not runs:
        raise PrecomputedError(f"soc.precomputed has no finished run of {method} ({setting} setting) on {dataset} "
                               "(not trained there, or the GPU job stopped early)")
    return runs, tunes


def import_runs(folder: str | os.PathLike, cfg: Mapping[str, Any], seed: int, input_digest: str, ds, method: str,
                setting: str) -> tuple[list[dict], dict[str, np.ndarray], list[dict], dict[str, Any]]:
    """The records and test arrays of one (dataset ``ds``, model, setting), as a training job would write them.

    ``input_digest``: :func:`cycles_digest` of all measured cycles here (it must equal the packed one); ``ds``:
    the :class:`energyrepro.soc.evaluate.DatasetCycles` of this run, whose rebuilt test labels must equal
    the ones each run was scored on.
    Returns (records, arrays, learning-rate choices, meta).
    """
    from energyrepro.soc.evaluate import unit_split, uses_charge

    units, preds, meta = read(folder)
    check(meta, cfg, seed, input_digest)
    runs, tunes = runs_for(units, ds.name, method, setting)
    records, arrays = [], {}
    for r in runs:
        split = unit_split(ds, r["protocol"], r["seed"], dict(cfg), seed, uses_charge(method))
        if array_digest(split.y_test) != r["y_digest"]:
            raise PrecomputedError(f"soc.precomputed: the test windows of {ds.name} {r['protocol']} seed {r['seed']} "
                                   "rebuilt here differ from those the GPU run was scored on")
        key = pred_key(ds.name, method, setting, r["protocol"], r["seed"])
        if key not in preds:
            raise PrecomputedError(f"soc.precomputed: {PREDICTIONS} lacks {key}")
        pref = f"{setting}/{r['protocol']}/s{r['seed']}/"
        arrays.update({pref + "y": split.y_test, pref + "pred": preds[key],
                       pref + "cycle": split.test_cycle.astype(str), pref + "end": split.test_end})
        records.append({k: v for k, v in r.items() if k not in ("unit", "y_digest", "wall_s")})
    return records, arrays, tunes, meta
