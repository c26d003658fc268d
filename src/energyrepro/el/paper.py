"""The paper's setting and numbers (from ``data/verma2021.yaml``) and how a run departs from them."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

import pandas as pd
import yaml

PAPER_FILE = Path(__file__).parent / "data" / "verma2021.yaml"


@lru_cache(maxsize=1)
def load_paper() -> dict:
    return yaml.safe_load(PAPER_FILE.read_text(encoding="utf-8"))


def table1() -> pd.DataFrame:
    """Table 1 in long form: learning_rate, epochs, paper_accuracy_pct."""
    rows = [{"learning_rate": float(lr), "epochs": int(ep), "paper_accuracy_pct": float(acc)}
            for lr, by_ep in load_paper()["table1"].items() for ep, acc in by_ep.items()]
    return pd.DataFrame(rows)


def figure_number(lr: float) -> str:
    """The paper's figure showing this learning rate's curves (6, 7, 8), 'S' for a rate it did not run."""
    for paper_lr, fig in load_paper()["figures"].items():
        if abs(float(paper_lr) - float(lr)) <= 1e-12 * max(1.0, float(lr)):
            return str(fig)
    return "S"


def deviations(cfg: Mapping[str, Any], pretrained: bool) -> list[tuple[str, Any, str]]:
    """(key, value, why) for every way this run's setting differs from the paper's (tags ``deviation.*``)."""
    s = load_paper()["setting"]
    out: list[tuple[str, Any, str]] = [
        ("data", "elpv", f"the paper used {2 * s['originals_per_class']} {s['data']}; we use the public ELPV cells "
                         "(Deitsch et al. 2019), defective when the defect probability >= el.defect_threshold"),
        ("framework", "pytorch", "the paper trained in MATLAB; we use torchvision's AlexNet and SGD with momentum"),
    ]
    if not pretrained:
        out.append(("pretrained", "false", "no ImageNet AlexNet weights are available offline (el.weights); "
                                           "trained from scratch instead of transfer learning"))
    for key in ("originals_per_class", "images_per_class", "input_size"):
        if cfg[key] != s[key]:
            why = f"paper: {s[key]}; set by el.{key} (smaller in the quick/test profiles to fit 2 CPU cores)"
            if key == "input_size" and cfg[key] == 224:
                why = f"paper: {s[key]} (MATLAB's AlexNet); torchvision's AlexNet is defined at 224 px"
            out.append((key, cfg[key], why))
    if max(cfg["epochs"]) < max(s["epochs"]) or sorted(cfg["learning_rates"]) != sorted(s["learning_rates"]):
        out.append(("sweep", f"lr={cfg['learning_rates']} epochs={cfg['epochs']}",
                    f"paper: lr={s['learning_rates']} epochs={s['epochs']}"))
    return out
