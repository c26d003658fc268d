"""Snakemake entry point: ingest the real ELPV cells (logic in energyrepro.el.ingest)."""

from pathlib import Path

from energyrepro.el.ingest import elpv_labels_path, ingest_cells, read_labels
from energyrepro.io import write_csv
from energyrepro.runtime import setup_logging
from energyrepro.tracking import job_run

sm = snakemake  # noqa: F821 (injected by Snakemake)
log = setup_logging(sm.log[0])
cfg = sm.params.cfg
labels_csv = Path(cfg["labels_csv"] or elpv_labels_path())

with job_run(sm, "el", "ingest") as run:
    labels = read_labels(labels_csv)
    if cfg["max_cells"]:
        labels = labels.head(cfg["max_cells"])
    log.info("ingesting %d ELPV cells from %s", len(labels), labels_csv.parent)
    manifest = ingest_cells(labels, labels_csv.parent, sm.output.cells, cfg["defect_threshold"])
    write_csv(sm.output.manifest, manifest)
    counts = manifest.groupby(["label", "type"]).size()
    log.info("cells per (label, type):\n%s", counts.to_string())
    run.log_metrics({"cells": len(manifest), "defective": int(manifest.label.sum()),
                     "functional": int((manifest.label == 0).sum())})
    run.log_artifact(sm.output.manifest)
