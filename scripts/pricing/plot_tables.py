"""Snakemake plot rule: Tables 1-8 (paper, ours, difference), GA vs PSO, wheeling and sensitivity
tables as CSV + Markdown + HTML (read only result files)."""

import pandas as pd

from energyrepro.io import read_json, write_table, write_text
from energyrepro.pricing.tables import TITLES, paper_vs_ours, to_html
from energyrepro.runtime import set_threads, setup_logging
from energyrepro.tracking import attach_artifacts

sm = snakemake  # noqa: F821 (injected by Snakemake)
log = setup_logging(sm.log[0])
set_threads(sm.threads)
cmp = pd.read_csv(sm.input.compare)
units = {"garver6": "M EUR", "rts24": "k EUR"}
for n, (csv, html) in enumerate(zip(sm.output.paper_csv, sm.output.paper_html), start=1):
    wide = paper_vs_ours(cmp, n)
    system = cmp[cmp.table == n].system.iloc[0]
    write_table(csv, wide)
    write_text(html, to_html(wide, f"Table {n}: {TITLES[n]} ({units[system]}): paper, ours, ours - paper",
                             "Columns: share of TC paid by this side. TOTAL = sum over users."))

summary = pd.read_csv(sm.input.summary)
test = read_json(sm.input.wilcoxon)
write_table(sm.output.ga_pso_csv, summary)
write_text(sm.output.ga_pso_html, to_html(summary, "GA vs PSO on IEEE 30-bus (DC dispatch)",
                                          f"One-sided Wilcoxon rank-sum, H1 PSO < GA: p = {test['p_value']:.3g}. "
                                          "Gaps are to pandapower's DC OPF optimum.", digits=6))
wheel = pd.read_csv(sm.input.wheeling)
write_table(sm.output.wheeling_csv, wheel)
write_text(sm.output.wheeling_html, to_html(wheel, "Wheeling charges at each method's best dispatch",
                                            "Charges as fractions of the annual network cost; r = profit sharing "
                                            "factor; negative impact in MW (eq. 6-7).", digits=5))
sens = pd.concat([pd.read_csv(p) for p in sm.input.sensitivity], ignore_index=True)
write_table(sm.output.sens_csv, sens)
write_text(sm.output.sens_html, to_html(sens, "Sensitivity of the MW-mile tables to the unknown dispatch / topology",
                                        "Relative differences to the paper's Tables 2, 4, 6, 8 (at 0 % and 50 %)."
                                        " Configured = the choice used for Tables 1-8.", digits=3))
attach_artifacts(sm.input.claims_run, list(sm.output), artifact_path="tables")
