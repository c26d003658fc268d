"""Snakemake entry point: the sequential relay on the test faults, once per training seed (energyrepro.relay)."""

import pandas as pd

from energyrepro.io import write_csv
from energyrepro.relay import models, paper
from energyrepro.relay.cases import load_system
from energyrepro.relay.datasets import load_shards
from energyrepro.relay.evaluation import overall, score_cases
from energyrepro.relay.relay_logic import RelaySettings, relay_decisions
from energyrepro.runtime import setup_logging, summary
from energyrepro.tracking import job_run

sm = snakemake  # noqa: F821 (injected by Snakemake)
log = setup_logging(sm.log[0])
system = load_system(sm.input.system)
nets = {p.split("/")[-1].removesuffix(".npz"): models.load(p) for p in sm.input.models}
n_seeds = {len(seeds) for _, seeds in nets.values()}
if len(n_seeds) != 1:
    raise ValueError(f"the networks were trained with different numbers of seeds: {n_seeds}")

with job_run(sm, "relay", "relay_test") as run:
    run.deviations(paper.deviations(sm.params.cfg))
    run.log_input("relay_test_simulations", sm.input.shards, context="evaluation")
    data = load_shards(sm.input.shards, "test")
    parts = []
    for k in range(n_seeds.pop()):
        fns = {name: models.as_function(stack, k) for name, (stack, _) in nets.items()}
        part = score_cases(relay_decisions(data, fns, RelaySettings(**system["relay"])), system["zones"])
        part.insert(0, "seed", k)
        parts.append(part)
        run.log_metrics({"overall_pct": overall(part), "overall_bands_pct": overall(part, bands=True),
                         **{f"{m}_pct": 100 * part[f"{m}_ok"].mean()
                            for m in ("detection", "classification", "location")}}, step=k)
    scored = pd.concat(parts, ignore_index=True)
    write_csv(sm.output.cases, scored)
summary(f"relay test: {len(data['case'])} cases x {len(parts)} seeds, {overall(scored):.1f} % of module responses "
        "correct")
