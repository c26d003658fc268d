# Study `soc` (Liu et al., Electric Drive 2024): CNN / LSTM / CNN-LSTM SOC estimators on the paper's two datasets
# (PyBaMM-simulated drive cycles, the paper's setting and one chosen on validation data) against Coulomb counting
# and an EKF, and on real LG 18650HG2 cells shipped with the package, leaving one temperature out.
from energyrepro.soc.paths import check_cycle_names, lg_hg2_inputs, precomputed_models, train_slice

SOC = config["soc"]
if enabled("soc"):
    check_cycle_names(SOC)
SOC_CYCLES = list(SOC["simulate"]["cycles"])
SOC_DATASETS = ["d1", "d2"]
SOC_SETTINGS = SOC["settings"]
SOC_FOLDS = [f"{t}".replace("-", "n") for t in SOC["lg_hg2"]["held_out"]]  # -20 -> n20 in file names
SOC_PRE = SOC["precomputed"]
SOC_IMPORTED = precomputed_models(SOC_PRE, SOC["models"])  # read from the GPU run instead of trained here
SOC_PRE_FILES = (
    [os.path.join(SOC_PRE, f) for f in ("runs.jsonl", "predictions.npz", "meta.json")] if SOC_IMPORTED else []
)
SOC_LG = lg_hg2_inputs(SOC["lg_hg2"])  # the shipped 1 s copy (or the full files): inputs, so edits re-run


wildcard_constraints:
    dataset="d1|d2",
    setting="paper|tuned",
    fold="|".join(SOC_FOLDS) or "none",


# every figure or table image (PNG shown in the report, and PDF): name -> (folder, caption in workflow/report/soc)
SOC_IMAGES = {
    "table2_dataset1": ("tables", "table2"),
    "table3_dataset2": ("tables", "table3"),
    "fig6_dataset1": ("figures", "fig6"),
    "fig7_dataset2": ("figures", "fig7"),
    "fig_training_curves": ("figures", "curves"),
    "table_real_lg_hg2": ("tables", "table_real"),
    "fig_real_error": ("figures", "fig_real"),
}


rule soc_simulate:
    """Every drive cycle with PyBaMM from full charge to cut-off (only soc.simulate and the seed re-run it)."""
    input:
        experiments=EXPERIMENTS,
    output:
        csv=expand(R("soc", "data", "sim", "{cycle}.csv"), cycle=SOC_CYCLES),
        meta=expand(R("soc", "data", "sim", "{cycle}.json"), cycle=SOC_CYCLES),
        run=run_json("soc", "simulate"),
    log:
        log_path("soc", "simulate"),
    benchmark:
        bench_path("soc", "simulate")
    conda:
        ENV
    threads: 1
    params:
        cfg=SOC["simulate"],
        seed=config["seed"],
        profile=PROFILE,
    script:
        "../../scripts/soc/simulate.py"


rule soc_measure:
    """Seeded sensor noise and offsets on every simulated cycle (the networks' and baselines' inputs)."""
    input:
        experiments=EXPERIMENTS,
        csv=rules.soc_simulate.output.csv,
        meta=rules.soc_simulate.output.meta,
    output:
        csv=expand(R("soc", "data", "cycles", "{cycle}.csv"), cycle=SOC_CYCLES),
        manifest=R("soc", "data", "manifest.csv"),
        run=run_json("soc", "measure"),
    log:
        log_path("soc", "measure"),
    benchmark:
        bench_path("soc", "measure")
    conda:
        ENV
    params:
        cfg={"noise": SOC["noise"], "cycles": SOC_CYCLES},
        seed=config["seed"],
        profile=PROFILE,
    script:
        "../../scripts/soc/measure.py"


rule soc_train:
    """Every network of one dataset under one setting, each protocol and seed (GPU-trained models imported)."""
    input:
        experiments=EXPERIMENTS,
        manifest=rules.soc_measure.output.manifest,
        cycles=rules.soc_measure.output.csv,
        precomputed=SOC_PRE_FILES,
    output:
        metrics=R("soc", "eval", "{dataset}_{setting}.json"),
        preds=R("soc", "eval", "{dataset}_{setting}_predictions.npz"),
        run=run_json("soc", "train_{dataset}_{setting}"),
    log:
        log_path("soc", "train_{dataset}_{setting}"),
    benchmark:
        bench_path("soc", "train_{dataset}_{setting}")
    conda:
        ENV
    threads: 1
    resources:
        gpu=1,
    params:
        cfg=lambda wc: train_slice(SOC, wc.dataset),
        cycles=SOC_CYCLES,
        imported=SOC_IMPORTED,
        seed=config["seed"],
        device=config["device"],
        profile=PROFILE,
    script:
        "../../scripts/soc/train.py"


rule soc_baselines:
    """Coulomb counting and the EKF (Thevenin ECM from the training cycles) on the networks' test windows."""
    input:
        experiments=EXPERIMENTS,
        manifest=rules.soc_measure.output.manifest,
        cycles=rules.soc_measure.output.csv,
    output:
        metrics=R("soc", "eval", "baselines.json"),
        preds=R("soc", "eval", "baselines_predictions.npz"),
        run=run_json("soc", "baselines"),
    log:
        log_path("soc", "baselines"),
    benchmark:
        bench_path("soc", "baselines")
    conda:
        ENV
    params:
        cfg={k: SOC[k] for k in ("datasets", "heldout_cycles", "protocols", "features", "baselines")}
        | {"train": {k: SOC["train"][k] for k in ("seeds", "test_fraction")}},
        cycles=SOC_CYCLES,
        seed=config["seed"],
        profile=PROFILE,
    script:
        "../../scripts/soc/baselines.py"


rule soc_real_fold:
    """Real LG HG2 cells, one held-out temperature: every network and seed, and the baselines."""
    input:
        experiments=EXPERIMENTS,
        lg=SOC_LG,
    output:
        metrics=R("soc", "real", "fold_{fold}.csv"),
        preds=R("soc", "real", "fold_{fold}_predictions.npz"),
        run=run_json("soc", "real_{fold}"),
    log:
        log_path("soc", "real_{fold}"),
    benchmark:
        bench_path("soc", "real_{fold}")
    conda:
        ENV
    threads: 1
    resources:
        gpu=1,
    params:
        cfg={"lg_hg2": SOC["lg_hg2"], "baselines": SOC["baselines"]}
        | {"train": {k: SOC["train"][k] for k in ("lstm_hidden", "channels", "dropout", "grad_clip", "test_fraction")}},
        seed=config["seed"],
        device=config["device"],
        profile=PROFILE,
    script:
        "../../scripts/soc/real.py"


rule soc_claims:
    """Mean ± std over seeds, the real-cell summary, inference time per sample, and the claims."""
    input:
        experiments=EXPERIMENTS,
        train=expand(R("soc", "eval", "{dataset}_{setting}.json"), dataset=SOC_DATASETS, setting=SOC_SETTINGS),
        train_runs=expand(run_json("soc", "train_{dataset}_{setting}"), dataset=SOC_DATASETS, setting=SOC_SETTINGS),
        baselines=rules.soc_baselines.output.metrics,
        real=expand(R("soc", "real", "fold_{fold}.csv"), fold=SOC_FOLDS),
        real_runs=expand(run_json("soc", "real_{fold}"), fold=SOC_FOLDS),
        preds=expand(
            R("soc", "eval", "{dataset}_{setting}_predictions.npz"), dataset=SOC_DATASETS, setting=SOC_SETTINGS
        ),
        base_preds=rules.soc_baselines.output.preds,
        cycles=rules.soc_measure.output.csv,
        real_preds=expand(R("soc", "real", "fold_{fold}_predictions.npz"), fold=SOC_FOLDS),
    output:
        long=R("soc", "metrics.csv"),
        summary=R("soc", "summary.csv"),
        histories=R("soc", "histories.csv"),
        real=R("soc", "real", "metrics.csv"),
        real_summary=R("soc", "real", "summary.csv"),
        figdata=R("soc", "figdata.npz"),
        timing=R("soc", "timing", "inference.json"),
        claims=R("soc", "claims.csv"),
        run=run_json("soc", "claims"),
    log:
        log_path("soc", "claims"),
    benchmark:
        bench_path("soc", "claims")
    conda:
        ENV
    threads: 1
    params:
        cfg=SOC,
        cycles=SOC_CYCLES,
        paper_cfg=PAPER_CFG["soc"],
        profile=PROFILE,
    script:
        "../../scripts/soc/claims.py"


rule soc_plot:
    """Tables 2-3 beside the paper, Figs 6-7, the training curves, the real-cell table and error figure."""
    input:
        summary=rules.soc_claims.output.summary,
        histories=rules.soc_claims.output.histories,
        real_summary=rules.soc_claims.output.real_summary,
        figdata=rules.soc_claims.output.figdata,
        claims_run=rules.soc_claims.output.run,
    output:
        **{
            name: [
                report(R("soc", folder, f"{name}.png"), caption=f"../report/soc/{caption}.rst", category="soc"),
                R("soc", folder, f"{name}.pdf"),
            ]
            for name, (folder, caption) in SOC_IMAGES.items()
        },
        table2=R("soc", "tables", "table2_dataset1.csv"),
        table3=R("soc", "tables", "table3_dataset2.csv"),
        real_table=R("soc", "tables", "table_real_lg_hg2.csv"),
    log:
        log_path("soc", "plot"),
    conda:
        ENV
    script:
        "../../scripts/soc/plot.py"


_soc_figs = [p for p in rules.soc_plot.output]
TARGETS["soc"] += [rules.soc_claims.output.claims] + _soc_figs
FIGURES["soc"] += _soc_figs
