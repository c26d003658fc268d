"""Snakemake plot rule: every figure and table image of the study from the result files (energyrepro.soc.figures)."""

import numpy as np
import pandas as pd

from energyrepro.io import write_csv
from energyrepro.plotting import save_figure
from energyrepro.runtime import setup_logging
from energyrepro.soc import figures, paper
from energyrepro.soc.summary import paper_table
from energyrepro.tracking import attach_artifacts

sm = snakemake  # noqa: F821 (injected by Snakemake)
log = setup_logging(sm.log[0])
out = sm.output
summary = pd.read_csv(sm.input.summary, keep_default_na=False, na_values=[""])
summary["setting"] = summary.setting.fillna("")
fig = dict(np.load(sm.input.figdata))
paths = []
for dataset, no, csv, img, fig_img in (("d1", 2, out.table2, out.table2_dataset1, out.fig6_dataset1),
                                       ("d2", 3, out.table3, out.table3_dataset2, out.fig7_dataset2)):
    table = paper_table(summary, dataset)
    write_csv(csv, table)
    paths += save_figure(figures.table_paper(table, no, dataset), *img)
    paths += save_figure(figures.fig_soc(f"dataset {dataset[1]}", no + 4, fig, dataset), *fig_img)
paths += save_figure(figures.fig_training_curves(pd.read_csv(sm.input.histories)), *out.fig_training_curves)
peer = float(paper.paper()["peer"]["wong2021"]["mae"])
real_summary = pd.read_csv(sm.input.real_summary)
table = figures.real_table(real_summary)
write_csv(out.real_table, table)
paths += save_figure(figures.table_real(table, peer), *out.table_real_lg_hg2)
paths += save_figure(figures.fig_real_error(real_summary, fig, peer), *out.fig_real_error)
attach_artifacts(sm.input.claims_run, paths + [out.table2, out.table3, out.real_table], "figures")
