"""Snakemake entry point: Tables 2 and 3 (CSV + Markdown + PNG) from the summary files."""

import pandas as pd
import yaml

from energyrepro.io import write_table
from energyrepro.runtime import setup_logging
from energyrepro.tracking import attach_artifacts
from energyrepro.uc.plots import table_figure

sm = snakemake  # noqa: F821 (injected by Snakemake)
log = setup_logging(sm.log[0])
paper = yaml.safe_load(open(sm.input.paper, encoding="utf-8"))
stats = pd.read_csv(sm.input.stats)
comp = pd.read_csv(sm.input.comparison)

t2 = stats.rename(columns={"cpu_s_mean": "CPU s/run", "gap_best_pct": "gap best %", "gap_mean_pct": "gap mean %"})
ref = paper["table2"]["rows"]
for j, col in enumerate(paper["table2"]["columns"]):
    t2[f"paper IHDE {col}"] = [ref[s][j] if (m == "ihde" and s in ref) else float("nan")
                               for s, m in zip(t2["size"], t2["method"])]
t2 = t2[["size", "method", "runs", "feasible", "best", "mean", "worst", "std", "CPU s/run", "milp", "gap best %",
         "gap mean %"] + [c for c in t2.columns if c.startswith("paper")]]
write_table(sm.output.table2, t2)
money = "{:,.0f}"
table_figure(t2, sm.output.table2_png, "Table 2 (reproduced): HDE / IHDE cost over seeds [$], CPU time, gap to MILP",
             {**{c: money for c in ("best", "mean", "worst", "std", "milp") + tuple(c for c in t2.columns
                                                                                   if c.startswith("paper"))},
              "CPU s/run": "{:.1f}", "gap best %": "{:.4f}", "gap mean %": "{:.4f}"})

write_table(sm.output.table3, comp)
show = comp[["size"] + [c for c in comp.columns if c.startswith("paper ") or c.startswith("our ")]
            + ["MILP bound", "gap paper IHDE %", "gap our IHDE %"]]
table_figure(show, sm.output.table3_png, "Table 3 (reproduced): paper's columns beside our HDE, IHDE and MILP [$]",
             {**{c: money for c in show.columns if c not in ("size", "gap paper IHDE %", "gap our IHDE %")},
              "gap paper IHDE %": "{:.4f}", "gap our IHDE %": "{:.4f}"})
attach_artifacts(sm.input.run, [sm.output.table2, sm.output.table3, sm.output.table2_png, sm.output.table3_png],
                 "tables")
