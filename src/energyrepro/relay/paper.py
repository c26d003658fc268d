"""The paper's stated values and settings (data/paper.yaml), and how a configuration departs from the paper.

Every deviation text of the study lives here (`deviations`), so the jobs only log what this module says.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from energyrepro.claims import decimals_of
from energyrepro.paperdata import load_paper
from energyrepro.relay.faults import case_grid

PAPER_YAML = Path(__file__).with_name("data") / "paper.yaml"


def paper() -> dict[str, Any]:
    return load_paper(PAPER_YAML)


def printed(value: str | float) -> tuple[float, int]:
    """A value as the paper prints it: (number, decimals printed), e.g. "0.10" -> (0.1, 2)."""
    return float(value), decimals_of(value)


def grid_runs(cfg: Mapping) -> dict[str, int]:
    """EMT runs per data set of a relay config section."""
    return {name: len(case_grid(name, grid)) for name, grid in cfg["datasets"].items()}


def deviations(cfg: Mapping) -> list[tuple[str, str, str]]:
    """(key, value, why) for every departure from the paper: the study's method, and the settings of ``cfg``.

    ``cfg`` is the relay config section or a job's slice of it (same shape, fewer keys): only the settings it
    holds are checked, so each job records the deviations of what it read.
    """
    p = paper()["settings"]
    out = [
        ("simulator", "dpsim-emt", "ATP replaced by DPsim 1.4 three-phase EMT (no ATP available)"),
        ("line_model", "cascaded-pi", ("transposed line as cascaded pi sections from sequence constants; the paper "
                                       "used the tower geometry in ATP (not given)")),
        ("load_condition", "single", ("one pre-fault load flow (sources at +10 / -10 deg); the paper varied the "
                                      "operating conditions without listing them")),
        ("optimizer", "sgd-momentum", "NeuralWorks' Norm-Cum-Delta rule replaced by mini-batch SGD with momentum"),
        ("positions", "ours", ("the training positions are not listed in the paper: ours spread over each span, "
                               "denser near the zone limits (docs/relay.md)")),
    ]
    runs = grid_runs(cfg) if "datasets" in cfg else {}
    thinned = {k: f"{n}/{p['runs'][k]}" for k, n in runs.items() if n != p["runs"][k]}
    if thinned:
        out.append(("grid", "thinned", "EMT runs per set differ from the paper's (ours/paper): "
                    + ", ".join(f"{k} {v}" for k, v in thinned.items())))
    if "n_normal" in cfg and cfg["n_normal"] != p["normal_patterns"]:
        out.append(("normal_patterns", str(cfg["n_normal"]),
                    f"the paper adds {p['normal_patterns']} normal-operation patterns to the detection set"))
    if "val_frac" in cfg and cfg["val_frac"] != p["val_frac"]:
        out.append(("val_frac", str(cfg["val_frac"]), f"the paper validates on {p['val_frac']:.0%} of the patterns"))
    (lr_lo, lr_hi), (mo_lo, mo_hi) = p["lr_range"], p["momentum_range"]
    for net, hp in cfg.get("nets", {}).items():
        if not lr_lo <= hp["lr"] <= lr_hi:
            out.append((f"{net}.lr", str(hp["lr"]), f"outside the paper's learning rates {lr_lo}-{lr_hi}"))
        if not mo_lo <= hp["momentum"] <= mo_hi:
            out.append((f"{net}.momentum", str(hp["momentum"]), f"outside the paper's momentum {mo_lo}-{mo_hi}"))
    return out


def table2_paper_columns(t2: pd.DataFrame) -> pd.DataFrame:
    """Table 2 rows (:func:`evaluation.table2`) with the paper's value beside ours only where the text states one:
    detection and classification "very close to 100 %" and the module times for all types pooled, the location
    of the phase-phase types (88.78 %, 93.78 % with the bands excused). Per-type values are not in the text."""
    v = paper()["values"]
    pct = {("all", "detection"): v["detection_pct"], ("all", "classification"): v["classification_pct"],
           ("LL", "location"): v["ll_location_pct"]}
    bands = {("LL", "location"): v["ll_location_bands_pct"]}
    times = {("all", "detection"): f"<= {v['detection_ms_max']}",
             ("all", "classification"): "-".join(map(str, v["classification_ms"])),
             ("all", "location"): "-".join(map(str, v["location_ms"]))}
    out = t2.copy()
    keys = list(zip(out.ftype, out.module))
    out["paper_correct_pct"] = [float(pct[k]) if k in pct else None for k in keys]
    out["paper_correct_bands_pct"] = [float(bands[k]) if k in bands else None for k in keys]
    out["paper_time_ms"] = [times.get(k, "") for k in keys]
    return out
