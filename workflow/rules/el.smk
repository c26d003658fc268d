# Study `el` (Verma et al. 2021): real ELPV cells -> originals -> AlexNet learning-rate x epoch sweep.
# One training job per (protocol, seed), each with its own augmentation and split of the originals; inside it
# one MLflow run per learning rate, evaluated after every epoch (constant learning rate: the run's epoch-k
# checkpoint equals a k-epoch run, see train.py). With el.precomputed the training jobs import the GPU
# script's runs (tools/gpu/el_paper.py) instead of training.
from energyrepro.el.paper import figure_number
from energyrepro.el.precomputed import HISTORIES, META, RESULT_KEYS

EL = config["el"]
EL_LRS = EL["learning_rates"]
EL_LR_TAGS = [f"{lr:g}" for lr in EL_LRS]
EL_REPS = list(range(EL["seeds"]))
EL_FIGS = [figure_number(lr) for lr in EL_LRS]
# What the training jobs read: the settings that decide their results, and where precomputed runs live.
EL_TRAIN_CFG = {**{k: EL[k] for k in RESULT_KEYS}, "precomputed": EL["precomputed"]}
# The precomputed folder, and its files where present: a missing file must not make Snakemake skip the training
# jobs silently (it would, with outputs present); the job then names it (energyrepro.el.precomputed.read).
EL_PRECOMPUTED = (
    [EL["precomputed"]]
    + [f for f in (os.path.join(EL["precomputed"], n) for n in (HISTORIES, META)) if os.path.exists(f)]
    if EL["precomputed"]
    else []
)


rule el_ingest:
    """Select the ELPV cells (types, label levels), draw the originals, check and copy them."""
    input:
        EXPERIMENTS,
    output:
        manifest=R("el", "data", "manifest.csv"),
        cells=directory(R("el", "data", "cells")),
        counts=R("el", "tables", "elpv_cells.csv"),
        counts_md=R("el", "tables", "elpv_cells.md"),
        run=run_json("el", "ingest"),
    log:
        log_path("el", "ingest"),
    benchmark:
        bench_path("el", "ingest")
    conda:
        ENV
    params:
        cfg={k: EL[k] for k in ("labels_csv", "cell_types", "label_levels", "originals_per_class")},
        seed=config["seed"],
        profile=PROFILE,
    script:
        "../../scripts/el/ingest.py"


rule el_train:
    """Train (or import) AlexNet at each learning rate for max(epochs) epochs, one seed of one protocol."""
    input:
        EL_PRECOMPUTED,
        experiments=EXPERIMENTS,
        manifest=rules.el_ingest.output.manifest,
        cells=rules.el_ingest.output.cells,
    output:
        images=R("el", "sweep", "{protocol}", "rep{rep}", "images.csv"),
        histories=expand(
            R("el", "sweep", "{{protocol}}", "rep{{rep}}", "history_lr{lr}.csv"),
            lr=EL_LR_TAGS,
        ),
        runs=expand(run_json("el", "train_{{protocol}}_rep{{rep}}_lr{lr}"), lr=EL_LR_TAGS),
        meta=R("el", "sweep", "{protocol}", "rep{rep}", "meta.json"),
    log:
        log_path("el", "train_{protocol}_rep{rep}"),
    benchmark:
        bench_path("el", "train_{protocol}_rep{rep}")
    wildcard_constraints:
        protocol="paper|clean",
        rep=r"\d+",
    conda:
        ENV
    threads: 1
    resources:
        gpu=1,
        mem_mb=4000,
    params:
        cfg=EL_TRAIN_CFG,
        learning_rates=EL_LRS,
        seed=config["seed"],
        device=config["device"],
        profile=PROFILE,
    script:
        "../../scripts/el/train.py"


rule el_evaluate:
    """Mean, std and pooled counts over seeds per (protocol, lr, epoch); the claims with computed verdicts."""
    input:
        experiments=EXPERIMENTS,
        histories=expand(
            R("el", "sweep", "{protocol}", "rep{rep}", "history_lr{lr}.csv"),
            protocol=EL["protocols"],
            rep=EL_REPS,
            lr=EL_LR_TAGS,
        ),
        metas=expand(
            R("el", "sweep", "{protocol}", "rep{rep}", "meta.json"),
            protocol=EL["protocols"],
            rep=EL_REPS,
        ),
    output:
        summary=R("el", "sweep", "summary.csv"),
        claims=R("el", "claims.csv"),
        run=run_json("el", "evaluate"),
    log:
        log_path("el", "evaluate"),
    benchmark:
        bench_path("el", "evaluate")
    conda:
        ENV
    params:
        cfg={k: EL[k] for k in RESULT_KEYS},
        paper_cfg=PAPER_CFG["el"],
        profile=PROFILE,
    script:
        "../../scripts/el/evaluate.py"


rule el_plot_sweep:
    """Table 1 beside the paper's, Figs 6-8 (confusion + curves per lr) and Fig 9, from the summary."""
    input:
        summary=rules.el_evaluate.output.summary,
        run=rules.el_evaluate.output.run,
        metas=rules.el_evaluate.input.metas,
    output:
        table=R("el", "tables", "table1.csv"),
        table_md=R("el", "tables", "table1.md"),
        table_img=image("el", "figures", "table1", "table1"),
        curves=[
            f for n, lr in zip(EL_FIGS, EL_LR_TAGS) for f in image("el", "figures", f"fig{n}_curves_lr{lr}", "curves")
        ],
        fig9=image("el", "figures", "fig9_accuracy_vs_epochs", "fig9"),
    log:
        log_path("el", "plot_sweep"),
    conda:
        ENV
    params:
        epochs=EL["epochs"],
        learning_rates=EL_LRS,
        fig_numbers=EL_FIGS,
        profile=PROFILE,
    script:
        "../../scripts/el/plot_sweep.py"


rule el_plot_augment:
    """Real cells beside their flipped/rotated copies (the first protocol's first seed)."""
    input:
        manifest=rules.el_ingest.output.manifest,
        cells=rules.el_ingest.output.cells,
        images=R("el", "sweep", EL["protocols"][0], "rep0", "images.csv"),
        run=rules.el_ingest.output.run,
    output:
        fig=image("el", "figures", "fig5_augmentation", "augmentation"),
    log:
        log_path("el", "plot_augment"),
    conda:
        ENV
    script:
        "../../scripts/el/plot_augment.py"


EL_FIGURES = [
    *rules.el_plot_sweep.output,
    *rules.el_plot_augment.output,
]
TARGETS["el"] += [rules.el_evaluate.output.claims, *EL_FIGURES]
FIGURES["el"] += EL_FIGURES
