"""Snakemake plot rule: every figure and table image of the study from the result files (energyrepro.relay.figures)."""

import numpy as np
import pandas as pd

from energyrepro.io import read_json, write_csv
from energyrepro.plotting import save_figure
from energyrepro.relay import figures, paper
from energyrepro.relay.cases import load_system
from energyrepro.relay.evaluation import table2
from energyrepro.runtime import setup_logging
from energyrepro.tracking import attach_artifacts

sm = snakemake  # noqa: F821 (injected by Snakemake)
log = setup_logging(sm.log[0])
out = sm.output
system = load_system(sm.input.system)

waves = dict(np.load(sm.input.waveforms))
wave_figs = []
for ftype in map(str, waves["types"]):
    wave_figs += save_figure(figures.fig_waveforms(waves, ftype), *getattr(out, f"fig_waveforms_{ftype}"))

scored = pd.read_csv(sm.input.cases)
t2 = paper.table2_paper_columns(table2(scored))
write_csv(out.table2, t2.round(2))
paths = save_figure(figures.table2_figure(t2, scored.case.nunique(), scored.seed.nunique()), *out.table2_relay)
paths += save_figure(figures.fig_confusion(scored), *out.fig_confusion)
paths += save_figure(figures.fig_zone_accuracy(scored, system["zones"]), *out.fig_zone_accuracy)
paths += save_figure(figures.fig_pisections(pd.read_csv(sm.input.pisections), system["network"]["max_section_km"]),
                     *out.fig_pisections)
metrics = [read_json(p) for p in sm.input.metrics]
histories = {m["net"]: pd.read_csv(p) for m, p in zip(metrics, sm.input.histories)}
train_fig = save_figure(figures.fig_training(histories, {m["net"]: m["architecture"] for m in metrics},
                                             paper.paper()["values"]["validation_rms"]), *out.fig_training_rms)

attach_artifacts(sm.input.waveforms_run, wave_figs, "figures")
attach_artifacts(sm.input.test_run, paths + [out.table2], "figures")
for rj in sm.input.train_runs:
    attach_artifacts(rj, train_fig, "figures")
