"""The paper's values and settings (``data/paper.yaml``) and how a configuration departs from them.

Every deviation text of the study lives here (:func:`deviations`), so the jobs only log what this module says.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from energyrepro.claims import decimals_of
from energyrepro.paperdata import load_paper

PAPER_YAML = Path(__file__).with_name("data") / "paper.yaml"
NETWORKS = ("cnn", "lstm", "cnnlstm")


def paper() -> dict[str, Any]:
    return load_paper(PAPER_YAML)


def printed(value: str | float) -> tuple[float, int]:
    """A value as the paper prints it: (number, decimals printed), e.g. "0.0041" -> (0.0041, 4)."""
    return float(value), decimals_of(value)


def table_value(dataset: str, network: str, metric: str) -> tuple[float, int]:
    """Tab. 2 (d1) / Tab. 3 (d2) entry as printed: (value, decimals)."""
    return printed(paper()["tables"][dataset][network][metric])


def deviations(cfg: Mapping[str, Any], model: str | None = None, setting: str | None = None,
               data: str = "simulated", training: bool = True) -> list[tuple[str, Any, str]]:
    """(key, value, why) for every departure from the paper in what a job reads.

    ``cfg`` is the soc section or a job's slice of it (only the keys it holds are checked); ``model`` and
    ``setting`` name the network variant and training setting of a training job (model-specific keys are
    prefixed ``<model>.``); ``data`` is ``simulated`` (PyBaMM cycles) or ``lg_hg2`` (the real cells);
    ``training`` False gives the data deviation alone (for the data jobs).
    """
    s = paper()["settings"]
    out: list[tuple[str, Any, str]] = []
    if data == "simulated":
        out.append(("data", "simulated", "the paper's CALCE drive cycles are not available offline: PyBaMM-simulated "
                                         "cycles of an LG M50 cell with seeded sensor errors (docs/soc.md)"))
    else:
        out.append(("data", "lg_hg2", "real LG 18650HG2 cells (Kollmeyer et al. 2020) instead of the paper's CALCE "
                                      "cells; leave-one-temperature-out protocol (not the paper's)"))
    if not training:
        return out
    out.append(("features", "V,C-rate,T,MA(V),MA(C-rate),P/Ah", f"the paper has {s['inputs']} inputs and names only "
                                                                  "voltage, current and temperature"))
    out.append(("windows", "fixed-length", "fixed-length windows, the SOC of the last step as target; the paper's "
                                           "Matlab sequence setup is not given"))
    tr = cfg.get("train", {})
    if "test_fraction" in tr and tr["test_fraction"] != s["test_fraction"]:
        out.append(("train.test_fraction", tr["test_fraction"], f"paper {s['test_fraction']} (section 3.1.1)"))
    for key in ("dropout", "channels"):
        if key in tr and tr[key] != s[key]:
            out.append((f"train.{key}", tr[key], f"paper {s[key]} (sections 1.2, 2.1)"))
    if setting == "tuned":
        tu = cfg["tuned"]
        out.append(("setting", "tuned", f"learning rate chosen from {tu['lr_grid']} on a validation split of the "
                                        f"training windows, batch {tu['batch_size']}, best validation epoch; the "
                                        f"paper trains with lr {s['lr']}, batch {s['batch_size']}, last epoch"))
    elif setting == "paper":
        for key in ("lr", "batch_size"):
            if key in tr and tr[key] != s[key]:
                out.append((f"train.{key}", tr[key], f"paper {s[key]} (section 1.2); the paper setting here uses the "
                                                     "profile's value to fit its compute budget"))
    if model is not None:
        from energyrepro.soc.evaluate import parse_variant, uses_charge

        kind, hidden = parse_variant(model, tr.get("lstm_hidden", s["lstm_units_table"]))
        if kind != "cnn" and hidden not in (s["lstm_units_text"], s["lstm_units_table"]):
            out.append((f"{model}.lstm_units", hidden,
                        f"the paper gives {s['lstm_units_table']} (Table 1) or {s['lstm_units_text']} (text) units"))
        elif kind != "cnn" and hidden == s["lstm_units_table"]:
            out.append((f"{model}.lstm_units", hidden,
                        f"Table 1's {hidden} units; the text says {s['lstm_units_text']} (that variant is -h300)"))
        if uses_charge(model):
            out.append((f"{model}.inputs", "+cumulative charge",
                        "a seventh input, the charge moved since the cycle's start (the paper may have kept the "
                        "cycler's capacity columns)"))
    return out
