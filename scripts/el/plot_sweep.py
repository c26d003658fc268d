"""Snakemake entry point: Table 1 (+ image), Figs 6-8 and Fig 9 from the sweep summary (no training)."""

import pandas as pd

from energyrepro.el import figures
from energyrepro.el.paper import paper
from energyrepro.el.paper import table1 as paper_table1
from energyrepro.el.summary import table1
from energyrepro.io import read_json, write_table
from energyrepro.plotting import save_figure
from energyrepro.runtime import setup_logging
from energyrepro.tracking import attach_artifacts

sm = snakemake  # noqa: F821 (injected by Snakemake)
log = setup_logging(sm.log[0])
summary = pd.read_csv(sm.input.summary)
pretrained = all(read_json(p)["pretrained"] for p in sm.input.metas)

table = table1(summary, sm.params.epochs)
write_table(sm.output.table, table.astype(object).where(table.notna(), None), sm.output.table_md)
save_figure(figures.table1_image(table, pretrained, sm.params.profile), *sm.output.table_img)

ref = paper_table1()
head = paper()["headline_epochs"]
for i, (lr, fig_no) in enumerate(zip(sm.params.learning_rates, sm.params.fig_numbers)):
    acc = ref[(ref["learning_rate"].sub(lr).abs() < 1e-12) & (ref["epochs"] == head)]["paper_accuracy_pct"]
    fig = figures.figs6_8_curves(summary, lr, fig_no, float(acc.iloc[0]) if len(acc) else None, pretrained)
    save_figure(fig, *sm.output.curves[2 * i:2 * i + 2])  # the PNG and PDF of this learning rate
save_figure(figures.fig9_accuracy_vs_epochs(table, ref, pretrained), *sm.output.fig9)

outputs = [sm.output.table, *sm.output.table_img, *sm.output.curves, *sm.output.fig9]
attach_artifacts(sm.input.run, [p for p in outputs if not str(p).endswith(".pdf")], artifact_path="figures")
