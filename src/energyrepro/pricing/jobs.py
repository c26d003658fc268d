"""Job start-up shared by the study's scripts (takes the Snakemake object; imports no Snakemake)."""

from __future__ import annotations

from energyrepro.config import study_slice
from energyrepro.tracking import tracked_run

STUDY = "pricing"


def open_run(sm, job: str, seed: int | None = None):
    """The job's MLflow run (experiment id from the EXPERIMENTS input; CPU only: no torch in this study)."""
    return tracked_run(experiments_json=sm.input.experiments, study=STUDY, run_name=job, run_json=sm.output.run,
                       params=study_slice(sm.config, STUDY), seed=sm.config["seed"] if seed is None else seed,
                       device="cpu", profile=sm.config["profile"], rule=sm.rule,
                       wildcards=dict(sm.wildcards), config=sm.config)
