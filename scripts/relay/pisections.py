"""Snakemake entry point: pi-section convergence check (logic in energyrepro.relay.pisections)."""

from energyrepro.io import write_csv
from energyrepro.relay.cases import load_system, settings_from_config
from energyrepro.relay.pisections import convergence_table
from energyrepro.runtime import setup_logging

sm = snakemake  # noqa: F821 (injected by Snakemake)
log = setup_logging(sm.log[0])
system = load_system(sm.input.system)
net, _, _ = settings_from_config(system)
km = net.lengths["LT2"]
table = convergence_table(net.line, km, [50, 30, 20, 15, 10, 5, 2])
table.insert(0, "line_km", km)
write_csv(sm.output.csv, table)
log.info("pi-section check on %.0f km (configured max section %.1f km):\n%s", km, net.max_section_km,
         table.to_string(index=False))
