"""Snakemake plot rule: the real-cell table (LG HG2, mean ± std over seeds) as CSV/Markdown and PNG."""

import pandas as pd

from energyrepro.io import write_table
from energyrepro.runtime import setup_logging
from energyrepro.soc.plots import draw_table
from energyrepro.soc.real import real_table
from energyrepro.soc.summary import LABELS
from energyrepro.tracking import attach_artifacts

sm = snakemake  # noqa: F821 (injected by Snakemake)
log = setup_logging(sm.log[0])
table = real_table(pd.read_csv(sm.input.metrics))
table.insert(1, "Method", [LABELS.get(m, m) for m in table.method])
table = table.drop(columns="method")
write_table(sm.output.csv, table)
cells = [[r.setting, r.Method, f"{r.rmse:.4f} ± {r.rmse_std:.4f}", f"{r.mae:.4f} ± {r.mae_std:.4f}",
          f"{r.r2:.3f} ± {r.r2_std:.3f}", str(r.n_seeds)] for r in table.itertuples()]
draw_table(cells, ["train -> test", "Method", "RMSE", "MAE", "R²", "seeds"],
           "Real LG 18650HG2 US06 cycles (0 and 25 °C): SOC error as a fraction, mean ± std over seeds", sm.output.png)
attach_artifacts(sm.input.run, [sm.output.csv, sm.output.png])
