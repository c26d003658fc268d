"""Snakemake entry point: select the ELPV cells (type, label certainty), draw the originals, check and copy them."""

from pathlib import Path

from energyrepro.el.augment import select_originals
from energyrepro.el.ingest import cell_counts, elpv_labels_path, ingest_cells, read_labels, select_cells
from energyrepro.io import write_csv, write_table
from energyrepro.runtime import setup_logging, summary
from energyrepro.tracking import job_run

sm = snakemake  # noqa: F821 (injected by Snakemake)
log = setup_logging(sm.log[0])
cfg, seed = sm.params.cfg, sm.params.seed
labels_csv = Path(cfg["labels_csv"] or elpv_labels_path())

with job_run(sm, "el", "ingest") as run:
    labels = read_labels(labels_csv)
    selected = select_cells(labels, cfg["cell_types"], cfg["label_levels"])
    counts = cell_counts(labels, selected)
    write_table(sm.output.counts, counts, sm.output.counts_md)
    log.info("ELPV cells per (type, level) and the selection:\n%s", counts.to_string(index=False))
    originals = select_originals(selected, cfg["originals_per_class"], seed)
    manifest = ingest_cells(originals, labels_csv.parent, sm.output.cells)
    write_csv(sm.output.manifest, manifest)
    run.log_input("elpv_labels", labels_csv, context="source")
    run.log_metrics({"elpv_cells": len(labels), "selected_functional": int((selected.label == 0).sum()),
                     "selected_defective": int(selected.label.sum()), "originals": len(manifest)})
    run.log_artifact(sm.output.manifest)
    summary(f"el ingest: {len(selected)} of {len(labels)} ELPV cells selected "
            f"({int((selected.label == 0).sum())} functional, {int(selected.label.sum())} defective), "
            f"{len(manifest)} originals drawn")
