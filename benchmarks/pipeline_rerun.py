"""Benchmark: a no-op re-run (`snakemake -n` after completion) must take <= 10 s on this machine.

Run by `make bench` after the quick profile has completed; writes results/benchmarks/pipeline_rerun.json.
"""

import subprocess
import sys
import time
from pathlib import Path

from energyrepro.io import write_json

TARGET_S = 10.0
snakemake = str(Path(sys.executable).with_name("snakemake"))
t0 = time.perf_counter()
proc = subprocess.run([snakemake, "-n"], capture_output=True, text=True)
wall = time.perf_counter() - t0
nothing = "Nothing to be done" in proc.stdout + proc.stderr
result = {"noop_dry_run_s": round(wall, 2), "target_s": TARGET_S, "nothing_to_do": nothing,
          "meets_target": wall <= TARGET_S and nothing}
write_json("results/benchmarks/pipeline_rerun.json", result)
print(result)
