"""The GPU path end to end on CPU: pack -> tools/gpu/soc_paper.py -> checked import, and its refusals."""

import copy
import importlib
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from energyrepro.config import load_config
from energyrepro.soc import precomputed
from energyrepro.soc.evaluate import dataset_cycles, run_unit

REPO = Path(__file__).resolve().parents[2]


def _tool(name):
    """A tools/gpu script as a module (importable by name, so its worker processes can unpickle its functions)."""
    if str(REPO / "tools" / "gpu") not in sys.path:
        sys.path.insert(0, str(REPO / "tools" / "gpu"))
    return importlib.import_module(name)


def _cycle(n, temp, seed):
    rng = np.random.default_rng(seed)
    t = np.arange(n, dtype=float)
    soc = 1 - t / (1.5 * n)
    return pd.DataFrame({"time_s": t, "voltage_meas": 3.4 + 0.8 * soc + rng.normal(0, 0.002, n),
                         "current_meas": -2.0 + rng.normal(0, 0.05, n), "temperature_meas": temp + 0 * t, "soc": soc})


@pytest.fixture(scope="module")
def cfg():
    c = load_config("config/test.yaml")
    soc = c["soc"]
    soc["simulate"]["cycles"] = {"a": {"profile": "dst", "ambient_c": 25}, "b": {"profile": "dst", "ambient_c": 0},
                                 "h": {"profile": "pulse", "ambient_c": 25}}
    soc["datasets"] = {"d1": {"cycles": ["a"], "train_stride": 1}, "d2": {"cycles": ["a", "b"], "train_stride": 1}}
    soc["heldout_cycles"] = ["h"]
    soc["train"].update(seeds=1, epochs=2)
    soc["tuned"].update(lr_grid=[0.01, 0.001], grid_epochs=1, val_block_s=60)
    soc["models"] = ["lstm", "cnn-ah"]
    return c


@pytest.fixture(scope="module")
def gpu_run(tmp_path_factory, cfg):
    """Pack three short cycles, run the GPU script on CPU, return (folder, cycles)."""
    base = tmp_path_factory.mktemp("gpu")
    data = base / "data"
    (data / "cycles").mkdir(parents=True)
    cycles = {"a": _cycle(400, 25, 1), "b": _cycle(300, 0, 2), "h": _cycle(250, 25, 3)}
    for name, df in cycles.items():
        df.to_csv(data / "cycles" / f"{name}.csv", index=False)
    pd.DataFrame({"cycle": list(cycles), "nominal_ah": 5.0}).to_csv(data / "manifest.csv", index=False)
    (base / "config.yaml").write_text(yaml.safe_dump(cfg))
    assert _tool("soc_pack").main(["--config", str(base / "config.yaml"), "--data", str(data), "--models",
                                   "lstm,cnn-ah", "--out", str(base / "in")]) == 0
    rc = _tool("soc_paper").main(["--inputs", str(base / "in"), "--out", str(base / "out"), "--commit", "abc",
                                  "--device", "cpu", "--workers", "1", "--budget-s", "300"])
    assert rc == 0
    return base / "out", {k: pd.read_csv(data / "cycles" / f"{k}.csv") for k in cycles}


@pytest.mark.slow
def test_every_unit_finishes_and_imports_as_trained_here(gpu_run, cfg):
    out, cycles = gpu_run
    meta = json.loads((out / precomputed.META).read_text())
    # 2 datasets x 2 models x 2 protocols x (paper run + tuned grid + tuned run), one seed
    assert meta["complete"] and meta["units_done"] == meta["units_planned"] == 24
    assert meta["commit"] == "abc" and meta["device"] == "cpu" and not meta["tiny"]
    soc, seed = cfg["soc"], cfg["seed"]
    digest = precomputed.cycles_digest(cycles)
    ds = dataset_cycles(soc, "d2", cycles, 5.0)
    records, arrays, tunes, _ = precomputed.import_runs(out, soc, seed, digest, ds, "lstm", "tuned")
    assert {r["protocol"] for r in records} == {"random", "heldout"} and len(tunes) == 2
    rec = next(r for r in records if r["protocol"] == "heldout")
    tune = next(t for t in tunes if t["protocol"] == "heldout")
    assert rec["lr"] == tune["lr"] in soc["tuned"]["lr_grid"] and len(rec["history"]["val_mae"]) == 2
    # the same unit trained here gives the same predictions (same code, seeds and data)
    here = run_unit(ds, "lstm", "tuned", "heldout", 0, soc, seed, "cpu", lr=tune["lr"])
    np.testing.assert_allclose(arrays["tuned/heldout/s0/pred"], here["arrays"]["tuned/heldout/s0/pred"], atol=1e-5)
    assert np.array_equal(arrays["tuned/heldout/s0/y"], here["arrays"]["tuned/heldout/s0/y"])


@pytest.mark.slow
def test_import_refuses_other_settings_cycles_and_missing_runs(gpu_run, cfg):
    out, cycles = gpu_run
    soc, seed = cfg["soc"], cfg["seed"]
    digest = precomputed.cycles_digest(cycles)
    ds = dataset_cycles(soc, "d1", cycles, 5.0)
    other = copy.deepcopy(soc)
    other["train"]["epochs"] = 3
    with pytest.raises(precomputed.PrecomputedError, match=r"soc\.train\.epochs: here 3, precomputed 2"):
        precomputed.import_runs(out, other, seed, digest, ds, "lstm", "paper")
    with pytest.raises(precomputed.PrecomputedError, match="seed"):
        precomputed.import_runs(out, soc, seed + 1, digest, ds, "lstm", "paper")
    changed = {**cycles, "b": cycles["b"].assign(voltage_meas=cycles["b"].voltage_meas + 1e-3)}
    with pytest.raises(precomputed.PrecomputedError, match="other cycles"):
        precomputed.import_runs(out, soc, seed, precomputed.cycles_digest(changed), ds, "lstm", "paper")
    with pytest.raises(precomputed.PrecomputedError, match="no finished run of cnnlstm"):
        precomputed.import_runs(out, soc, seed, digest, ds, "cnnlstm", "paper")
    # a training job's slice holds its own dataset only: that is enough, and its settings are still checked
    job = {**soc, "datasets": {"d1": soc["datasets"]["d1"]}}
    assert precomputed.import_runs(out, job, seed, digest, ds, "lstm", "paper")[0]
    job["datasets"] = {"d1": {**soc["datasets"]["d1"], "train_stride": 2}}
    with pytest.raises(precomputed.PrecomputedError, match=r"soc\.datasets\.d1\.train_stride: here 2, precomputed 1"):
        precomputed.import_runs(out, job, seed, digest, ds, "lstm", "paper")


def test_missing_files_are_named(tmp_path):
    with pytest.raises(precomputed.PrecomputedError, match="runs.jsonl does not exist"):
        precomputed.read(tmp_path)
