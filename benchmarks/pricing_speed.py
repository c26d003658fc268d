"""Benchmark (not a test): CPU cost of the pricing study's kernels against targets.

* one GA run and one PSO run at the paper's settings (population 50, 200 generations) on each IEEE 30-bus
  dispatch variant: target <= 1 CPU-s each, so 2 methods x 3 variants x 30 seeds stay well under a minute;
* the loss model of the ``losses`` variant (AC power flows at the configured sample count): target <= 4 CPU-s;
* one full allocation of IEEE RTS-24 (PTDF, GGDF/GLDF, postage stamp + MW-mile at six shares, eq. 2/3):
  target <= 2 CPU-s (network building and the DC OPF of the dispatch included, AC check excluded).
CPU seconds (process time) are the measure because the machine is shared; wall seconds are printed too.

Usage: python benchmarks/pricing_speed.py [--config config/config.yaml] [--repeats 3]
Writes results/benchmarks/pricing_speed.json.
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np

from energyrepro.config import load_config
from energyrepro.io import write_json
from energyrepro.pricing.dispatch import build_problem
from energyrepro.pricing.experiment import SOLVERS
from energyrepro.pricing.paper import tables
from energyrepro.pricing.study import build, price


def measure(fn, repeats):
    cpu, wall = [], []
    for _ in range(repeats):
        c0, w0 = time.process_time(), time.perf_counter()
        fn()
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    return float(np.median(cpu)), float(np.median(wall))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", default="config/config.yaml")
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    warnings.filterwarnings("ignore")
    cfg = load_config(args.config)["pricing"]
    d = cfg["dispatch"]
    jobs, targets = {}, {}
    for variant in d["variants"]:
        problem = build_problem(d, variant)
        for method, solver in SOLVERS.items():
            jobs[f"{method}_run_{variant}"] = (lambda s=solver, p=problem, m=method:
                                               s(p.fitness, p.lower, p.upper, np.random.default_rng(0), **d[m]))
            targets[f"{method}_run_{variant}"] = 1.0
    if "losses" in d["variants"]:
        jobs["loss_model_fit"], targets["loss_model_fit"] = (lambda: build_problem(d, "losses")), 4.0
    paper = tables()
    jobs["allocate_rts24"] = lambda: price(build("rts24", cfg, paper), cfg["gen_shares_pct"], cfg["profit_sharing_r"])
    targets["allocate_rts24"] = 2.0
    out = {}
    for name, fn in jobs.items():
        cpu, wall = measure(fn, args.repeats)
        met = cpu <= targets[name]
        out[name] = {"cpu_s": cpu, "wall_s": wall, "target_cpu_s": targets[name], "met": met}
        print(f"{name:22s} cpu {cpu:.3f} s  wall {wall:.3f} s  target <= {targets[name]} s  "
              f"{'met' if met else 'MISSED'}")
    write_json("results/benchmarks/pricing_speed.json", out)


if __name__ == "__main__":
    main()
