"""Snakemake entry point: aggregate the sweep over seeds, compute the claims and their verdicts."""

import pandas as pd

from energyrepro.claims import write_claims
from energyrepro.el.claims import claims
from energyrepro.el.summary import summarise
from energyrepro.io import read_json, write_csv
from energyrepro.runtime import setup_logging, summary
from energyrepro.tracking import job_run

sm = snakemake  # noqa: F821 (injected by Snakemake)
log = setup_logging(sm.log[0])
histories = pd.concat([pd.read_csv(p) for p in sm.input.histories], ignore_index=True)
meta = {}
for m in map(read_json, sm.input.metas):
    agg = meta.setdefault(m["protocol"], {"pretrained": True, "n_train": m["n_train"], "n_val": m["n_val"],
                                          "computed_on": m["computed_on"], "run_ids": {}})
    agg["pretrained"] &= bool(m["pretrained"])
    for lr, run_id in m["run_ids"].items():
        agg["run_ids"].setdefault(lr, []).append(run_id)

with job_run(sm, "el", "evaluate", extra_params={"train_runs": {p: m["run_ids"] for p, m in meta.items()}},
             tags={"pretrained": str(all(m["pretrained"] for m in meta.values())).lower()}) as run:
    table = summarise(histories)
    write_csv(sm.output.summary, table)
    result = write_claims(sm.output.claims, claims(table, meta, sm.params.cfg, sm.params.profile, run.run_id),
                          cfg=sm.params.cfg, paper_cfg=sm.params.paper_cfg)
    log.info("claims:\n%s", result[["claim_id", "paper_value", "our_value", "spread", "verdict"]].to_string())
    last = table[table["epoch"] == table["epoch"].max()]
    for r in last.itertuples():
        run.log_metrics({f"{r.protocol}.lr{r.learning_rate:g}.accuracy": r.accuracy_mean,
                         f"{r.protocol}.lr{r.learning_rate:g}.accuracy_std": r.accuracy_std}, step=int(r.epoch))
    run.log_artifact(sm.output.summary)
    run.log_artifact(sm.output.claims)
    counted = result[result["kind"] == "claim"]["verdict"].value_counts().to_dict()
    summary(f"el claims: {counted}")
