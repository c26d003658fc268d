"""Snakemake entry point: the study's claims.csv (logic in energyrepro.relay.claims)."""

from pathlib import Path

import pandas as pd

from energyrepro.claims import write_claims
from energyrepro.io import read_json
from energyrepro.relay.claims import build_claims
from energyrepro.runtime import setup_logging

sm = snakemake  # noqa: F821 (injected by Snakemake)
log = setup_logging(sm.log[0])
metrics = {m["net"]: m for m in map(read_json, sm.input.metrics)}
run_ids = {Path(p).stem.removeprefix("train_"): read_json(p)["run_id"] for p in sm.input.runs}
scored = pd.read_csv(sm.input.cases)
claims = build_claims(metrics, run_ids, scored, read_json(sm.input.test_run)["run_id"], sm.params.tolerance,
                      sm.params.profile)
df = write_claims(sm.output[0], claims)
log.info("claims:\n%s", df[["claim_id", "paper_value", "our_value", "verdict"]].to_string(index=False))
