"""Benchmark (not a test): AlexNet training throughput with the real input pipeline vs the bare model.

Real: real ELPV cells decoded and resized once (``load_split``), then ``train_run`` (shuffle, index,
normalise, forward, backward, step). Bare: the same number of forward+backward+step on random tensors of
the same shape, already on the device. Target: the input pipeline costs <= 10% of training time, counting
the one-off decode/resize amortised over the profile's epochs. CPU seconds (process time) are the measure
because the machine is shared; wall seconds are printed too.

Usage: python benchmarks/el_throughput.py [--config config/config.yaml] [--images 320] [--epochs 2]
Writes results/benchmarks/el_throughput.json.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import pandas as pd
import torch

from energyrepro.config import load_config
from energyrepro.el.data import load_split
from energyrepro.el.ingest import binary_label, elpv_labels_path, read_labels
from energyrepro.el.model import build_alexnet, resolve_weights, transfer_optimizer
from energyrepro.el.train import train_run
from energyrepro.io import write_json
from energyrepro.runtime import pick_device, set_threads
from energyrepro.seeding import seed_everything

TARGET = 0.10


def clock():
    return time.process_time(), time.perf_counter()


def since(t0):
    cpu, wall = clock()
    return cpu - t0[0], wall - t0[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--config", default="config/config.yaml")
    ap.add_argument("--images", type=int, default=320, help="training images (quick profile: 320)")
    ap.add_argument("--epochs", type=int, default=2, help="epochs timed per variant")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--out", default="results/benchmarks/el_throughput.json")
    args = ap.parse_args()

    cfg = load_config(args.config)
    el, device = cfg["el"], pick_device(cfg["device"])
    set_threads(args.threads)
    size, batch, run_epochs = el["input_size"], el["batch_size"], max(el["epochs"])

    labels = read_labels(elpv_labels_path()).head(args.images)
    manifest = pd.DataFrame({"file": labels["source"], "label": binary_label(labels["probability"], 0.5),
                             "split": ["train"] * (len(labels) - 1) + ["val"]})
    t = clock()
    train = load_split(manifest, elpv_labels_path().parent, "train", size)
    val = load_split(manifest, elpv_labels_path().parent, "val", size)
    load_cpu, load_wall = since(t)

    def fresh():
        seed_everything(0)
        model = build_alexnet(resolve_weights("none")).to(device)
        return model, transfer_optimizer(model, 1e-3, 20, 0.9, 1e-4)

    model, opt = fresh()
    train_run(model, opt, (train[0][:batch], train[1][:batch]), val, 1, batch, 0, device)  # warm-up
    t = clock()
    train_run(model, opt, train, val, args.epochs, batch, 0, device)
    real_cpu, real_wall = since(t)

    model, opt = fresh()
    n = len(train[0])
    xs = [torch.randn(min(batch, n - i), 3, size, size, device=device) for i in range(0, n, batch)]
    ys = [torch.randint(0, 2, (len(x),), device=device) for x in xs]
    model.train()
    t = clock()
    for _ in range(args.epochs):
        for x, y in zip(xs, ys):
            opt.zero_grad(set_to_none=True)
            torch.nn.functional.cross_entropy(model(x), y).backward()
            opt.step()
    bare_cpu, bare_wall = since(t)

    images = n * args.epochs
    in_loop = real_cpu / bare_cpu - 1
    with_load = (real_cpu + load_cpu * args.epochs / run_epochs) / bare_cpu - 1
    result = {
        "device": device, "threads": args.threads, "input_size": size, "batch_size": batch, "train_images": n,
        "epochs_timed": args.epochs, "profile_epochs": run_epochs,
        "real_images_per_cpu_s": images / real_cpu, "bare_images_per_cpu_s": images / bare_cpu,
        "real_images_per_wall_s": images / real_wall, "bare_images_per_wall_s": images / bare_wall,
        "decode_resize_cpu_s": load_cpu, "decode_resize_wall_s": load_wall,
        "pipeline_overhead_in_loop": in_loop, "pipeline_overhead_with_decode_amortised": with_load,
        "target_overhead": TARGET, "meets_target": bool(with_load <= TARGET),
        "note": "in-loop overhead includes the per-epoch validation pass on one image",
    }
    write_json(args.out, result)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
