"""Snakemake entry point: Table 1 (+ PNG), Figs 6-8 and Fig 9 from the sweep summary (no training)."""

import pandas as pd

from energyrepro.el.figures import accuracy_vs_epochs_figure, curves_figure, table_figure
from energyrepro.el.paper import load_paper
from energyrepro.el.paper import table1 as paper_table1
from energyrepro.el.summary import table1
from energyrepro.io import read_json, write_table
from energyrepro.plotting import save_figure
from energyrepro.runtime import setup_logging
from energyrepro.tracking import attach_artifacts

sm = snakemake  # noqa: F821 (injected by Snakemake)
log = setup_logging(sm.log[0])
cfg = sm.params.cfg
summary = pd.read_csv(sm.input.summary)
pretrained = all(read_json(p)["pretrained"] for p in sm.input.metas)

table = table1(summary, cfg["epochs"])
write_table(sm.output.table, table.astype(object).where(table.notna(), None))  # blanks, not 'nan', in the .md
origin = "ImageNet-pretrained" if pretrained else "from scratch"
save_figure(table_figure(table, f"Table 1 (paper) beside ours: validation accuracy in %, mean and std over seeds, "
                                f"AlexNet {origin}, {sm.config['profile']} profile"), sm.output.table_png)

paper = paper_table1()
head = load_paper()["headline_epochs"]
for lr, fig_no, png in zip(sm.params.learning_rates, sm.params.fig_numbers, sm.output.curves):
    ref = paper[(paper["learning_rate"].sub(lr).abs() < 1e-12) & (paper["epochs"] == head)]["paper_accuracy_pct"]
    save_figure(curves_figure(summary, lr, fig_no, float(ref.iloc[0]) if len(ref) else None, pretrained), png)
save_figure(accuracy_vs_epochs_figure(table, paper, pretrained), sm.output.fig9)

outputs = [sm.output.table, sm.output.table_png, *sm.output.curves, sm.output.fig9]
run_id = attach_artifacts(sm.input.run, outputs, artifact_path="figures")
log.info("attached %d figures/tables to run %s", len(outputs), run_id)
