"""Benchmark: DPsim EMT fault cases per second per core, and the paper-scale set extrapolated to 2 cores.

Runs a random sample of the paper's cases (all datasets) through the same code path as the simulate rule
(network build, load flow, DPsim EMT run, measurement chain) on one core and writes
results/benchmarks/relay_sim_speed.json. Target (issue): the whole paper set on 2 cores in <= 30 min.

    .venv/bin/python benchmarks/relay_sim_speed.py [--cases 30]
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")

import pandas as pd  # noqa: E402

from energyrepro.config import REPO_ROOT, load_config  # noqa: E402
from energyrepro.io import write_json  # noqa: E402
from energyrepro.relay.cases import load_system, n_record, run_case, settings_from_config  # noqa: E402
from energyrepro.relay.faults import case_grid  # noqa: E402

TARGET_MIN = 30.0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=30)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    cfg = load_config(REPO_ROOT / "config" / "paper.yaml")
    grids = pd.concat([case_grid(k, v) for k, v in cfg["relay"]["datasets"].items()], ignore_index=True)
    sample = grids.sample(args.cases, random_state=args.seed)
    net, chain, sim = settings_from_config(load_system())
    run_case(net, chain, sim, "AG", 50.0, 1.0, 0.0)  # warm-up (imports, first DPsim start)
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for r in sample.itertuples(index=False):
        run_case(net, chain, sim, r.ftype, r.km, r.r_ohm, r.angle_deg)
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    per_case = cpu / args.cases
    paper_minutes_2 = len(grids) * per_case / 2 / 60
    out = {"cases": args.cases, "cpu_s_per_case": per_case, "wall_s_per_case": wall / args.cases,
           "cases_per_s_per_core": 1 / per_case, "steps_per_case": n_record(sim, net.f_hz) * sim.steps_per_ms,
           "emt_step_us": sim.dt() * 1e6, "pi_section_km": net.max_section_km,
           "paper_cases": len(grids), "paper_minutes_on_2_cores": paper_minutes_2, "target_minutes": TARGET_MIN,
           "meets_target": bool(paper_minutes_2 <= TARGET_MIN)}
    write_json(REPO_ROOT / "results" / "benchmarks" / "relay_sim_speed.json", out)
    for k, v in out.items():
        print(f"{k:28s} {v:.4g}" if isinstance(v, float) else f"{k:28s} {v}")


if __name__ == "__main__":
    main()
