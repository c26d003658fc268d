"""Snakemake entry point: Coulomb counting and the Thevenin-ECM EKF on one dataset, same test windows as the networks."""

import pandas as pd

from energyrepro.io import write_json, write_npz
from energyrepro.runtime import setup_logging
from energyrepro.soc.evaluate import baseline_estimates, score_at, split_for
from energyrepro.tracking import job_run

sm = snakemake  # noqa: F821 (injected by Snakemake)
log = setup_logging(sm.log[0])
cfg = sm.config["soc"]
dataset = sm.wildcards.dataset
manifest = pd.read_csv(sm.input.manifest).set_index("cycle")
cycles = {c: pd.read_csv(p) for c, p in zip(sm.params.cycles, sm.input.cycles)}
train = {c: cycles[c] for c in cfg["datasets"][dataset]["cycles"]}
test = {c: cycles[c] for c in cfg["heldout_cycles"]}
nominal = float(manifest.nominal_ah.iloc[0])
capacity = float(manifest.capacity_ah.iloc[0])  # the simulated cell's true capacity: best case for both

results, arrays, ecms = {"coulomb": [], "ekf": []}, {}, {}
with job_run(sm, "soc", f"baselines_{dataset}", tags={"data": "simulated"}) as run:
    for protocol in cfg["protocols"]:
        # random protocol: the estimators run over the dataset's own cycles, read at the test windows
        targets = train if protocol == "random" else test
        est, ecm = baseline_estimates(train, targets, capacity, cfg["baselines"])
        ecms[protocol] = ecm.to_dict()
        log.info("%s %s ECM: R0=%.4f R1=%.4f tau=%.0f s", dataset, protocol, ecm.r0, ecm.r1, ecm.tau)
        for s in range(cfg["train"]["seeds"]):
            split = split_for(protocol, dataset, s, sm.config["seed"], train,
                              {} if protocol == "random" else test, cfg, nominal, 1)
            for method, series in est.items():
                m, pred = score_at(split, series)
                results[method].append({"protocol": protocol, "seed": s, **m})
                run.log_metrics({f"{protocol}.{method}.{k}": v for k, v in m.items()}, step=s)
                arrays[f"{method}/{protocol}/s{s}/pred"] = pred
        for method, series in est.items():
            for c, v in series.items():
                arrays[f"{method}/{protocol}/series/{c}"] = v
    write_npz(sm.output.preds, **arrays)
    write_json(sm.output.metrics, [{"dataset": dataset, "method": method, "kind": "baseline", "results": r,
                                    "run_id": run.run_id, "ecm": ecms} for method, r in results.items()])
