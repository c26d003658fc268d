"""Snakemake entry point: gather all HDE/IHDE runs and MILP results into statistics and claims."""

import pandas as pd
import yaml

from energyrepro.claims import write_claims
from energyrepro.io import read_json, write_csv
from energyrepro.runtime import setup_logging
from energyrepro.tracking import job_run
from energyrepro.uc.summary import claims, comparison, ihde_vs_hde, run_stats

sm = snakemake  # noqa: F821 (injected by Snakemake)
log = setup_logging(sm.log[0])
cfg = sm.params.cfg
paper = yaml.safe_load(open(sm.input.paper, encoding="utf-8"))
runs = pd.DataFrame([read_json(p) for p in sm.input.runs])
milp = pd.DataFrame([read_json(p) for p in sm.input.milp])

with job_run(sm, "uc", "summary") as run:
    infeasible = runs[~runs.feasible.astype(bool)]
    if len(infeasible):
        log.warning("%d runs ended with an infeasible best schedule: %s", len(infeasible),
                    infeasible[["size", "method", "rep"]].to_dict("records"))
    stats = run_stats(runs, milp)
    tests = ihde_vs_hde(runs)
    comp = comparison(stats, milp, paper)
    for r in stats.itertuples():
        run.log_metrics({f"best_n{r.size}_{r.method}": r.best, f"gap_best_pct_n{r.size}_{r.method}": r.gap_best_pct})
    write_csv(sm.output.runs, runs.sort_values(["size", "method", "rep"]))
    write_csv(sm.output.stats, stats)
    write_csv(sm.output.tests, tests)
    write_csv(sm.output.comparison, comp)
    df = write_claims(sm.output.claims, claims(stats, tests, milp, paper, cfg, sm.config["profile"], run.run_id))
    log.info("claims:\n%s", df[["claim_id", "paper_value", "our_value", "verdict"]].to_string())
