"""The paper's setting and numbers (``data/paper.yaml``) and how a run departs from them (every deviation text)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

import pandas as pd

from energyrepro.paperdata import load_paper

PAPER_FILE = Path(__file__).parent / "data" / "paper.yaml"
LEVEL_NAMES = {0: "0 (surely functional)", 1: "1/3", 2: "2/3", 3: "1 (surely defective)"}


def paper() -> dict[str, Any]:
    return load_paper(PAPER_FILE)


def table1() -> pd.DataFrame:
    """Table 1 in long form: learning_rate, epochs, paper_accuracy_pct."""
    rows = [{"learning_rate": float(lr), "epochs": int(ep), "paper_accuracy_pct": float(acc)}
            for lr, by_ep in paper()["table1"].items() for ep, acc in by_ep.items()]
    return pd.DataFrame(rows)


def figure_number(lr: float) -> str:
    """The paper's figure showing this learning rate's curves (6, 7, 8), 'S' for a rate it did not run."""
    for paper_lr, fig in paper()["figures"].items():
        if abs(float(paper_lr) - float(lr)) <= 1e-12 * max(1.0, float(lr)):
            return str(fig)
    return "S"


def _levels(levels: list[int]) -> str:
    return ", ".join(f"p={LEVEL_NAMES[lv]}" for lv in sorted(levels))


def deviations(cfg: Mapping[str, Any], pretrained: bool) -> list[tuple[str, Any, str]]:
    """(key, value, why) for every way this run's setting differs from the paper's (tags ``deviation.*``)."""
    p = paper()
    s, assumed = p["setting"], p["assumed"]
    types, levels = cfg["cell_types"], cfg["label_levels"]
    closest = sorted(types) == ["poly"] and sorted(levels["functional"]) == [0] and sorted(levels["defective"]) == [3]
    out: list[tuple[str, Any, str]] = [
        ("data", "elpv", f"the paper used {s['originals']} {s['data']} ({s['cells']}); we use the public ELPV cells "
                         "(Deitsch et al. 2019)"),
        ("cells", f"{'+'.join(types)}; functional {sorted(levels['functional'])}; defective "
                  f"{sorted(levels['defective'])}",
         f"ELPV {'/'.join(types)} cells; functional: {_levels(levels['functional'])}; defective: "
         f"{_levels(levels['defective'])}; "
         + ("the closest match to the paper's multi-crystalline broken vs non-broken cells (poly, unambiguous labels)"
            if closest else "the paper's cells are multi-crystalline (ELPV poly) and labelled without uncertain "
                            "cases (levels 0 and 3 only)")),
        ("class_balance", f"{cfg['originals_per_class']} per class",
         f"the paper gives {s['originals']} originals but their class split only after augmentation "
         f"({s['images_per_class']} per class); we assume balanced originals"
         + ("" if 2 * cfg["originals_per_class"] == s["originals"] else f", {cfg['originals_per_class']} per class "
                                                                         "(smaller profile)")),
        ("split", "per_seed", "the paper reports one 80:20 split; each of our seeds draws its own augmentation and "
                              "split of the originals, so the spread over seeds includes the split's luck"),
        ("framework", "pytorch", "the paper trained in MATLAB; we use torchvision's AlexNet and SGD with momentum"),
    ]
    if not pretrained:
        out.append(("pretrained", "false", "no ImageNet AlexNet weights (el.weights: not cached and no download "
                                           "possible, or none): trained from scratch instead of transfer learning"))
    for key in ("images_per_class", "input_size"):
        if cfg[key] != s[key]:
            why = f"paper: {s[key]}; smaller in the quick/test profiles to fit 2 CPU cores"
            if key == "input_size" and cfg[key] == 224:
                why = f"paper: {s[key]} (MATLAB's AlexNet); torchvision's AlexNet is defined at 224 px"
            out.append((key, cfg[key], why))
    for key, value in assumed.items():
        if cfg[key] != value:
            out.append((key, cfg[key], f"the paper does not state it; the MATLAB example it follows uses {value}"))
    if max(cfg["epochs"]) < max(s["epochs"]) or sorted(cfg["learning_rates"]) != sorted(s["learning_rates"]):
        out.append(("sweep", f"lr={cfg['learning_rates']} epochs={cfg['epochs']}",
                    f"paper: lr={s['learning_rates']} epochs={s['epochs']}"))
    return out
