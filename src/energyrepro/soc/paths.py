"""Config checks the schema cannot express, and the files a configuration makes the rules read (the real LG HG2
files, a precomputed GPU run), each with a clear error naming the key."""

from __future__ import annotations

import json
import os


def lg_hg2_inputs(lg_cfg: dict) -> list[str]:
    """Every LG HG2 file the real-cell jobs read: the shipped 1 s copy and its manifest, or with
    ``soc.lg_hg2.path`` the parsed 0.1 s files in that folder (a missing folder is an error naming the key)."""
    from energyrepro.soc.lg_hg2 import DATA_DIR, MANIFEST, manifest

    man = manifest()
    path = lg_cfg.get("path")
    if path in (None, ""):
        return [str(DATA_DIR / MANIFEST)] + [str(DATA_DIR / f) for f in man.file]
    folder = os.path.abspath(os.path.expanduser(path))
    if not os.path.isdir(folder):
        raise FileNotFoundError(f"config soc.lg_hg2.path: folder {folder} does not exist; point it at the parsed "
                                "files of the Kollmeyer et al. (2020) LG 18650HG2 data set, or set it to null for "
                                "the copy shipped with the package (docs/soc.md)")
    return [str(DATA_DIR / MANIFEST)] + [os.path.join(folder, f) for f in man.source]


def precomputed_models(folder: str | None, models: list[str]) -> list[str]:
    """The configured models that the precomputed GPU run in ``folder`` holds (none when unset)."""
    if not folder:
        return []
    meta = os.path.join(folder, "meta.json")
    if not os.path.isfile(meta):
        raise FileNotFoundError(f"config soc.precomputed: {meta} does not exist (expected the output folder of "
                                "tools/gpu/soc_paper.py, or null to train every model here)")
    with open(meta, encoding="utf-8") as fh:
        held = json.load(fh)["models"]
    return [m for m in models if m in held]


def train_slice(soc: dict, dataset: str) -> dict:
    """What a training job reads: its dataset, the held-out cycles, protocols, inputs, both settings' training
    keys, the models and the precomputed folder (nothing else of the soc section)."""
    keys = ("heldout_cycles", "protocols", "features", "train", "tuned", "models", "precomputed")
    return {"datasets": {dataset: soc["datasets"][dataset]}, **{k: soc[k] for k in keys}}


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
