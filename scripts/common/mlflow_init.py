"""Create the MLflow store and one experiment per study before any parallel job starts."""

from energyrepro.runtime import setup_logging
from energyrepro.tracking import init_store

log = setup_logging(snakemake.log[0])
ids = init_store(snakemake.params.uri, list(snakemake.params.studies), snakemake.output[0])
log.info("MLflow store %s ready; experiments %s", snakemake.params.uri, ids)
