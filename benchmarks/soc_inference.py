"""Inference time per sample of the SOC networks (paper section 3.2: < 0.5 ms per data point).

One sample = one window of the configured length, batch of one, as a BMS would run it online; one CPU
thread (or the configured device).  Weights do not change the cost, so freshly initialised models are
timed.  Prints the numbers and writes results/benchmarks/soc_inference.json.

    .venv/bin/python benchmarks/soc_inference.py [--config config/config.yaml] [--repeats 300]
"""

from __future__ import annotations

import argparse
import platform
import time
from pathlib import Path

import numpy as np
import torch

from energyrepro.config import load_config
from energyrepro.io import write_json
from energyrepro.runtime import pick_device, set_threads
from energyrepro.seeding import seed_everything
from energyrepro.soc.evaluate import parse_variant
from energyrepro.soc.models import build_model


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--config", default="config/config.yaml")
    ap.add_argument("--repeats", type=int, default=300)
    ap.add_argument("--out", default="results/benchmarks/soc_inference.json")
    args = ap.parse_args()
    cfg = load_config(args.config)
    soc = cfg["soc"]
    set_threads(1)
    device = pick_device(cfg["device"])
    seed_everything(0)
    window = soc["features"]["window"]
    x = torch.rand(1, window, 6, device=device)
    rows = {}
    for name in soc["models"]:
        kind, hidden = parse_variant(name, soc["train"]["lstm_hidden"])
        model = build_model(kind, hidden=hidden, channels=soc["train"]["channels"]).to(device).eval()
        with torch.no_grad():
            for _ in range(20):
                model(x)
            times = []
            for _ in range(args.repeats):
                t0 = time.perf_counter()
                model(x)
                if device == "cuda":
                    torch.cuda.synchronize()
                times.append(time.perf_counter() - t0)
        ms = 1e3 * np.asarray(times)
        rows[name] = {"median_ms": float(np.median(ms)), "p95_ms": float(np.percentile(ms, 95)),
                      "params": int(sum(p.numel() for p in model.parameters()))}
        print(f"{name:14s} window {window}: median {rows[name]['median_ms']:.3f} ms/sample, "
              f"p95 {rows[name]['p95_ms']:.3f} ms, {rows[name]['params']} parameters")
    from energyrepro.soc.summary import paper_values

    target = paper_values()["inference_ms_per_sample_max"]  # paper section 3.2
    out = {"what": "SOC network inference time per sample (batch 1)", "paper_target_ms": target,
           "window": window, "device": device, "threads": 1, "cpu": platform.processor() or platform.machine(),
           "config": args.config, "models": rows,
           "all_below_target": all(r["median_ms"] < target for r in rows.values())}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    write_json(args.out, out)
    print(f"all below the paper's {target} ms: {out['all_below_target']} -> {args.out}")


if __name__ == "__main__":
    main()
