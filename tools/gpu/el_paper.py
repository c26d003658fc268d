"""The el sweep (paper Table 1: every learning rate x protocol x seed, evaluated after every epoch) on a GPU.

    PYTHONPATH=src python3 tools/gpu/el_paper.py --inputs .gpu/el --out $OUT/el --commit <git sha>

Needs only torch, torchvision, numpy, pandas (no Snakemake, no MLflow, no network). Reads what
``tools/gpu/el_pack.py`` wrote, trains each (protocol, rep, learning rate) with the package's own
``protocol_images``, ``job_tensors`` and ``train_lr`` (the pipeline's training jobs call the same functions) in parallel
worker processes that share the GPU, with the images resident on it. After each finished run it rewrites
``histories.csv`` and ``meta.json`` atomically (``energyrepro.el.precomputed`` documents them), so a run
cut short still returns every run that finished. Precision: fp32 with TF32 tensor-core matmuls and
convolutions on CUDA (no mixed precision). The pipeline imports the folder with ``el.precomputed``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import sys
import time
import traceback
from pathlib import Path

import numpy as np
import pandas as pd

_STATE: dict = {}


def _init_worker(inputs: str, device: str, weights) -> None:
    """Load the packed cells once per worker process."""
    os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")  # deterministic cuBLAS (seed_everything asks)
    import torch

    torch.set_num_threads(1)
    if device == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
    pack = json.loads((Path(inputs) / "pack.json").read_text())
    _STATE.update(cfg=pack["config"], seed=int(pack["seed"]), device=device, weights=weights,
                  originals=pd.read_csv(Path(inputs) / "originals.csv"),
                  cells=np.load(Path(inputs) / "cells.npz")["cells"])


def _run(task: tuple[str, int, float]) -> dict:
    """One (protocol, rep, learning rate): train, return its history and facts (or the error)."""
    from energyrepro.el.augment import protocol_images
    from energyrepro.el.data import images_digest
    from energyrepro.el.train import job_tensors, train_lr, train_seed

    protocol, rep, lr = task
    s = _STATE
    try:
        t0 = time.perf_counter()
        cfg = s["cfg"]
        images = protocol_images(s["originals"], protocol, rep, cfg["images_per_class"], cfg["val_fraction"], s["seed"])
        train, val = job_tensors(s["originals"], s["cells"], images)
        train = tuple(t.to(s["device"]) for t in train)
        val = tuple(t.to(s["device"]) for t in val)
        seed = train_seed(s["seed"], rep)
        t1 = time.perf_counter()
        history = train_lr(train, val, cfg, lr, seed, s["weights"], s["device"])
        t2 = time.perf_counter()
        return {"protocol": protocol, "rep": rep, "learning_rate": lr, "seed": seed, "n_train": len(train[0]),
                "n_val": len(val[0]), "images_digest": images_digest(images), "data_s": round(t1 - t0, 2),
                "train_s": round(t2 - t1, 1), "wall_s": round(t2 - t0, 1), "pid": os.getpid(),
                "history": history.assign(protocol=protocol, rep=rep, learning_rate=lr).to_dict("records")}
    except Exception:  # noqa: BLE001 (reported in meta.json; the other runs go on)
        return {"protocol": protocol, "rep": rep, "learning_rate": lr, "error": traceback.format_exc()}


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--inputs", type=Path, required=True, help="folder written by tools/gpu/el_pack.py")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--commit", default="unknown", help="git commit of the code that runs (recorded)")
    ap.add_argument("--workers", type=int, default=0, help="parallel processes (0: 6 on CUDA, 2 on CPU)")
    args = ap.parse_args(argv)
    t_start = time.perf_counter()

    import torch
    import torchvision

    from energyrepro.el.model import resolve_weights
    from energyrepro.el.precomputed import HISTORIES, META, RUN_KEYS
    from energyrepro.el.train import HISTORY_COLUMNS

    pack = json.loads((args.inputs / "pack.json").read_text())
    cells = np.load(args.inputs / "cells.npz")["cells"]
    if hashlib.sha256(cells.tobytes()).hexdigest() != pack["cells_sha256"]:
        raise SystemExit(f"{args.inputs}/cells.npz does not match pack.json (re-run tools/gpu/el_pack.py)")
    cfg = pack["config"]
    device = "cuda" if torch.cuda.is_available() else "cpu"
    workers = args.workers or (6 if device == "cuda" else 2)
    weights = resolve_weights(cfg["weights"])
    print(weights.message, flush=True)
    tasks = [(p, rep, float(lr))
             for rep in range(cfg["seeds"]) for p in cfg["protocols"] for lr in cfg["learning_rates"]]

    args.out.mkdir(parents=True, exist_ok=True)
    meta = {"study": "el", "config": cfg, "seed": pack["seed"], "config_hash": pack["config_hash"],
            "input_digest": pack["input_digest"], "git_commit": args.commit, "torch": torch.__version__,
            "torchvision": torchvision.__version__, "python": platform.python_version(), "device": device,
            "device_name": torch.cuda.get_device_name(0) if device == "cuda" else platform.processor() or "cpu",
            "precision": "fp32, TF32 matmul/conv" if device == "cuda" else "fp32", "workers": workers,
            "pretrained": weights.pretrained, "weights": weights.message, "runs": [], "failed": [],
            "planned_runs": len(tasks), "complete": False, "wall_s": None}
    rows: list[dict] = []

    def flush() -> None:
        meta["wall_s"] = round(time.perf_counter() - t_start, 1)
        frame = pd.DataFrame(rows, columns=[*RUN_KEYS, *HISTORY_COLUMNS])
        _write_atomic(args.out / HISTORIES, frame.to_csv(index=False))
        _write_atomic(args.out / META, json.dumps(meta, indent=1))

    flush()
    import multiprocessing as mp

    with mp.get_context("spawn").Pool(workers, _init_worker, (str(args.inputs), device, weights)) as pool:
        for result in pool.imap_unordered(_run, tasks):
            key = f"{result['protocol']} rep {result['rep']} lr {result['learning_rate']:g}"
            if "error" in result:
                meta["failed"].append(result)
                print(f"FAILED {key}:\n{result['error']}", flush=True)
            else:
                rows.extend(result.pop("history"))
                meta["runs"].append(result)
                last = rows[-1]
                print(f"[{time.perf_counter() - t_start:6.1f} s] {key}: {result['train_s']} s training, "
                      f"val acc after {last['epoch']} epochs {100 * last['accuracy']:.2f} %", flush=True)
            flush()
    meta["complete"] = not meta["failed"] and len(meta["runs"]) == len(tasks)
    flush()
    print(f"el sweep: {len(meta['runs'])}/{len(tasks)} runs in {meta['wall_s']} s on {meta['device_name']} "
          f"({workers} workers); wrote {args.out / HISTORIES} and {args.out / META}", flush=True)
    return 0 if meta["complete"] else 1


if __name__ == "__main__":
    sys.exit(main())
