"""One network's training job: its patterns from the simulated cases, every training seed at once (paper section 4).

The training seeds differ in initial weights, train/validation split and shuffling; the patterns (and, for the
detection net, the drawn normal-operation windows) are the same for all of them, so the spread over seeds is
the spread of the training procedure on one data set.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from energyrepro.relay.datasets import training_set
from energyrepro.relay.mlp import Stack, train
from energyrepro.seeding import derive_seed


@dataclass
class Trained:
    models: list[Stack]  # one single-member stack per seed
    history: pd.DataFrame  # seed (repetition 0, 1, ...), epoch, train_rms, val_rms
    metrics: dict


def seeds_of(base_seed: int, net: str, n: int) -> list[int]:
    """The training seeds of ``net``: derived from the pipeline seed, one per repetition."""
    return [derive_seed(base_seed, "relay", "train", net, k) for k in range(n)]


def train_network(net: str, data: Mapping[str, np.ndarray], system: Mapping, cfg: Mapping, base_seed: int,
                  on_epoch: Callable[[int, dict], None] | None = None) -> Trained:
    """Train ``net`` with ``cfg['seeds']`` seeds on the patterns of its simulated cases (``data``);
    ``on_epoch(k, record)`` sees every epoch of repetition k (0, 1, ...: the ``seed`` column of the relay test)."""
    hp, arch = cfg["nets"][net], system["nets"][net]
    rng = np.random.default_rng(derive_seed(base_seed, "relay", "patterns", net))
    X, Y, _ = training_set(net, data, system, cfg["n_normal"] if net == "ann1" else 0, rng)
    seeds = seeds_of(base_seed, net, cfg["seeds"])
    index = {s: k for k, s in enumerate(seeds)}
    results = train(X, Y, arch["hidden"], hp["lr"], hp["momentum"], hp["batch_size"], hp["max_epochs"],
                    hp["patience"], cfg["val_frac"], seeds,
                    on_epoch=None if on_epoch is None else lambda seed, rec: on_epoch(index[seed], rec))
    history = pd.DataFrame([{"seed": index[r.seed], **h} for r in results for h in r.history])
    sizes = [X.shape[1], *arch["hidden"], arch["outputs"]]
    metrics = {"net": net, "architecture": "-".join(map(str, sizes)), "patterns": len(X),
               "cases": len(data["case"]), "seeds": seeds, "best_epoch": [r.best_epoch for r in results],
               "epochs_run": [len(r.history) for r in results], "best_val_rms": [r.best_val_rms for r in results],
               "max_epochs": hp["max_epochs"]}
    return Trained([r.model for r in results], history, metrics)


def training_slice(relay_cfg: Mapping, net: str) -> dict:
    """The part of the relay config section a training job reads: its network's SGD settings and data set, the
    split, the number of seeds and, for the detection net, the number of normal-operation windows."""
    out = {"val_frac": relay_cfg["val_frac"], "seeds": relay_cfg["seeds"], "nets": {net: relay_cfg["nets"][net]},
           "datasets": {net: relay_cfg["datasets"][net]}}
    if net == "ann1":
        out["n_normal"] = relay_cfg["n_normal"]
    return out
