"""Snakemake entry point: Coulomb counting and the Thevenin-ECM EKF, honest and idealised, on every dataset and
protocol, read at the networks' test windows (logic in energyrepro.soc.evaluate / baselines)."""

import pandas as pd

from energyrepro.io import write_json, write_npz
from energyrepro.runtime import setup_logging, summary
from energyrepro.soc import paper
from energyrepro.soc.evaluate import baseline_estimates, dataset_cycles, score_at, unit_split
from energyrepro.tracking import job_run

sm = snakemake  # noqa: F821 (injected by Snakemake)
log = setup_logging(sm.log[0])
cfg, base = sm.params.cfg, sm.params.seed
manifest = pd.read_csv(sm.input.manifest)
cycles = {c: pd.read_csv(p) for c, p in zip(sm.params.cycles, sm.input.cycles)}
nominal = float(manifest.nominal_ah.iloc[0])
true_ah = float(manifest.capacity_ah.iloc[0])  # the simulated cell's capacity between its 0 and 100 % SOC

records, ecms, arrays = [], {}, {}
with job_run(sm, "soc", "baselines", tags={"data": "simulated"}) as run:
    run.deviations(paper.deviations(cfg, training=False))
    run.log_input("measured cycles", sm.input.cycles)
    for dataset in cfg["datasets"]:
        ds = dataset_cycles(cfg, dataset, cycles, nominal)
        for protocol in cfg["protocols"]:
            # random protocol: the estimators run over the dataset's own cycles, read at the test windows
            targets = ds.train if protocol == "random" else ds.test
            est, ecm = baseline_estimates(ds.train, targets, nominal, true_ah, cfg["baselines"])
            ecms[f"{dataset}/{protocol}"] = ecm.to_dict()
            log.info("%s %s ECM: R0=%.4f R1=%.4f tau=%.0f s", dataset, protocol, ecm.r0, ecm.r1, ecm.tau)
            for s in range(cfg["train"]["seeds"]):
                split = unit_split(ds, protocol, s, cfg, base)
                for method, series in est.items():
                    m, pred = score_at(split, series)
                    records.append({"dataset": dataset, "method": method, "setting": "", "protocol": protocol,
                                    "seed": s, **m})
                    run.log_metrics({f"{dataset}.{protocol}.{method}.{k}": v for k, v in m.items()}, step=s)
                    arrays[f"{dataset}/{method}/{protocol}/s{s}/pred"] = pred
            for method, series in est.items():
                for c, v in series.items():
                    arrays[f"{dataset}/{method}/{protocol}/series/{c}"] = v
    write_npz(sm.output.preds, **arrays)
    write_json(sm.output.metrics, {"run_id": run.run_id, "records": records, "ecm": ecms,
                                   "nominal_ah": nominal, "true_ah": true_ah})
    summary(f"soc baselines: {len(records)} scores")
