"""Snakemake plot rule: Tables 2-3 (ours mean ± std beside the paper's) as CSV/Markdown and PNG."""

import pandas as pd

from energyrepro.io import write_table
from energyrepro.runtime import setup_logging
from energyrepro.soc.plots import table_image
from energyrepro.soc.summary import paper_table
from energyrepro.tracking import attach_artifacts

sm = snakemake  # noqa: F821 (injected by Snakemake)
log = setup_logging(sm.log[0])
summary = pd.read_csv(sm.input.summary)
for dataset, no, csv, png, run in (("d1", 2, sm.output.t2, sm.output.t2_png, sm.input.run_d1),
                                   ("d2", 3, sm.output.t3, sm.output.t3_png, sm.input.run_d2)):
    table = paper_table(summary, dataset)
    write_table(csv, table)
    table_image(table, f"Table {no} reproduced: dataset {dataset[1]}, SOC as a fraction (ours: mean ± std over seeds; "
                       "paper: random 80/20 split)", png)
    attach_artifacts(run, [csv, png])
