"""Snakemake entry point: claims.csv and the GA vs PSO summary; the logic is energyrepro.pricing.claims."""

import pandas as pd

from energyrepro.claims import write_claims
from energyrepro.io import read_json, write_csv
from energyrepro.pricing import claims, paper
from energyrepro.runtime import set_threads, setup_logging, summary

sm = snakemake  # noqa: F821 (injected by Snakemake)
setup_logging(sm.log[0])
set_threads(sm.threads)
cfg = sm.params.cfg

inputs = {k: pd.read_csv(sm.input[k]) for k in ("paper_vs_ours", "sensitivity", "implied", "users", "runs", "pymoo")}
run_ids = {k: read_json(sm.input[f"run_{k}"])["run_id"] for k in ("allocate", "dispatch")}
rows, ga_pso = claims.study_claims(inputs, read_json(sm.input.references), paper.tables(), cfg, run_ids,
                                   sm.params.profile)
write_csv(sm.output.summary, ga_pso)
df = write_claims(sm.output.claims, rows, cfg=cfg, paper_cfg=sm.params.paper_cfg)
counted = df[df.kind == "claim"].verdict.value_counts().to_dict()
summary(f"pricing claims: {counted} (claims), {int((df.kind != 'claim').sum())} consistency/paper rows")
