"""Snakemake entry point: per-seed metrics of all networks and baselines -> metrics.csv, summary.csv, claims.csv."""

from energyrepro.claims import write_claims
from energyrepro.io import read_json, write_csv
from energyrepro.runtime import setup_logging
from energyrepro.soc.summary import build_claims, long_frame, summarise

sm = snakemake  # noqa: F821 (injected by Snakemake)
log = setup_logging(sm.log[0])
records = []
for path in sm.input.metrics:
    obj = read_json(path)
    records += obj if isinstance(obj, list) else [obj]
long = long_frame(records)
summary = summarise(long)
write_csv(sm.output.long, long)
write_csv(sm.output.summary, summary)
run_ids = {f"{r['dataset']}/{r['method']}": r["run_id"] for r in records}
claims = write_claims(sm.output.claims, build_claims(long, sm.config["profile"], run_ids))
log.info("summary:\n%s\nclaims:\n%s", summary.to_string(), claims[["claim_id", "our_value", "verdict"]].to_string())
