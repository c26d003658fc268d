"""Config checks the schema cannot express, and where the real LG HG2 files are (resolved only when the real
evaluation is requested), each with a clear error."""

from __future__ import annotations

import os


def lg_hg2_dir(lg_cfg: dict, repo_dir: str) -> str:
    """``soc.lg_hg2.path``; ``auto`` = ../shared/data/lg_hg2 beside the repository."""
    path = lg_cfg.get("path")
    if path in (None, "", "auto"):
        path = os.path.join(repo_dir, "..", "shared", "data", "lg_hg2")
    path = os.path.abspath(os.path.expanduser(path))
    if not os.path.isdir(path):
        raise FileNotFoundError(f"config soc.lg_hg2.path: LG HG2 folder {path} does not exist; point it at a copy "
                                "of the Kollmeyer et al. (2020) LG 18650HG2 data (see docs/soc.md)")
    return path


def lg_hg2_files(lg_cfg: dict, repo_dir: str) -> list[str]:
    """Every drive-cycle and capacity-test file the configured real cycles need."""
    base = lg_hg2_dir(lg_cfg, repo_dir)
    names = [c["file"] for c in lg_cfg["cycles"].values()]
    names += [c["capacity_file"] for c in lg_cfg["cycles"].values() if c.get("capacity_file")]
    return [os.path.join(base, n) for n in names]


def check_cycle_names(soc: dict) -> None:
    """Datasets and held-out cycles must name simulated cycles, and held-out cycles must not be trained on."""
    known = set(soc["simulate"]["cycles"])
    problems = [f"soc.datasets.{d}.cycles: unknown cycle {c!r}" for d, spec in soc["datasets"].items()
                for c in spec["cycles"] if c not in known]
    problems += [f"soc.heldout_cycles: unknown cycle {c!r}" for c in soc["heldout_cycles"] if c not in known]
    problems += [f"soc.heldout_cycles: {c!r} is also in soc.datasets.{d}" for d, spec in soc["datasets"].items()
                 for c in soc["heldout_cycles"] if c in spec["cycles"]]
    if "heldout" in soc["protocols"] and not soc["heldout_cycles"]:
        problems.append("soc.protocols has heldout but soc.heldout_cycles is empty")
    if problems:
        raise ValueError("invalid config:\n  " + "\n  ".join(problems) + f"\n  (simulated cycles: {sorted(known)})")
