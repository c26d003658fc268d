"""Snakemake plot rule: allocation bar charts, GA/PSO convergence and wheeling charges (read only result files)."""

import numpy as np
import pandas as pd

from energyrepro.io import read_json
from energyrepro.plotting import save_figure
from energyrepro.pricing.figures import allocation_bars, convergence, wheeling_bars
from energyrepro.runtime import set_threads, setup_logging
from energyrepro.tracking import attach_artifacts

sm = snakemake  # noqa: F821 (injected by Snakemake)
log = setup_logging(sm.log[0])
set_threads(sm.threads)
cmp = pd.read_csv(sm.input.compare)
for system, unit, png, run in (("garver6", "M EUR", sm.output.garver, sm.input.run_garver),
                               ("rts24", "k EUR", sm.output.rts, sm.input.run_rts)):
    name = {"garver6": "Garver 6-bus (Tables 1-4)", "rts24": "IEEE RTS-24 (Tables 5-8)"}[system]
    save_figure(allocation_bars(cmp, system, unit, f"Transmission cost allocation, {name}: ours vs paper"), png)
    attach_artifacts(run, [png], artifact_path="figures")
opf = read_json(sm.input.opf)
curves = {m: np.load(p)["curves"] for m, p in zip(("ga", "pso"), sm.input.curves)}
save_figure(convergence(curves, opf["opf_cost"], "GA vs PSO convergence, IEEE 30-bus DC dispatch "
                        "(paper section IV; no figure in the paper)"), sm.output.convergence)
for run in sm.input.run_opt:
    attach_artifacts(run, [sm.output.convergence], artifact_path="figures")
save_figure(wheeling_bars(pd.read_csv(sm.input.wheeling_users),
                          "Wheeling charges, IEEE 30-bus: absolute (eq. 2) vs zero counter-flow (eq. 3) vs shared (r)"),
            sm.output.wheeling)
attach_artifacts(sm.input.run_wheeling, [sm.output.wheeling], artifact_path="figures")
