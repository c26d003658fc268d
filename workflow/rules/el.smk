# Study `el` (Verma et al. 2021): real ELPV cells -> augmentation -> AlexNet learning-rate x epoch sweep.
# One training job per (protocol, seed); inside it one MLflow run per learning rate, evaluated after
# every epoch (constant learning rate: the run's epoch-k checkpoint equals a k-epoch run, see train.py).
from energyrepro.el.paper import figure_number

EL = config["el"]
EL_LRS = EL["learning_rates"]
EL_LR_TAGS = [f"{lr:g}" for lr in EL_LRS]
EL_REPS = list(range(EL["seeds"]))
EL_FIGS = [figure_number(lr) for lr in EL_LRS]


rule el_ingest:
    """Check every real ELPV cell and write it with a manifest (id, file, probability, type, label, sha256)."""
    input:
        EXPERIMENTS,
    output:
        manifest=R("el", "data", "manifest.csv"),
        cells=directory(R("el", "data", "cells")),
        run=run_json("el", "ingest"),
    params:
        cfg=EL,
    log:
        log_path("el", "ingest"),
    benchmark:
        bench_path("el", "ingest")
    conda:
        ENV
    script:
        "../../scripts/el/ingest.py"


rule el_augment:
    """Draw the originals, augment them by seeded flips/rotations and split them, once per protocol."""
    input:
        manifest=rules.el_ingest.output.manifest,
    output:
        manifests=expand(R("el", "data", "{protocol}", "manifest.csv"), protocol=EL["protocols"]),
        images=[directory(R("el", "data", p, "images")) for p in EL["protocols"]],
    params:
        cfg=EL,
        protocols=EL["protocols"],
    log:
        log_path("el", "augment"),
    benchmark:
        bench_path("el", "augment")
    conda:
        ENV
    script:
        "../../scripts/el/augment.py"


rule el_train:
    """Train AlexNet at each learning rate for max(epochs) epochs, one seed of one protocol."""
    input:
        experiments=EXPERIMENTS,
        manifest=R("el", "data", "{protocol}", "manifest.csv"),
        images=R("el", "data", "{protocol}", "images"),
    output:
        histories=expand(R("el", "sweep", "{{protocol}}", "rep{{rep}}", "history_lr{lr}.csv"), lr=EL_LR_TAGS),
        runs=expand(run_json("el", "train_{{protocol}}_rep{{rep}}_lr{lr}"), lr=EL_LR_TAGS),
        meta=R("el", "sweep", "{protocol}", "rep{rep}", "meta.json"),
    wildcard_constraints:
        protocol="paper|clean",
        rep=r"\d+",
    params:
        cfg=EL,
        learning_rates=EL_LRS,
    threads: 1
    resources:
        gpu=1,
        mem_mb=4000,
    log:
        log_path("el", "train_{protocol}_rep{rep}"),
    benchmark:
        bench_path("el", "train_{protocol}_rep{rep}")
    conda:
        ENV
    script:
        "../../scripts/el/train.py"


rule el_evaluate:
    """Mean and std over seeds per (protocol, lr, epoch); the claims with computed verdicts."""
    input:
        experiments=EXPERIMENTS,
        histories=expand(R("el", "sweep", "{protocol}", "rep{rep}", "history_lr{lr}.csv"),
                         protocol=EL["protocols"], rep=EL_REPS, lr=EL_LR_TAGS),
        metas=expand(R("el", "sweep", "{protocol}", "rep{rep}", "meta.json"), protocol=EL["protocols"], rep=EL_REPS),
    output:
        summary=R("el", "sweep", "summary.csv"),
        claims=R("el", "claims.csv"),
        run=run_json("el", "evaluate"),
    params:
        cfg=EL,
    log:
        log_path("el", "evaluate"),
    benchmark:
        bench_path("el", "evaluate")
    conda:
        ENV
    script:
        "../../scripts/el/evaluate.py"


rule el_plot_sweep:
    """Table 1 beside the paper's, Figs 6-8 (confusion + curves per lr) and Fig 9, from the summary."""
    input:
        summary=rules.el_evaluate.output.summary,
        run=rules.el_evaluate.output.run,
        metas=rules.el_evaluate.input.metas,
    output:
        table=report(R("el", "tables", "table1.csv"), caption="../report/el/table1.rst", category="el"),
        table_png=report(R("el", "figures", "table1.png"), caption="../report/el/table1.rst", category="el"),
        curves=[report(R("el", "figures", f"fig{n}_curves_lr{lr}.png"), caption="../report/el/curves.rst",
                       category="el") for n, lr in zip(EL_FIGS, EL_LR_TAGS)],
        fig9=report(R("el", "figures", "fig9_accuracy_vs_epochs.png"), caption="../report/el/fig9.rst",
                    category="el"),
    params:
        cfg=EL,
        learning_rates=EL_LRS,
        fig_numbers=EL_FIGS,
    log:
        log_path("el", "plot_sweep"),
    benchmark:
        bench_path("el", "plot_sweep")
    conda:
        ENV
    script:
        "../../scripts/el/plot_sweep.py"


rule el_plot_augment:
    """Real cells beside their flipped/rotated copies (paper protocol's augmented set)."""
    input:
        manifest=R("el", "data", EL["protocols"][0], "manifest.csv"),
        images=R("el", "data", EL["protocols"][0], "images"),
        run=rules.el_ingest.output.run,
    output:
        fig=report(R("el", "figures", "fig5_augmentation.png"), caption="../report/el/augmentation.rst",
                   category="el"),
    log:
        log_path("el", "plot_augment"),
    benchmark:
        bench_path("el", "plot_augment")
    conda:
        ENV
    script:
        "../../scripts/el/plot_augment.py"


EL_FIGURES = [*rules.el_plot_sweep.output, *rules.el_plot_augment.output]
TARGETS["el"] += [rules.el_evaluate.output.claims, *EL_FIGURES]
FIGURES["el"] += EL_FIGURES
