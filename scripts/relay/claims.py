"""Snakemake entry point: the study's claims.csv and the per-seed summary behind it (energyrepro.relay.claims)."""

from pathlib import Path

import pandas as pd

from energyrepro.claims import write_claims
from energyrepro.io import read_json, write_csv
from energyrepro.relay import paper
from energyrepro.relay.claims import claims
from energyrepro.relay.evaluation import seed_summary
from energyrepro.runtime import setup_logging, summary

sm = snakemake  # noqa: F821 (injected by Snakemake)
log = setup_logging(sm.log[0])
ref = paper.paper()
metrics = {m["net"]: m for m in map(read_json, sm.input.metrics)}
run_ids = {Path(p).stem.removeprefix("train_"): read_json(p)["run_id"] for p in sm.input.runs}
scored = pd.read_csv(sm.input.cases)
per_seed = seed_summary(scored, ref["values"]["classification_ms"], ref["values"]["location_ms"])
write_csv(sm.output.summary, per_seed)
rows = claims(metrics, run_ids, per_seed, scored, read_json(sm.input.test_run)["run_id"], ref, sm.params.profile)
df = write_claims(sm.output.claims, rows, cfg=sm.params.cfg, paper_cfg=sm.params.paper_cfg)
log.info("claims:\n%s", df[["claim_id", "paper_value", "our_value", "spread", "verdict"]].to_string(index=False))
summary("relay claims: " + ", ".join(f"{n} {v}" for v, n in df.verdict.value_counts().items()))
