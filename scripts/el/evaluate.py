"""Snakemake entry point: aggregate the sweep over seeds, compute the claims and their verdicts."""

import pandas as pd

from energyrepro.claims import write_claims
from energyrepro.el.summary import claims, summarise
from energyrepro.io import read_json, write_csv
from energyrepro.runtime import setup_logging
from energyrepro.tracking import job_run

sm = snakemake  # noqa: F821 (injected by Snakemake)
log = setup_logging(sm.log[0])
cfg, profile = sm.params.cfg, sm.config["profile"]
histories = pd.concat([pd.read_csv(p) for p in sm.input.histories], ignore_index=True)
metas = [read_json(p) for p in sm.input.metas]

meta = {}
for m in metas:
    agg = meta.setdefault(m["protocol"], {"pretrained": True, "n_train": m["n_train"], "n_val": m["n_val"],
                                          "run_ids": {}})
    agg["pretrained"] &= bool(m["pretrained"])
    for lr, run_id in m["run_ids"].items():
        agg["run_ids"].setdefault(lr, []).append(run_id)

with job_run(sm, "el", "evaluate", extra_params={"train_runs": {p: m["run_ids"] for p, m in meta.items()}},
             tags={"pretrained": str(all(m["pretrained"] for m in meta.values())).lower()}) as run:
    summary = summarise(histories)
    write_csv(sm.output.summary, summary)
    result = write_claims(sm.output.claims, claims(summary, meta, cfg, profile, run.run_id))
    log.info("claims:\n%s", result[["claim_id", "paper_value", "our_value", "spread", "verdict"]].to_string())
    last = summary[summary["epoch"] == summary["epoch"].max()]
    for r in last.itertuples():
        run.log_metrics({f"{r.protocol}.lr{r.learning_rate:g}.accuracy": r.accuracy_mean,
                         f"{r.protocol}.lr{r.learning_rate:g}.accuracy_std": r.accuracy_std}, step=int(r.epoch))
    run.log_artifact(sm.output.summary)
    run.log_artifact(sm.output.claims)
