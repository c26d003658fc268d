"""Snakemake plot rule: Figs 6-7, estimated vs true SOC over time with error, from the saved predictions."""

import numpy as np
import pandas as pd

from energyrepro.runtime import setup_logging
from energyrepro.soc.plots import soc_figure
from energyrepro.tracking import attach_artifacts

sm = snakemake  # noqa: F821 (injected by Snakemake)
log = setup_logging(sm.log[0])
cfg = sm.config["soc"]
cycles = {c: pd.read_csv(p) for c, p in zip(sm.params.cycles, sm.input.cycles)}
models = sm.params.models
for dataset, no, png, run in (("d1", 6, sm.output.fig6, sm.input.run_d1), ("d2", 7, sm.output.fig7, sm.input.run_d2)):
    nets = {m: dict(np.load(p)) for m, p in zip(models, sm.input[f"preds_{dataset}"])}
    base = dict(np.load(sm.input[f"base_{dataset}"]))
    random_cycle = cfg["datasets"][dataset]["cycles"][0] if "random" in cfg["protocols"] else None
    heldout = cfg["heldout_cycles"][0] if "heldout" in cfg["protocols"] else None
    soc_figure(f"dataset {dataset[1]}", no, nets, base, cycles, random_cycle, heldout, png)
    attach_artifacts(run, [png])
