"""Snakemake entry point: per-seed results -> summaries, the inference time per sample, and the claims
(logic in energyrepro.soc.summary / real / claims)."""

import numpy as np
import pandas as pd

from energyrepro.claims import write_claims
from energyrepro.io import read_json, write_csv, write_json, write_npz
from energyrepro.runtime import set_threads, setup_logging, summary
from energyrepro.soc import claims, real
from energyrepro.soc.evaluate import inference_ms
from energyrepro.soc.summary import figure_data, histories, long_frame, summarise
from energyrepro.tracking import job_run

sm = snakemake  # noqa: F821 (injected by Snakemake)
log = setup_logging(sm.log[0])
set_threads(1)  # the inference time is the paper's single-sample, one-thread figure
cfg = sm.params.cfg
trained = [read_json(p) for p in sm.input.train]
long = long_frame(trained, read_json(sm.input.baselines))
real_long = pd.concat([pd.read_csv(p) for p in sm.input.real], ignore_index=True)
run_ids = {(o["dataset"], o["setting"]): o["run_id"] for o in trained}

with job_run(sm, "soc", "claims") as run:
    # timed here, on one thread, and kept in a file of its own (wall-clock numbers never enter result files)
    timing = inference_ms(sorted(set(cfg["models"]) | {"cnnlstm", "cnnlstm-h300"}), cfg)
    write_json(sm.output.timing, timing)
    run.log_metrics({f"inference_ms.{m}": t["median_ms"] for m, t in timing.items()})
    write_csv(sm.output.long, long)
    write_csv(sm.output.summary, summarise(long))
    write_csv(sm.output.histories, histories(trained))
    write_csv(sm.output.real, real_long)
    write_csv(sm.output.real_summary, real.summary(real_long))
    # what the plot rule draws, small enough to publish (the predictions stay in the results)
    keys = [(o["dataset"], o["setting"]) for o in trained]
    cycles = {c: pd.read_csv(p) for c, p in zip(sm.params.cycles, sm.input.cycles)}
    write_npz(sm.output.figdata, **figure_data(cfg, cycles, {k: dict(np.load(p)) for k, p in zip(keys, sm.input.preds)},
                                               dict(np.load(sm.input.base_preds)),
                                               [dict(np.load(p)) for p in sm.input.real_preds]))
    df = write_claims(sm.output.claims, claims.claims(long, real_long, timing, run_ids, run.run_id, sm.params.profile),
                      cfg=cfg, paper_cfg=sm.params.paper_cfg)
    counts = df[df.kind == "claim"].verdict.value_counts()
    log.info("claims:\n%s", df[["claim_id", "kind", "our_value", "verdict"]].to_string())
    summary("soc claims: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
