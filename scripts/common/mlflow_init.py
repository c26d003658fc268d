"""Create the MLflow store, one experiment per study and this profile's grouping runs, before any parallel job."""

from energyrepro.runtime import setup_logging
from energyrepro.tracking import init_store

sm = snakemake  # noqa: F821 (injected by Snakemake)
log = setup_logging(sm.log[0])
ids = init_store(sm.params.uri, list(sm.params.studies), sm.output[0], profile=sm.params.profile)
log.info("MLflow store %s ready; experiments %s", sm.params.uri, ids)
