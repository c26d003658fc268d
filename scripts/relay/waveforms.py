"""Snakemake entry point: one full-rate EMT case per fault type for the waveform figures (energyrepro.relay.cases)."""

from energyrepro.io import write_npz
from energyrepro.relay import paper
from energyrepro.relay.cases import load_system, waveform_cases
from energyrepro.runtime import setup_logging, summary
from energyrepro.tracking import job_run

sm = snakemake  # noqa: F821 (injected by Snakemake)
log = setup_logging(sm.log[0])

with job_run(sm, "relay", "waveforms") as run:
    run.deviations(paper.deviations(sm.params.cfg))
    arrays = waveform_cases(load_system(sm.input.system), sm.params.cfg["waveform_case"])
    write_npz(sm.output.npz, **arrays)
    run.log_metrics({"cases": len(arrays["types"])})
summary(f"relay waveforms: {len(arrays['types'])} full-rate EMT cases")
