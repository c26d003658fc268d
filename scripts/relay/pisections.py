"""Snakemake entry point: pi-section convergence check (logic in energyrepro.relay.pisections)."""

from energyrepro.io import write_csv
from energyrepro.relay.cases import load_system
from energyrepro.relay.pisections import protected_line_check
from energyrepro.runtime import setup_logging, summary

sm = snakemake  # noqa: F821 (injected by Snakemake)
log = setup_logging(sm.log[0])
table = protected_line_check(load_system(sm.input.system))
write_csv(sm.output.csv, table)
log.info("pi-section check:\n%s", table.to_string(index=False))
summary(f"relay pi-section check on the {table.line_km.iloc[0]:g} km line: {len(table)} rows")
