"""Snakemake plot rule: Tables 1-8, GA vs PSO, wheeling and sensitivity tables, and the figures (read only
result files); the drawing is energyrepro.pricing.figures."""

from pathlib import Path

import numpy as np
import pandas as pd

from energyrepro.io import read_json, write_table
from energyrepro.plotting import save_figure
from energyrepro.pricing import figures as F
from energyrepro.runtime import set_threads, setup_logging
from energyrepro.tracking import attach_artifacts

sm = snakemake  # noqa: F821 (injected by Snakemake)
setup_logging(sm.log[0])
set_threads(sm.threads)
cmp = pd.read_csv(sm.input.paper_vs_ours)
units = cmp.groupby("system").unit.first().to_dict()
by_name = {Path(p).stem: (p, md, png) for p, md, png in zip(sm.output.tables, sm.output.markdown, sm.output.images)}

for table in range(1, 9):
    csv, md, png = by_name[F.table_name(cmp, table)]
    wide = F.paper_vs_ours(cmp, table)
    write_table(csv, wide, md)
    save_figure(F.table_image(cmp, table, units[cmp[cmp.table == table].system.iloc[0]]), png)
summary_df = pd.read_csv(sm.input.summary)
write_table(by_name["ga_vs_pso"][0], summary_df, by_name["ga_vs_pso"][1])
save_figure(F.ga_vs_pso_image(summary_df), by_name["ga_vs_pso"][2])
for name, path, title in (("wheeling_charges", sm.input.wheeling_summary,
                           "Wheeling charges at each method's best DC dispatch (fractions of the network cost)"),
                          ("sensitivity", sm.input.sensitivity,
                           "MW-mile tables under every setting of the inputs the paper does not give")):
    df = pd.read_csv(path)
    csv, md, png = by_name[name]
    write_table(csv, df, md)
    save_figure(F.summary_image(df, title), png)

figs = dict(zip(("allocation_garver6", "allocation_rts24", "convergence_ga_pso", "wheeling_charges"),
                zip(sm.output.figures, sm.output.pdfs)))
for system, name in (("garver6", "Garver 6-bus (Tables 1-4)"), ("rts24", "IEEE RTS-24 (Tables 5-8)")):
    save_figure(F.allocation_bars(cmp, system, units[system], f"Transmission cost allocation, {name}: ours vs paper"),
                *figs[f"allocation_{system}"])
refs = read_json(sm.input.references)
npz = np.load(sm.input.curves)
curves = {v: {m: npz[f"{v}_{m}"] for m in ("ga", "pso")} for v in refs}
save_figure(F.convergence(curves, {v: r["cost"] for v, r in refs.items()},
                          "GA vs PSO convergence on IEEE 30-bus (paper section IV; no figure in the paper)"),
            *figs["convergence_ga_pso"])
save_figure(F.wheeling_bars(pd.read_csv(sm.input.wheeling_users), "Wheeling charges, IEEE 30-bus: absolute (eq. 2) "
                            "vs zero counter-flow (eq. 3) vs shared (r)"), *figs["wheeling_charges"])
# PNGs only (the PDFs are their print twins): each attached file costs the store a write
images = {Path(p).stem: p for p in sm.output.images}
for run, tables, names in ((sm.input.run_allocate, [*(F.table_name(cmp, t) for t in range(1, 9)), "sensitivity"],
                            ("allocation_garver6", "allocation_rts24")),
                           (sm.input.run_dispatch, ["ga_vs_pso", "wheeling_charges"],
                            ("convergence_ga_pso", "wheeling_charges"))):
    attach_artifacts(run, [images[t] for t in tables], artifact_path="tables")
    attach_artifacts(run, [figs[n][0] for n in names], artifact_path="figures")
