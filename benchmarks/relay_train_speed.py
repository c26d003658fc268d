"""Benchmark: CPU cost of training the five relay MLPs at the paper profile (every seed at once, one core).

Times a few epochs of each network on random patterns of the paper profile's size (the pattern count follows
from config/paper.yaml's grids and the windows in system.yaml; cost does not depend on the values) and
extrapolates to the configured epoch cap, an upper bound since early stopping ends most runs sooner. Writes
results/benchmarks/relay_train_speed.json.

    .venv/bin/python benchmarks/relay_train_speed.py [--epochs 3]
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402

from energyrepro.config import REPO_ROOT, load_config  # noqa: E402
from energyrepro.io import write_json  # noqa: E402
from energyrepro.relay.cases import load_system  # noqa: E402
from energyrepro.relay.faults import case_grid, fault_class  # noqa: E402
from energyrepro.relay.mlp import train  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=3)
    args = ap.parse_args()
    cfg = load_config(REPO_ROOT / "config" / "paper.yaml")["relay"]
    system = load_system()
    rng = np.random.default_rng(0)
    out = {"seeds": cfg["seeds"], "nets": {}}
    for net, hp in cfg["nets"].items():
        win = system["windows"][net]
        grid = case_grid(net, cfg["datasets"][net])
        n = sum(len(win.get(fault_class(t), win.get("all", []))) for t in grid.ftype)
        n += cfg["n_normal"] if net == "ann1" else 0
        arch = system["nets"][net]
        X = rng.normal(size=(n, 24)).astype(np.float32)
        Y = (rng.uniform(size=(n, arch["outputs"])) > 0.5).astype(np.float32)
        cpu0 = time.process_time()
        train(X, Y, arch["hidden"], hp["lr"], hp["momentum"], hp["batch_size"], args.epochs, args.epochs + 1,
              cfg["val_frac"], list(range(cfg["seeds"])))
        per_epoch = (time.process_time() - cpu0) / args.epochs
        out["nets"][net] = {"patterns": n, "cpu_s_per_epoch": per_epoch, "max_epochs": hp["max_epochs"],
                            "cpu_s_at_max_epochs": per_epoch * hp["max_epochs"]}
    out["cpu_s_all_nets_at_max_epochs"] = sum(v["cpu_s_at_max_epochs"] for v in out["nets"].values())
    write_json(REPO_ROOT / "results" / "benchmarks" / "relay_train_speed.json", out)
    for net, v in out["nets"].items():
        print(f"{net}: {v['patterns']} patterns, {v['cpu_s_per_epoch']:.3f} CPU-s/epoch for {cfg['seeds']} seeds, "
              f"<= {v['cpu_s_at_max_epochs']:.0f} CPU-s at {v['max_epochs']} epochs")
    print(f"all five: <= {out['cpu_s_all_nets_at_max_epochs']:.0f} CPU-s")


if __name__ == "__main__":
    main()
