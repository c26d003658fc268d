"""Snakemake entry point: Table 1 as a heat map, the best IHDE schedule of the chosen size."""

import numpy as np

from energyrepro.io import read_json
from energyrepro.runtime import setup_logging
from energyrepro.tracking import attach_artifacts
from energyrepro.uc.plots import schedule_heatmap

sm = snakemake  # noqa: F821 (injected by Snakemake)
log = setup_logging(sm.log[0])
results = [read_json(p) for p in sm.input.json]
best = int(np.argmin([r["cost"] if r["feasible"] else np.inf for r in results]))
r = results[best]
u = np.load(sm.input.npz[best])["u"]
schedule_heatmap(u, sm.output.png, f"Table 1 (reproduced): best {r['method'].upper()} schedule, {r['size']} units, "
                 f"cost {r['cost']:,.0f} $")
attach_artifacts(sm.input.runs[best], [sm.output.png], "figures")
log.info("drew run %s (cost %.1f)", sm.input.json[best], r["cost"])
