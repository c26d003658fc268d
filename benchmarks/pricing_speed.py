"""Benchmark (not a test): CPU cost of the pricing study's kernels against targets.

* one GA run and one PSO run at the paper's settings (population 50, 200 generations) on the IEEE 30-bus
  DC dispatch: target <= 1 CPU-s each, so the paper profile's 2 x 30 seeds stay well under a minute;
* one full allocation of IEEE RTS-24 (PTDF, GGDF/GLDF, postage stamp + MW-mile at six shares, eq. 2/3):
  target <= 2 CPU-s (network building and the DC OPF of the dispatch included, AC check excluded;
  the OPF and pandapower's net conversion dominate).
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
from energyrepro.pricing.dispatch import load_case, problem_from_net
from energyrepro.pricing.ga import ga_minimise
from energyrepro.pricing.pso import pso_minimise
from energyrepro.pricing.reference import paper_tables
from energyrepro.pricing.study import build, price

TARGETS = {"ga_run": 1.0, "pso_run": 1.0, "allocate_rts24": 2.0}


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
    problem = problem_from_net(load_case(d["case"]), d["penalty_per_mw"], d["feasibility_tol_mw"])
    paper = paper_tables()
    jobs = {
        "ga_run": lambda: ga_minimise(problem.fitness, problem.lower, problem.upper, np.random.default_rng(0), **d["ga"]),
        "pso_run": lambda: pso_minimise(problem.fitness, problem.lower, problem.upper, np.random.default_rng(0),
                                        **d["pso"]),
        "allocate_rts24": lambda: price(build("rts24", cfg, paper), cfg["gen_shares_pct"], cfg["profit_sharing_r"]),
    }
    out = {}
    for name, fn in jobs.items():
        cpu, wall = measure(fn, args.repeats)
        out[name] = {"cpu_s": cpu, "wall_s": wall, "target_cpu_s": TARGETS[name], "met": cpu <= TARGETS[name]}
        print(f"{name:16s} cpu {cpu:.3f} s  wall {wall:.3f} s  target <= {TARGETS[name]} s  "
              f"{'met' if cpu <= TARGETS[name] else 'MISSED'}")
    write_json("results/benchmarks/pricing_speed.json", out)


if __name__ == "__main__":
    main()
