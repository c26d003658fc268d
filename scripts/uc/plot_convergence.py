"""Snakemake entry point: Figs. 2-3, cost and fitness convergence over generations (mean and band over seeds)."""

import numpy as np
import yaml

from energyrepro.io import read_json
from energyrepro.runtime import setup_logging
from energyrepro.tracking import attach_artifacts
from energyrepro.uc.plots import convergence

sm = snakemake  # noqa: F821 (injected by Snakemake)
log = setup_logging(sm.log[0])
size = int(sm.params.size)
paper = yaml.safe_load(open(sm.input.paper, encoding="utf-8"))
milp = read_json(sm.input.milp)
curves = {"cost": {}, "fitness": {}}
for path in sm.input.npz:
    method = "ihde" if "_ihde_" in path else "hde"
    d = np.load(path)
    curves["cost"].setdefault(method, []).append(d["best_cost"])
    curves["fitness"].setdefault(method, []).append(d["mean_fitness"])
ref = paper["table3"]["rows"].get(size)
paper_ihde = ref[paper["table3"]["columns"].index("IHDE")] if ref else None
for kind, png, ylabel, fig_no in (("cost", sm.output.fig2, "total cost of the best individual [$]", 2),
                                  ("fitness", sm.output.fig3, "population mean fitness, eq. 24 [$]", 3)):
    convergence({m: np.vstack(c) for m, c in sorted(curves[kind].items())}, png, ylabel,
                f"Fig. {fig_no} (reproduced): {kind} convergence, {size} units", paper_ihde,
                ("our MILP optimum", milp["exact_cost"]), zoom=kind == "fitness")
attach_artifacts(sm.input.run, [sm.output.fig2, sm.output.fig3], "figures")
