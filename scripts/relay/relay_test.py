"""Snakemake entry point: the sequential relay on the test faults (logic in energyrepro.relay.relay_logic)."""

import pandas as pd

from energyrepro.io import write_csv
from energyrepro.relay import models
from energyrepro.relay.cases import load_system
from energyrepro.relay.datasets import load_shards
from energyrepro.relay.evaluation import overall, score_cases
from energyrepro.relay.relay_logic import RelaySettings, run_relay
from energyrepro.relay.windows import window
from energyrepro.runtime import Progress, set_threads, setup_logging
from energyrepro.tracking import job_run

sm = snakemake  # noqa: F821 (injected by Snakemake)
log = setup_logging(sm.log[0])
set_threads(sm.threads)
system = load_system(sm.input.system)
settings = RelaySettings(**system["relay"])
nets = {p.split("/")[-1].removesuffix(".pt"): models.as_function(models.load(p)) for p in sm.input.models}

with job_run(sm, "relay", "relay_test") as run:
    data = load_shards(sm.input.shards)
    prog = Progress(len(data["case"]), "relay cases", logger=log)
    rows = []
    for c in range(len(data["case"])):
        rec = data["records"][c]
        res = run_relay(lambda s, order, rec=rec: window(rec, s, order), nets, int(data["F"][c]), rec.shape[-1],
                        settings)
        rows.append({"case": int(data["case"][c]), "ftype": str(data["ftype"][c]), "km": float(data["km"][c]),
                     "r_ohm": float(data["r_ohm"][c]), "angle_deg": float(data["angle_deg"][c]),
                     "F": int(data["F"][c]), "t_fault": float(data["t_fault"][c]), "direction": res["direction"],
                     "det_end": res["det_end"], "ftype_hat": res["ftype"], "class_end": res["class_end"],
                     "zone_hat": res["zone"], "loc_end": res["loc_end"]})
        prog.update()
    scored = score_cases(pd.DataFrame(rows), system["zones"])
    write_csv(sm.output.cases, scored)
    m = {f"{k}_pct": 100 * scored[f"{k}_ok"].mean() for k in ("detection", "classification", "location")}
    m["overall_pct"], m["overall_strict_pct"] = overall(scored, True), overall(scored, False)
    run.log_metrics(m)
    log.info("relay test on %d cases: %s", len(scored), {k: round(v, 2) for k, v in m.items()})
