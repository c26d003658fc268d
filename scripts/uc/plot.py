"""Snakemake entry point: Tables 1-3, the optimum and migration tables, Figs 2-3 (reads result files only)."""

import numpy as np
import pandas as pd

from energyrepro.io import read_json, write_table
from energyrepro.plotting import save_figure
from energyrepro.runtime import setup_logging
from energyrepro.tracking import attach_artifacts, attach_to_study
from energyrepro.uc import figures, paper, stats

sm = snakemake  # noqa: F821 (injected by Snakemake)
setup_logging(sm.log[0])
milp = pd.read_csv(sm.input.milp)
optimum = milp.set_index("size")["cost"]

t2 = stats.table2(pd.read_csv(sm.input.stats), sm.params.quality_target)
write_table(sm.output.table2, t2, sm.output.table2_md, stats.md_floatfmt(t2))
save_figure(figures.table2(t2), sm.output.table2_png)
t3 = pd.read_csv(sm.input.comparison)
write_table(sm.output.table3, t3, sm.output.table3_md, stats.md_floatfmt(t3))
save_figure(figures.table3(t3), sm.output.table3_png)
opt = stats.optimum_table(milp)
write_table(sm.output.optimum, opt, sm.output.optimum_md, stats.md_floatfmt(opt))
save_figure(figures.table_optimum(opt), sm.output.optimum_png)
mig = pd.read_csv(sm.input.migration)
write_table(sm.output.migration, mig, sm.output.migration_md, stats.md_floatfmt(mig))
save_figure(figures.table_migration(mig), sm.output.migration_png)

size, method = sm.params.map_size, sm.params.map_method
records = read_json(sm.input.map_json)["runs"]
i = stats.best_run(records, method)
best = [r for r in records if r["method"] == method][i]
save_figure(figures.table1_schedule(np.load(sm.input.map_npz)[f"{method}_u"][i], method, best["cost"],
                                    100 * (best["cost"] / optimum[size] - 1)), *sm.output.table1)

size, curves = sm.params.conv_size, np.load(sm.input.conv_npz)
methods = sorted(k.removesuffix("_best_cost") for k in curves.files if k.endswith("_best_cost"))
for key, out, fig_no, what, ylabel in (
        ("best_cost", sm.output.fig2, 2, "cost", "total cost of the best individual [$]"),
        ("mean_fitness", sm.output.fig3, 3, "fitness", "population mean fitness, eq. 24 [$]")):
    save_figure(figures.convergence({m: curves[f"{m}_{key}"] for m in methods}, fig_no, what, ylabel, size,
                                    paper.table3_value(size, "IHDE"), optimum[size], zoom=key == "mean_fitness"),
                *out)
attach_artifacts(sm.input.map_run, list(sm.output.table1), "figures")
attach_artifacts(sm.input.conv_run, [*sm.output.fig2, *sm.output.fig3], "figures")
attach_to_study(sm.input.experiments, "uc", [sm.output.table2_png, sm.output.table3_png, sm.output.optimum_png,
                                              sm.output.migration_png], "tables")
