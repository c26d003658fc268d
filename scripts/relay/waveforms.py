"""Snakemake entry point: one full-rate EMT case per fault type for the waveform figures."""

import numpy as np

from energyrepro.io import write_npz
from energyrepro.relay.cases import load_system, run_case, settings_from_config
from energyrepro.relay.faults import FAULT_TYPES, fault_class
from energyrepro.runtime import setup_logging
from energyrepro.tracking import job_run

sm = snakemake  # noqa: F821 (injected by Snakemake)
log = setup_logging(sm.log[0])
system = load_system(sm.input.system)
net, chain, sim = settings_from_config(system)
wc = sm.params.case

with job_run(sm, "relay", "waveforms") as run:
    arrays = {}
    for ftype in FAULT_TYPES:
        r = wc["r_pg"] if fault_class(ftype) in ("LG", "LLG") else wc["r_pp"]
        out = run_case(net, chain, sim, ftype, wc["km"], r, wc["angle_deg"], keep_waveforms=True)
        for k in ("record", "t", "v_raw", "i_raw", "v_filt", "i_filt"):
            arrays[f"{ftype}_{k}"] = out[k]
        arrays[f"{ftype}_F"], arrays[f"{ftype}_t_fault"], arrays[f"{ftype}_r"] = out["F"], out["t_fault"], r
        log.info("%s: fault at %.2f ms, F = sample %d", ftype, 1e3 * out["t_fault"], out["F"])
    arrays.update(km=wc["km"], angle_deg=wc["angle_deg"], v_base=chain.v_base, i_base=chain.i_base,
                  types=np.array(FAULT_TYPES))
    write_npz(sm.output.npz, **arrays)
    run.log_metrics({"cases": len(FAULT_TYPES)})
