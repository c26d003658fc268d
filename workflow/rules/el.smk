# Study `el` (Verma et al. 2021): real ELPV cells -> augmentation -> AlexNet learning-rate x epoch sweep.


rule el_ingest:
    """Check every real ELPV cell and write it with a manifest (id, file, probability, type, label, sha256)."""
    input:
        EXPERIMENTS,
    output:
        manifest=R("el", "data", "manifest.csv"),
        cells=directory(R("el", "data", "cells")),
        run=run_json("el", "ingest"),
    params:
        cfg=config["el"],
    log:
        log_path("el", "ingest"),
    benchmark:
        bench_path("el", "ingest")
    conda:
        ENV
    script:
        "../../scripts/el/ingest.py"


TARGETS["el"] += rules.el_ingest.output
