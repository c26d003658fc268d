"""Publish a profile's results in the repository, and redraw figures from them on a fresh clone.

A paper-scale run costs hours (and a GPU for some studies); its small outputs are committed under
``published/<profile>/`` with the same relative paths they have under ``results/<profile>/``:
the merged claims, every table (CSV), every figure (PNG), the small files the plot rules read, a benchmark
summary and a MANIFEST (commit, config hash, versions, machine, wall time per study). ``make figures``
copies the plot rules' inputs back where the workflow expects them and re-runs only the plot rules.

Which files the plot rules read is asked of Snakemake itself (``--detailed-summary``), so this module knows
no study.
"""

from __future__ import annotations

import csv
import io
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

from energyrepro.io import write_csv, write_text

PLOT_RULE = re.compile(r"^[a-z0-9]+_plot(_[a-z0-9_]+)?$")
"""Plot rules are named ``<study>_plot`` or ``<study>_plot_<what>`` (docs/adding-a-study.md)."""
PACKAGES = ["snakemake", "mlflow", "numpy", "scipy", "pandas", "matplotlib", "torch", "torchvision", "dpsim",
            "pybamm", "pandapower", "highspy", "elpv-dataset"]
MAX_FILE_MB = 8.0
STUDIES_KEY, UNPUBLISHED_KEY = "studies: ", "not published: "
"""MANIFEST lines naming the published studies and, one line each, a profile study left out with the reason."""


def summary_rows(summary_tsv: str) -> list[dict[str, str]]:
    """Rows of ``snakemake --detailed-summary`` (tab-separated; its header names the columns)."""
    return list(csv.DictReader(io.StringIO(summary_tsv), delimiter="\t"))


def plot_files(rows: list[dict[str, str]]) -> tuple[list[str], list[str]]:
    """(inputs, outputs) of the plot rules in a detailed summary, each sorted and unique."""
    inputs, outputs = set(), set()
    for r in rows:
        if PLOT_RULE.match(r.get("rule") or ""):
            outputs.add(r["output_file"])
            inputs |= {f for f in (r.get("input-file(s)") or "").split(",") if f and f != "-"}
    return sorted(inputs - outputs), sorted(outputs)


def plot_rules(rows: list[dict[str, str]]) -> list[str]:
    return sorted({r["rule"] for r in rows if PLOT_RULE.match(r.get("rule") or "")})


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for p in PACKAGES:
        try:
            out[p] = version(p)
        except PackageNotFoundError:
            out[p] = "not installed"
    return out


def _machine() -> dict[str, str]:
    mem = ""
    if Path("/proc/meminfo").exists():
        kb = int(Path("/proc/meminfo").read_text().split("MemTotal:")[1].split()[0])
        mem = f"{kb / 2**20:.0f} GiB"
    cpu = platform.processor() or platform.machine()
    if Path("/proc/cpuinfo").exists():
        names = [ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                 if ln.startswith("model name")]
        cpu = names[0] if names else cpu
    return {"cores": str(os.cpu_count()), "memory": mem, "cpu": cpu, "os": platform.platform()}


def study_times(bench_csv: pd.DataFrame) -> pd.DataFrame:
    """Per study: jobs, summed job wall seconds and CPU seconds (from Snakemake's benchmark files)."""
    g = bench_csv.groupby("study")
    return pd.DataFrame({"jobs": g.size(), "job_wall_s": g["wall_s"].sum().round(1),
                         "cpu_s": g["cpu_s"].sum().round(1), "max_rss_mb": g["max_rss_mb"].max().round(0)})


def manifest(*, profile: str, commit: str, config_hash: str, times: pd.DataFrame, elapsed: dict[str, float],
             gpu_runs: list[str], studies: list[str], unpublished: list[str] = (), notes: list[str] = ()) -> str:
    """The MANIFEST text: what produced the published results, where, and how long each study took."""
    lines = [f"# published/{profile}: provenance", "", f"profile: {profile}", f"commit: {commit}",
             f"config_hash: {config_hash}", STUDIES_KEY + ", ".join(studies)]
    lines += [UNPUBLISHED_KEY + u for u in unpublished]
    lines += ["", "## machine"]
    lines += [f"{k}: {v}" for k, v in _machine().items()]
    lines += ["gpu runs: " + ("; ".join(gpu_runs) if gpu_runs else "none (every job ran on the CPUs above)"),
              "", "## software"]
    lines += [f"{k}: {v}" for k, v in _versions().items()]
    lines += ["", "## time per study (jobs' wall and CPU seconds summed from Snakemake benchmark files; "
                  "elapsed = wall clock of the pipeline invocation that ran the study, n/a where it was resumed "
                  "across several)", ""]
    t = times.copy()
    t["elapsed_s"] = [elapsed.get(s, "n/a") for s in t.index]
    lines += [t.reset_index().to_markdown(index=False), ""]
    if notes:
        lines += ["## notes", ""] + [f"- {n}" for n in notes] + [""]
    return "\n".join(lines) + "\n"


def publish(rows: list[dict[str, str]], src_root: Path, dest: Path) -> list[Path]:
    """Copy the plot rules' inputs and outputs (PNG, CSV; no PDFs, no weights) from ``src_root`` to ``dest``."""
    inputs, outputs = plot_files(rows)
    # package data and published/gpu are in git; the MLflow experiments file belongs to the local store
    inputs = [f for f in inputs if Path(f).is_relative_to(src_root) and "mlflow" not in Path(f).parts]
    wanted = inputs + [o for o in outputs if o.endswith((".png", ".csv", ".md"))]
    files = [f for w in map(Path, wanted) for f in (sorted(w.rglob("*")) if w.is_dir() else [w])
             if f.is_file()]  # a folder input (e.g. the images a figure shows) goes file by file
    copied = []
    for f in files:
        rel = f.relative_to(src_root)
        size_mb = f.stat().st_size / 2**20
        if size_mb > MAX_FILE_MB:
            raise ValueError(f"{f} is {size_mb:.1f} MB, over the {MAX_FILE_MB} MB a published file may have: "
                             "make the plot rule read a smaller summary")
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(f, target)
        copied.append(target)
    return copied


def manifest_studies(manifest_text: str) -> tuple[list[str], list[str]]:
    """(published studies, 'study: reason' of each study left out) as a MANIFEST states them."""
    lines = manifest_text.splitlines()
    studies = next(ln[len(STUDIES_KEY):] for ln in lines if ln.startswith(STUDIES_KEY))
    return [s.strip() for s in studies.split(",") if s.strip()], \
        [ln[len(UNPUBLISHED_KEY):] for ln in lines if ln.startswith(UNPUBLISHED_KEY)]


def restore(published: Path, results: Path) -> int:
    """Copy published files into ``results`` where missing (never over a file a real run wrote).

    Every restored file gets one modification time, now: later than the checkout's files and the fresh MLflow
    experiments file the jobs read, so Snakemake sees no input newer than a restored result and re-runs no
    compute job (``make figures`` runs ``mlflow_init`` first, then this, then the plot rules).
    """
    now = time.time()
    n = 0
    for f in published.rglob("*"):
        if f.is_file() and f.name != "MANIFEST":
            target = results / f.relative_to(published)
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(f, target)
                os.utime(target, (now, now))
                n += 1
    return n


def _snakemake(*args: str) -> str:
    exe = str(Path(sys.executable).with_name("snakemake"))
    proc = subprocess.run([exe, *args], capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"snakemake {' '.join(args)} failed:\n{proc.stderr[-4000:]}")
    return proc.stdout


def main(argv: list[str] | None = None) -> None:
    """``python -m energyrepro.publish publish|restore`` (``make publish`` / ``make figures``)."""
    import argparse

    from energyrepro.config import load_config
    from energyrepro.report import merge_benchmarks
    from energyrepro.tracking import config_hash, git_state

    ap = argparse.ArgumentParser(prog="python -m energyrepro.publish")
    ap.add_argument("cmd", choices=["publish", "restore", "plot-rules", "studies"])
    ap.add_argument("--configfile", default="config/paper.yaml")
    ap.add_argument("--dest", default=None, help="default: published/<profile>")
    ap.add_argument("--elapsed", default=None, help="JSON {study: wall seconds} measured by the caller")
    ap.add_argument("--gpu-run", action="append", default=[], help="a sentence per study computed on a GPU")
    ap.add_argument("--note", action="append", default=[], help="a MANIFEST line (what broke, what is missing)")
    ap.add_argument("--studies", default=None, help="comma-separated studies to publish (default: the profile's)")
    ap.add_argument("--unpublished", action="append", default=[],
                    help="'study: reason' for each profile study left out (required for each one)")
    args = ap.parse_args(argv)
    cfg = load_config(args.configfile)
    profile = cfg["profile"]
    src_root = Path("results") / profile
    dest = Path(args.dest or Path("published") / profile)
    if args.cmd == "restore":
        print(f"restored {restore(dest, src_root)} published files into {src_root}")
        return
    if args.cmd == "studies":  # the --config value `make figures` passes: what was published, else the profile's
        studies = manifest_studies((dest / "MANIFEST").read_text())[0] if (dest / "MANIFEST").exists() \
            else cfg["studies"]
        print(f"studies=[{','.join(studies)}]")
        return
    studies = args.studies.split(",") if args.studies else list(cfg["studies"])
    left_out = sorted(set(cfg["studies"]) - set(studies))
    named = {u.split(":")[0].strip() for u in args.unpublished}
    if set(left_out) != named:
        raise SystemExit(f"--unpublished must give a reason for each study left out: {left_out}, got {sorted(named)}")
    rows = summary_rows(_snakemake("figures", "--detailed-summary", "--configfile", args.configfile,
                                   "--config", f"studies=[{','.join(studies)}]"))
    if args.cmd == "plot-rules":
        print(" ".join(plot_rules(rows)))
        return
    merged = sorted(set(pd.read_csv(src_root / "claims.csv").study))
    if merged != sorted(studies):
        raise SystemExit(f"{src_root / 'claims.csv'} holds {merged}, not the published {sorted(studies)}")
    commit, dirty = git_state()  # before writing: the published files are tracked, so writing them dirties the tree
    if dest.exists():
        shutil.rmtree(dest)
    copied = publish(rows, src_root, dest)
    for name in ("claims.csv", "claims.md"):
        shutil.copy2(src_root / name, dest / name)
    bench = merge_benchmarks(src_root / "benchmarks")
    bench = bench[bench.study.isin(studies)]
    write_csv(dest / "benchmarks.csv", bench)
    elapsed = json.loads(Path(args.elapsed).read_text()) if args.elapsed else {}
    write_text(dest / "MANIFEST", manifest(profile=profile, commit=commit + ("-dirty" if dirty else ""),
                                           config_hash=config_hash(cfg), times=study_times(bench),
                                           elapsed=elapsed, gpu_runs=args.gpu_run, studies=studies,
                                           unpublished=args.unpublished, notes=args.note))
    size = sum(f.stat().st_size for f in dest.rglob("*") if f.is_file()) / 2**20
    print(f"published {len(copied)} files ({size:.1f} MB) to {dest}")


if __name__ == "__main__":
    main()
