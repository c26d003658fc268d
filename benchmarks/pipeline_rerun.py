"""Benchmark: what a re-run costs and schedules after `make bench`'s quick run (run in the repository root).

- a no-op re-run (`snakemake -n` after completion) must take <= 10 s and schedule nothing;
- another seed (`--config seed=7`) must schedule seeded jobs of every study (README: "another seed");
- the paper profile after the quick run must schedule every one of its jobs (profiles share no output).
Writes results/benchmarks/pipeline_rerun.json and prints it.
"""

import re
import subprocess
import sys
import time
from pathlib import Path

from energyrepro.io import write_json

TARGET_S = 10.0
STUDIES = ("el", "relay", "soc", "pricing", "uc")
SNAKEMAKE = str(Path(sys.executable).with_name("snakemake"))


def dry_run(*args: str) -> tuple[float, dict[str, int]]:
    """Wall seconds and jobs per rule of ``snakemake -n --quiet rules <args>``."""
    t0 = time.perf_counter()
    proc = subprocess.run([SNAKEMAKE, "-n", "--quiet", "rules", *args], capture_output=True, text=True)
    wall = time.perf_counter() - t0
    out = proc.stdout + proc.stderr
    if proc.returncode != 0:
        raise SystemExit(f"snakemake -n {' '.join(args)} failed:\n{out[-3000:]}")
    table = out.split("Job stats:")[1].split("\n\n")[0] if "Job stats:" in out else ""
    jobs = {m[1]: int(m[2]) for m in re.finditer(r"^(\w+)\s+(\d+)$", table, re.M) if m[1] != "total"}
    return wall, jobs


noop_s, noop = dry_run()
_, seeded = dry_run("--config", "seed=7")
_, paper = dry_run("--configfile", "config/paper.yaml")
_, paper_all = dry_run("--configfile", "config/paper.yaml", "--forceall")
unseeded = [s for s in STUDIES if not any(j.startswith(f"{s}_") for j in seeded)]
result = {
    "noop_dry_run_s": round(noop_s, 2), "target_s": TARGET_S, "nothing_to_do": not noop,
    "seed_change_jobs": sum(seeded.values()), "studies_without_seeded_jobs": unseeded,
    "paper_jobs_scheduled": sum(paper.values()), "paper_jobs_in_dag": sum(paper_all.values()),
}
result["meets_target"] = (noop_s <= TARGET_S and not noop and not unseeded
                          and result["paper_jobs_scheduled"] == result["paper_jobs_in_dag"])
write_json("results/benchmarks/pipeline_rerun.json", result)
print(result)
