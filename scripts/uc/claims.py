"""Snakemake entry point: statistics over runs, IHDE-vs-HDE tests, Table 3 data and claims; logic in energyrepro.uc."""

import pandas as pd

from energyrepro.claims import write_claims
from energyrepro.io import read_json, write_csv
from energyrepro.runtime import setup_logging, summary
from energyrepro.uc import claims, stats

sm = snakemake  # noqa: F821 (injected by Snakemake)
log = setup_logging(sm.log[0])
cfg = sm.params.cfg
lr_jobs = [read_json(p) for p in sm.input.runs]
runs = pd.DataFrame([r for job in lr_jobs for r in job["runs"]])
milp = pd.DataFrame([read_json(p) for p in sm.input.milp]).drop(columns=["history"])
sens = pd.DataFrame([r for p in sm.input.migration for r in read_json(p)["runs"]])
run_ids = {**{f"lr_n{job['size']}": job["run_id"] for job in lr_jobs},
           **{f"milp_n{int(m['size'])}": m["run_id"] for _, m in milp.iterrows()}}

bad = runs[~runs.feasible.astype(bool) | ((runs.cost - runs.checker_cost).abs() > 0.01)]
if len(bad):
    log.warning("%d runs fail the checker or differ from its price: %s", len(bad), bad.to_dict("records"))
st = stats.run_stats(runs, milp, cfg["quality_target"])
tests = stats.comparisons(runs, milp)
write_csv(sm.output.runs, runs.sort_values(["size", "method", "rep"]))
write_csv(sm.output.milp, milp)
write_csv(sm.output.stats, st)
write_csv(sm.output.tests, tests)
write_csv(sm.output.comparison, stats.comparison(st, milp))
write_csv(sm.output.migration, stats.migration_table(runs, sens, milp, cfg["eps1"], cfg["migration_size"]))
df = write_claims(sm.output.claims, claims.claims(runs, st, tests, milp, cfg, sm.params.profile, run_ids),
                  cfg=cfg, paper_cfg=sm.params.paper_cfg)
log.info("claims:\n%s", df[["claim_id", "kind", "paper_value", "our_value", "verdict"]].to_string())
counts = df[df.kind == "claim"].verdict.value_counts().to_dict()
summary("uc claims: " + ", ".join(f"{v} {k}" for k, v in counts.items()) + "; IHDE best gap to the optimum "
        + ", ".join(f"n{r.size} {r.gap_best_pct:.3f} %" for r in st[st.method == "ihde"].itertuples()))
