"""Benchmark (not a test) of study uc: CPU seconds of work vs job start-up, and the paper-scale jobs.

1. Start-up: the CPU seconds a uc job spends before its work begins (interpreter, numpy/scipy/highspy, the
   energyrepro package, MLflow and its client), measured in a fresh interpreter importing what a job imports.
2. Work at paper scale: one IHDE run (50 x 250) on 100 units and the MILP proof of 100 units (issue 15 targets:
   the proof <= 120 CPU-s to a gap <= 1e-6), both on one thread.
3. The jobs of a finished pipeline run (``--results results/quick``): each uc job's work and start-up CPU seconds
   from its result JSON (``startup_cpu_s`` is the process time when the work began) beside Snakemake's
   benchmark file.

Usage: OMP_NUM_THREADS=1 python benchmarks/uc_speed.py [--results results/quick] [--skip-paper-scale]
Writes results/benchmarks/uc_speed.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(var, "1")

MILP_TARGET_S, MILP_TARGET_GAP = 120.0, 1e-6
JOB_IMPORTS = ("import numpy, pandas, scipy.stats, highspy, yaml; import energyrepro.uc.lr, energyrepro.uc.milp, "
               "energyrepro.uc.claims, energyrepro.tracking, energyrepro.runtime; import mlflow; "
               "from mlflow.tracking import MlflowClient")


def startup_cpu_s() -> dict:
    """CPU seconds (user + system) of a fresh interpreter importing what a uc job imports, with and without MLflow."""
    out = {}
    for name, code in (("without_mlflow", JOB_IMPORTS.split("; import mlflow")[0]), ("with_mlflow", JOB_IMPORTS)):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([sys.executable, "-c", code], check=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        out[name] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return out


def paper_scale() -> dict:
    import numpy as np

    from energyrepro.uc.lr import de_params, run
    from energyrepro.uc.milp import solve_milp
    from energyrepro.uc.system import make_system

    cfg = {"population": 50, "iterations": 250, "f": 0.5, "f_sd": 0.1, "f_refresh": 10, "cr": 0.8, "eps1": 0.1,
           "eps2": 0.05, "mutation_base": "current", "sar_children": 5, "sar_blocks": 2, "sar_rate0": 0.1,
           "sar_tau": 0.3}
    out = {}
    c0, w0 = time.process_time(), time.perf_counter()
    res = run(make_system(100), de_params(cfg, "ihde"), (10, 50), (0, 10), 1e4, 1e4, np.random.default_rng(0))
    out["ihde_100"] = {"cpu_s": time.process_time() - c0, "wall_s": time.perf_counter() - w0, "cost": res.cost,
                       "checker_cost": res.report.cost, "feasible": res.report.feasible,
                       "evaluations": res.de.evaluations}
    c0, w0 = time.process_time(), time.perf_counter()
    m = solve_milp(make_system(100), target_gap=MILP_TARGET_GAP, time_limit=1200)
    cpu = time.process_time() - c0
    out["milp_100"] = {"cpu_s": cpu, "wall_s": time.perf_counter() - w0, "cost": m.cost, "bound": m.bound,
                       "gap": m.gap, "status": m.status, "highs_version": m.highs_version,
                       "meets_target": cpu <= MILP_TARGET_S and m.gap <= MILP_TARGET_GAP}
    out["ihde_100"]["gap_to_optimum"] = res.cost / m.cost - 1
    return out


def pipeline_jobs(results: Path) -> list[dict]:
    """Work vs start-up CPU seconds of every uc compute job of a finished run, from its result JSON and benchmark."""
    rows = []
    for path in sorted((results / "uc" / "lr").glob("*.json")) + sorted((results / "uc" / "milp").glob("*.json")):
        job = json.loads(path.read_text())
        name = ("milp_" if path.parent.name == "milp" else "") + path.stem
        name = name if name.startswith(("milp_", "migration_")) else f"lr_{name}"
        work = job["work_cpu_s"] if "work_cpu_s" in job else job["cpu_s"]
        bench = results / "benchmarks" / "uc" / f"{name}.tsv"
        total = None
        if bench.exists():
            head, values = bench.read_text().splitlines()[:2]
            total = float(dict(zip(head.split("\t"), values.split("\t"))).get("cpu_time", "nan"))
        rows.append({"job": name, "startup_cpu_s": job["startup_cpu_s"], "work_cpu_s": work,
                     "snakemake_cpu_s": total})
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--results", default="results/quick", help="a finished run's results/<profile> folder")
    ap.add_argument("--skip-paper-scale", action="store_true")
    ap.add_argument("--out", default="results/benchmarks/uc_speed.json")
    args = ap.parse_args()
    out = {"startup_cpu_s": startup_cpu_s()}
    print(f"start-up of a uc job: {out['startup_cpu_s']['with_mlflow']:.1f} CPU-s with MLflow, "
          f"{out['startup_cpu_s']['without_mlflow']:.1f} without", flush=True)
    if not args.skip_paper_scale:
        out.update(paper_scale())
        i, m = out["ihde_100"], out["milp_100"]
        print(f"IHDE 50x250, 100 units: {i['cpu_s']:.1f} CPU-s, cost {i['cost']:,.2f} $ "
              f"({100 * i['gap_to_optimum']:.4f} % above the optimum)", flush=True)
        print(f"MILP 100 units: {m['cpu_s']:.1f} CPU-s, {m['cost']:,.2f} $, gap {m['gap']:.1e} "
              f"(target <= {MILP_TARGET_S:.0f} s, <= {MILP_TARGET_GAP:g}): {'met' if m['meets_target'] else 'MISSED'}")
    jobs = pipeline_jobs(Path(args.results))
    out["jobs"] = jobs
    for j in jobs:
        print(f"{j['job']:>20}: work {j['work_cpu_s']:6.1f} CPU-s, start-up {j['startup_cpu_s']:5.1f} CPU-s")
    if jobs:
        work, start = sum(j["work_cpu_s"] for j in jobs), sum(j["startup_cpu_s"] for j in jobs)
        print(f"{'all uc compute jobs':>20}: work {work:.1f} CPU-s, start-up {start:.1f} CPU-s")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
