# Study `soc` (Liu et al., Electric Drive 2024): PyBaMM-simulated drive cycles -> CNN / LSTM / CNN-LSTM SOC
# estimators vs Coulomb counting and an EKF, on the paper's random split and on held-out cycles.
# Real LG 18650HG2 cycles: target soc_real (in the default targets when soc.source is lg_hg2).
from energyrepro.soc.paths import check_cycle_names, lg_hg2_dir, lg_hg2_files

SOC = config["soc"]
if enabled("soc"):
    check_cycle_names(SOC)
SOC_CYCLES = list(SOC["simulate"]["cycles"])
SOC_DATASETS = ["d1", "d2"]
SOC_MODELS = SOC["models"]
SOC_MAIN = "cnnlstm" if "cnnlstm" in SOC_MODELS else SOC_MODELS[0]  # the run figures attach to


wildcard_constraints:
    cycle="|".join(SOC_CYCLES) or "none",
    dataset="d1|d2",
    model="|".join(m.replace("-", "\\-") for m in SOC_MODELS),


SOC_REPO = os.path.dirname(os.path.abspath(workflow.main_snakefile))  # ../shared sits beside it
SOC_CYCLE_CSVS = expand(R("soc", "data", "cycles", "{cycle}.csv"), cycle=SOC_CYCLES)


rule soc_simulate:
    """One drive cycle with PyBaMM from full charge to cut-off (cached: only soc.simulate re-triggers it)."""
    input:
        EXPERIMENTS,
    output:
        csv=R("soc", "data", "sim", "{cycle}.csv"),
        meta=R("soc", "data", "sim", "{cycle}.json"),
        run=run_json("soc", "simulate_{cycle}"),
    params:
        sim=SOC["simulate"],
    threads: 1
    log:
        log_path("soc", "simulate_{cycle}"),
    benchmark:
        bench_path("soc", "simulate_{cycle}")
    conda:
        ENV
    script:
        "../../scripts/soc/simulate.py"


rule soc_measure:
    """Seeded sensor noise and offsets on every simulated cycle (the networks' and baselines' inputs)."""
    input:
        exp=EXPERIMENTS,
        csv=expand(R("soc", "data", "sim", "{cycle}.csv"), cycle=SOC_CYCLES),
        meta=expand(R("soc", "data", "sim", "{cycle}.json"), cycle=SOC_CYCLES),
    output:
        csv=SOC_CYCLE_CSVS,
        manifest=R("soc", "data", "manifest.csv"),
        run=run_json("soc", "measure"),
    params:
        cycles=SOC_CYCLES,
        noise=SOC["noise"],
    log:
        log_path("soc", "measure"),
    benchmark:
        bench_path("soc", "measure")
    conda:
        ENV
    script:
        "../../scripts/soc/measure.py"


rule soc_train:
    """Train one network on one dataset under every protocol and seed; score its test windows."""
    input:
        exp=EXPERIMENTS,
        manifest=R("soc", "data", "manifest.csv"),
        cycles=SOC_CYCLE_CSVS,
    output:
        metrics=R("soc", "eval", "{dataset}_{model}.json"),
        preds=R("soc", "eval", "{dataset}_{model}_predictions.npz"),
        model=R("soc", "models", "{dataset}_{model}.pt"),
        run=run_json("soc", "train_{dataset}_{model}"),
    params:
        cycles=SOC_CYCLES,
    threads: 1
    resources:
        gpu=1,
    log:
        log_path("soc", "train_{dataset}_{model}"),
    benchmark:
        bench_path("soc", "train_{dataset}_{model}")
    conda:
        ENV
    script:
        "../../scripts/soc/train.py"


rule soc_baselines:
    """Coulomb counting and the EKF on a Thevenin ECM identified from the dataset's training cycles."""
    input:
        exp=EXPERIMENTS,
        manifest=R("soc", "data", "manifest.csv"),
        cycles=SOC_CYCLE_CSVS,
    output:
        metrics=R("soc", "eval", "{dataset}_baselines.json"),
        preds=R("soc", "eval", "{dataset}_baselines_predictions.npz"),
        run=run_json("soc", "baselines_{dataset}"),
    params:
        cycles=SOC_CYCLES,
    log:
        log_path("soc", "baselines_{dataset}"),
    benchmark:
        bench_path("soc", "baselines_{dataset}")
    conda:
        ENV
    script:
        "../../scripts/soc/baselines.py"


rule soc_summarize:
    """Mean ± std over seeds per dataset, protocol and method, and the claims with computed verdicts."""
    input:
        metrics=expand(R("soc", "eval", "{dataset}_{model}.json"), dataset=SOC_DATASETS, model=SOC_MODELS)
        + expand(R("soc", "eval", "{dataset}_baselines.json"), dataset=SOC_DATASETS),
    output:
        long=R("soc", "metrics.csv"),
        summary=R("soc", "summary.csv"),
        claims=R("soc", "claims.csv"),
    log:
        log_path("soc", "summarize"),
    benchmark:
        bench_path("soc", "summarize")
    conda:
        ENV
    script:
        "../../scripts/soc/summarize.py"


rule soc_plot_tables:
    """Tables 2-3: ours (mean ± std) beside the paper's numbers."""
    input:
        summary=R("soc", "summary.csv"),
        run_d1=run_json("soc", f"train_d1_{SOC_MAIN}"),
        run_d2=run_json("soc", f"train_d2_{SOC_MAIN}"),
    output:
        t2=report(R("soc", "tables", "table2_dataset1.csv"), caption="../report/soc/table2.rst", category="soc"),
        t2_png=report(R("soc", "tables", "table2_dataset1.png"), caption="../report/soc/table2.rst", category="soc"),
        t3=report(R("soc", "tables", "table3_dataset2.csv"), caption="../report/soc/table3.rst", category="soc"),
        t3_png=report(R("soc", "tables", "table3_dataset2.png"), caption="../report/soc/table3.rst", category="soc"),
    log:
        log_path("soc", "plot_tables"),
    benchmark:
        bench_path("soc", "plot_tables")
    conda:
        ENV
    script:
        "../../scripts/soc/plot_tables.py"


rule soc_plot_figures:
    """Figs 6-7: estimated vs true SOC over time, with error, for datasets 1 and 2."""
    input:
        cycles=SOC_CYCLE_CSVS,
        preds_d1=expand(R("soc", "eval", "d1_{model}_predictions.npz"), model=SOC_MODELS),
        preds_d2=expand(R("soc", "eval", "d2_{model}_predictions.npz"), model=SOC_MODELS),
        base_d1=R("soc", "eval", "d1_baselines_predictions.npz"),
        base_d2=R("soc", "eval", "d2_baselines_predictions.npz"),
        run_d1=run_json("soc", f"train_d1_{SOC_MAIN}"),
        run_d2=run_json("soc", f"train_d2_{SOC_MAIN}"),
    output:
        fig6=report(R("soc", "figures", "fig6_dataset1.png"), caption="../report/soc/fig6.rst", category="soc"),
        fig7=report(R("soc", "figures", "fig7_dataset2.png"), caption="../report/soc/fig7.rst", category="soc"),
    params:
        cycles=SOC_CYCLES,
        models=SOC_MODELS,
    log:
        log_path("soc", "plot_figures"),
    benchmark:
        bench_path("soc", "plot_figures")
    conda:
        ENV
    script:
        "../../scripts/soc/plot_figures.py"


SOC_FIGURES = rules.soc_plot_tables.output + rules.soc_plot_figures.output
TARGETS["soc"] += [R("soc", "claims.csv"), *SOC_FIGURES]
FIGURES["soc"] += SOC_FIGURES


rule soc_real_eval:
    """Real LG HG2 cells: 25 °C <-> 0 °C transfers, the baselines, and the simulated-data models on real cycles."""
    input:
        exp=EXPERIMENTS,
        lg=lambda wildcards: lg_hg2_files(SOC["lg_hg2"], SOC_REPO),
        sim_models=expand(R("soc", "models", "d2_{model}.pt"), model=SOC_MODELS),
    output:
        metrics=R("soc", "real", "metrics.csv"),
        preds=R("soc", "real", "predictions.npz"),
        run=run_json("soc", "real_lg_hg2"),
    params:
        path=lambda wildcards: lg_hg2_dir(SOC["lg_hg2"], SOC_REPO),
        models=SOC_MODELS,
    threads: 1
    resources:
        gpu=1,
    log:
        log_path("soc", "real_lg_hg2"),
    benchmark:
        bench_path("soc", "real_lg_hg2")
    conda:
        ENV
    script:
        "../../scripts/soc/real.py"


rule soc_plot_real:
    """The real-cell table."""
    input:
        metrics=R("soc", "real", "metrics.csv"),
        run=run_json("soc", "real_lg_hg2"),
    output:
        csv=report(R("soc", "tables", "table_real_lg_hg2.csv"), caption="../report/soc/table_real.rst", category="soc"),
        png=report(R("soc", "tables", "table_real_lg_hg2.png"), caption="../report/soc/table_real.rst", category="soc"),
    log:
        log_path("soc", "plot_real"),
    benchmark:
        bench_path("soc", "plot_real")
    conda:
        ENV
    script:
        "../../scripts/soc/plot_real.py"


rule soc_real:
    """Target: the real-cell evaluation (`snakemake soc_real`); needs soc.lg_hg2.path (auto: ../shared/data/lg_hg2)."""
    input:
        rules.soc_plot_real.output,


if SOC["source"] == "lg_hg2":
    TARGETS["soc"] += rules.soc_plot_real.output
    FIGURES["soc"] += rules.soc_plot_real.output
