"""The soc paper profile's 300-unit networks on a GPU: every (dataset, model, setting, protocol, seed).

    PYTHONPATH=src python3 tools/gpu/soc_paper.py --inputs .gpu/soc --out $OUT/soc --commit <git sha>
        [--workers 8] [--budget-s 330] [--tiny]

Needs only torch, numpy, pandas (no Snakemake, no MLflow, no network). Reads what ``tools/gpu/soc_pack.py``
wrote and trains with the package's own ``energyrepro.soc.evaluate.tune_unit`` / ``run_unit`` (the pipeline's
training jobs call the same two functions), in worker processes that share the GPU, one training run each
(the paper's batch of 10 is a setting under test, so runs are parallel, not batched together). The tuned
setting's learning-rate choice for a (dataset, model, protocol) runs first and releases its training runs.
Runs start seed by seed, longest first, so a run cut short has every (dataset, model, setting, protocol) at
fewer seeds rather than some missing; once runs have been timed, a unit starts only if it can finish within
``--budget-s``, and whatever still runs when the budget ends is stopped. After each finished unit it appends
to ``runs.jsonl`` and rewrites ``predictions.npz`` and ``meta.json`` atomically
(``energyrepro.soc.precomputed`` documents them). ``--tiny`` shrinks epochs, seeds and windows for a
rehearsal (marked in meta.json; the pipeline refuses it for a full config since the slice differs).
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import platform
import sys
import time
import traceback
from pathlib import Path

import numpy as np

_STATE: dict = {}


def tiny(cfg: dict) -> dict:
    """A rehearsal-sized copy of the slice: 1 epoch, 1 seed, every 20th training window, two grid points."""
    cfg = copy.deepcopy(cfg)
    cfg["train"].update(epochs=1, seeds=1)
    cfg["tuned"].update(grid_epochs=1, lr_grid=cfg["tuned"]["lr_grid"][:2])
    for spec in cfg["datasets"].values():
        spec["train_stride"] = 20
    return cfg


def _init_worker(inputs: str, cfg: dict, device: str) -> None:
    """Load the packed cycles once per worker process."""
    os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")  # deterministic cuBLAS (seed_everything asks)
    import pandas as pd
    import torch

    from energyrepro.soc.evaluate import dataset_cycles
    from energyrepro.soc.precomputed import CYCLE_COLUMNS

    torch.set_num_threads(1)
    pack = json.loads((Path(inputs) / "pack.json").read_text())
    with np.load(Path(inputs) / "cycles.npz") as z:
        cycles = {c: pd.DataFrame({col: z[f"{c}/{col}"] for col in CYCLE_COLUMNS}) for c in pack["cycles"]}
    _STATE.update(cfg=cfg, seed=int(pack["seed"]), device=device, cycles=cycles,
                  data={d: dataset_cycles(cfg, d, cycles, pack["nominal_ah"]) for d in cfg["datasets"]})


def _unit(task: tuple) -> dict:
    """One tune or training unit; returns its record (and predictions) or the error."""
    from energyrepro.soc.evaluate import run_unit, tune_unit
    from energyrepro.soc.precomputed import array_digest

    s = _STATE
    t0 = time.perf_counter()
    try:
        if task[0] == "tune":
            _, dataset, model, protocol = task
            lr, grid = tune_unit(s["data"][dataset], model, protocol, s["cfg"], s["seed"], s["device"])
            return {"unit": "tune", "dataset": dataset, "method": model, "protocol": protocol, "lr": lr, "grid": grid,
                    "wall_s": time.perf_counter() - t0}
        _, dataset, model, setting, protocol, seed, lr = task
        out = run_unit(s["data"][dataset], model, setting, protocol, seed, s["cfg"], s["seed"], s["device"], lr)
        arrays = out["arrays"]
        pref = f"{setting}/{protocol}/s{seed}/"
        record = {"unit": "run", **out["record"], "y_digest": array_digest(arrays[pref + "y"]),
                  "wall_s": time.perf_counter() - t0}
        return {**record, "_pred": arrays[pref + "pred"]}
    except Exception:  # noqa: BLE001 - reported in meta.json, the other units go on
        return {"unit": "error", "task": list(task), "error": traceback.format_exc()}


def _cost(cfg: dict, data_sizes: dict, dataset: str, model: str, setting: str) -> float:
    """Relative cost of a training run: optimiser steps (for the longest-first order and the start rule)."""
    batch = cfg["train"]["batch_size"] if setting == "paper" else cfg["tuned"]["batch_size"]
    return data_sizes[dataset] * cfg["train"]["epochs"] / batch


def _tune_cost(cfg: dict, data_sizes: dict, dataset: str, model: str) -> float:
    tu = cfg["tuned"]
    runs = len(tu["lr_grid"]) * tu["grid_epochs"] / cfg["train"]["epochs"]
    return _cost(cfg, data_sizes, dataset, model, "tuned") * runs


def _atomic_write(path: Path, write) -> None:
    tmp = path.with_name(f".{path.name}.part")
    write(tmp)
    os.replace(tmp, path)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--inputs", default=".gpu/soc")
    ap.add_argument("--out", required=True)
    ap.add_argument("--commit", default="unknown", help="git commit of the checkout (git is not needed there)")
    ap.add_argument("--workers", type=int, default=0, help="parallel training processes (0: 8 on CUDA, 2 on CPU)")
    ap.add_argument("--budget-s", type=float, default=330.0,
                    help="wall-clock budget: units that would not finish in it are not started, and whatever still "
                         "runs when it ends is stopped (finished units are already written)")
    ap.add_argument("--device", default="auto")
    ap.add_argument("--tiny", action="store_true", help="rehearsal scale (see tiny())")
    ap.add_argument("--epochs", type=int, default=0, help="timing only: override train.epochs (the slice then "
                                                          "differs, so the pipeline refuses the results)")
    args = ap.parse_args(argv)
    t_start = time.time()

    import torch

    from energyrepro.soc.precomputed import META, PREDICTIONS, RUNS, cycles_digest, pred_key, slice_hash

    device = ("cuda" if torch.cuda.is_available() else "cpu") if args.device == "auto" else args.device
    pack = json.loads((Path(args.inputs) / "pack.json").read_text())
    _init_worker(args.inputs, pack["config"], device)
    digest = cycles_digest(_STATE.pop("cycles"))
    if digest != pack["input_digest"]:
        sys.exit(f"{args.inputs}/cycles.npz does not match its pack.json (digest {digest}, packed "
                 f"{pack['input_digest']}): pack again with tools/gpu/soc_pack.py")
    cfg = tiny(pack["config"]) if args.tiny else copy.deepcopy(pack["config"])
    if args.epochs:
        cfg["train"]["epochs"] = args.epochs
    workers = args.workers or (8 if device == "cuda" else 2)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / RUNS).write_text("", encoding="utf-8")

    protocols, seeds = cfg["protocols"], range(cfg["train"]["seeds"])
    sizes = {d: 1.0 for d in cfg["datasets"]}  # relative sizes: samples of the training cycles
    with np.load(Path(args.inputs) / "cycles.npz") as z:
        for d, spec in cfg["datasets"].items():
            sizes[d] = sum(len(z[f"{c}/soc"]) for c in spec["cycles"]) / spec.get("train_stride", 1)
    pending: list[tuple] = []  # (sort key, cost, task)
    for d in cfg["datasets"]:
        for m in pack["models"]:
            for p in protocols:
                if "tuned" in pack["settings"]:
                    pending.append(((-1, 0.0), _tune_cost(cfg, sizes, d, m), ("tune", d, m, p)))
                if "paper" in pack["settings"]:
                    cost = _cost(cfg, sizes, d, m, "paper")
                    pending += [((s, -cost), cost, ("run", d, m, "paper", p, s, None)) for s in seeds]
    planned = len(pending) + sum(len(seeds) for t in pending if t[2][0] == "tune")
    meta = {"config": cfg, "seed": pack["seed"], "config_hash": slice_hash(cfg, pack["seed"]),
            "input_digest": pack["input_digest"], "models": pack["models"], "settings": pack["settings"],
            "commit": args.commit, "tiny": bool(args.tiny), "torch": torch.__version__, "device": device,
            "device_name": torch.cuda.get_device_name(0) if device == "cuda" else platform.processor() or "cpu",
            "python": platform.python_version(), "workers": workers, "budget_s": args.budget_s,
            "units_planned": planned, "units_done": 0, "not_started": [], "errors": [], "complete": False,
            "wall_s": 0.0}
    preds: dict[str, np.ndarray] = {}

    def save() -> None:
        meta["wall_s"] = round(time.time() - t_start, 1)

        def write_preds(path: Path) -> None:
            with open(path, "wb") as fh:
                np.savez_compressed(fh, **preds)

        _atomic_write(out / PREDICTIONS, write_preds)
        _atomic_write(out / META, lambda p: p.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8"))

    def finish(res: dict, task: tuple) -> None:
        if res["unit"] == "error":
            meta["errors"].append(res)
            print(f"FAILED {task}:\n{res['error']}", file=sys.stderr, flush=True)
            return
        if res["unit"] == "tune":
            _, d, m, p = task
            cost = _cost(cfg, sizes, d, m, "tuned")
            pending.extend(((s, -cost), cost, ("run", d, m, "tuned", p, s, res["lr"])) for s in seeds)
        else:
            key = pred_key(res["dataset"], res["method"], res["setting"], res["protocol"], res["seed"])
            preds[key] = np.asarray(res.pop("_pred"), np.float32)
            rates.append(res["wall_s"] / running_cost[id(task)])
        with open(out / RUNS, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(res) + "\n")
        meta["units_done"] += 1
        save()
        print(f"[{time.time() - t_start:6.0f} s] {meta['units_done']}/{planned} {task[:6]} "
              f"{res.get('mae', res.get('lr'))} ({res['wall_s']:.0f} s)", flush=True)

    save()
    import multiprocessing as mp

    rates: list[float] = []  # seconds per unit of cost, from finished training runs
    running: dict = {}  # AsyncResult -> task
    running_cost: dict = {}
    pool = mp.get_context("spawn").Pool(workers, initializer=_init_worker, initargs=(args.inputs, cfg, device))
    try:
        while pending or running:
            pending.sort(key=lambda t: t[0])
            left = args.budget_s - (time.time() - t_start)
            for item in list(pending):
                if len(running) >= workers:
                    break
                _, cost, task = item
                # once runs have been timed, start only what can finish before the budget ends
                if rates and 1.2 * float(np.median(rates)) * cost > left:
                    continue
                pending.remove(item)
                running[pool.apply_async(_unit, (task,))] = task
                running_cost[id(task)] = cost
            if not running:
                break  # nothing left that fits
            if left <= 0:
                print(f"budget of {args.budget_s:.0f} s spent: stopping {len(running)} running units", flush=True)
                break
            time.sleep(0.5)
            for ar in [a for a in running if a.ready()]:
                task = running.pop(ar)
                finish(ar.get(), task)
    finally:
        pool.terminate()
        pool.join()
    meta["not_started"] = [list(t[2][:6]) for t in pending] + [list(t[:6]) for t in running.values()]
    meta["complete"] = meta["units_done"] == planned and not meta["errors"]
    save()
    print(f"done: {meta['units_done']}/{planned} units, {len(meta['errors'])} errors, {meta['wall_s']:.0f} s -> {out}")
    return 0 if not meta["errors"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
