"""Snakemake entry point: add seeded sensor noise/offsets to every simulated cycle (energyrepro.soc.simulate)."""

import pandas as pd

from energyrepro.io import read_json, write_csv
from energyrepro.runtime import setup_logging
from energyrepro.seeding import derive_seed, seed_everything
from energyrepro.soc.simulate import add_sensor_noise
from energyrepro.tracking import job_run

sm = snakemake  # noqa: F821 (injected by Snakemake)
log = setup_logging(sm.log[0])
cfg = sm.params.cfg
rows = []
with job_run(sm, "soc", "measure", tags={"data": "simulated"}) as run:
    run.log_input("simulated cycles", sm.input.csv, context="simulation")
    for k, (cycle, csv, meta_json) in enumerate(zip(cfg["cycles"], sm.input.csv, sm.input.meta)):
        meta = read_json(meta_json)
        rng = seed_everything(derive_seed(sm.params.seed, "soc", "noise", cycle))
        out = add_sensor_noise(pd.read_csv(csv), rng, cfg["noise"], meta["nominal_ah"])
        write_csv(sm.output.csv[k], out)
        rows.append({**meta, **out.attrs})
        run.log_metrics({f"{cycle}.current_offset_a": out.attrs["current_offset_a"],
                         f"{cycle}.current_gain": out.attrs["current_gain"]})
    manifest = pd.DataFrame(rows)
    write_csv(sm.output.manifest, manifest)
    log.info("measured cycles:\n%s", manifest.to_string())
