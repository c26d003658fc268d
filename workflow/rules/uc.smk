# Study `uc` (Ramu, Srinivas & Kalyani): unit commitment by LR tuned with HDE / IHDE, 10-100 units,
# against an exact MILP (HiGHS).  One job per (size, method, seed) and one MILP job per size.
UC = config["uc"]
UC_PAPER = os.path.join(workflow.basedir, "src", "energyrepro", "uc", "data", "paper_results.yaml")
UC_SIZES = UC["sizes"]
UC_REPS = list(range(UC["n_seeds"]))
UC_MAP_SIZE = UC["heatmap_size"] or max(UC_SIZES)
UC_CONV_SIZE = max(UC_SIZES)
UC_MAP_METHOD = "ihde" if "ihde" in UC["methods"] else UC["methods"][0]
if UC_MAP_SIZE not in UC_SIZES:
    raise ValueError(f"config uc.heatmap_size={UC_MAP_SIZE} is not one of uc.sizes {UC_SIZES}")


wildcard_constraints:
    size=r"\d+",
    method=r"hde|ihde",
    seed=r"\d+",


UC_JOBS = [(s, m, r) for s in UC_SIZES for m in UC["methods"] for r in UC_REPS]
UC_LR_JSON = [R("uc", "lr", f"n{s}_{m}_s{r}.json") for s, m, r in UC_JOBS]
UC_MAP_JOBS = [(s, m, r) for s, m, r in UC_JOBS if s == UC_MAP_SIZE and m == UC_MAP_METHOD]
UC_CONV_NPZ = [R("uc", "lr", f"n{s}_{m}_s{r}.npz") for s, m, r in UC_JOBS if s == UC_CONV_SIZE]


rule uc_lr:
    """One LR + HDE/IHDE run: multipliers tuned by DE, the best schedule checked independently."""
    input:
        experiments=EXPERIMENTS,
        paper=UC_PAPER,
    output:
        json=R("uc", "lr", "n{size}_{method}_s{seed}.json"),
        npz=R("uc", "lr", "n{size}_{method}_s{seed}.npz"),
        run=run_json("uc", "lr_n{size}_{method}_s{seed}"),
    params:
        cfg=UC,
    threads: 1
    log:
        log_path("uc", "lr_n{size}_{method}_s{seed}"),
    benchmark:
        bench_path("uc", "lr_n{size}_{method}_s{seed}")
    conda:
        ENV
    script:
        "../../scripts/uc/lr_run.py"


rule uc_milp:
    """The exact reference: MILP of the same problem solved by HiGHS, schedule re-priced exactly."""
    input:
        experiments=EXPERIMENTS,
    output:
        json=R("uc", "milp", "n{size}.json"),
        npz=R("uc", "milp", "n{size}.npz"),
        run=run_json("uc", "milp_n{size}"),
    params:
        cfg=UC,
    threads: 1
    log:
        main=log_path("uc", "milp_n{size}"),
        highs=log_path("uc", "milp_n{size}_highs"),
    benchmark:
        bench_path("uc", "milp_n{size}")
    conda:
        ENV
    script:
        "../../scripts/uc/milp.py"


rule uc_summarise:
    """Statistics over seeds, IHDE-vs-HDE tests, the comparison with the paper and MILP, claims."""
    input:
        experiments=EXPERIMENTS,
        paper=UC_PAPER,
        runs=UC_LR_JSON,
        milp=expand(R("uc", "milp", "n{size}.json"), size=UC_SIZES),
    output:
        runs=R("uc", "summary", "runs.csv"),
        stats=R("uc", "summary", "stats.csv"),
        tests=R("uc", "summary", "ihde_vs_hde.csv"),
        comparison=R("uc", "summary", "comparison.csv"),
        claims=R("uc", "claims.csv"),
        run=run_json("uc", "summary"),
    params:
        cfg=UC,
    log:
        log_path("uc", "summarise"),
    benchmark:
        bench_path("uc", "summarise")
    conda:
        ENV
    script:
        "../../scripts/uc/summarise.py"


rule uc_plot_tables:
    """Tables 2 and 3 (CSV, Markdown, PNG) beside the paper's numbers."""
    input:
        paper=UC_PAPER,
        stats=rules.uc_summarise.output.stats,
        comparison=rules.uc_summarise.output.comparison,
        run=rules.uc_summarise.output.run,
    output:
        table2=report(R("uc", "tables", "table2_hde_ihde.csv"), caption="../report/uc/table2.rst", category="uc"),
        table2_png=report(R("uc", "tables", "table2_hde_ihde.png"), caption="../report/uc/table2.rst",
                          category="uc"),
        table3=report(R("uc", "tables", "table3_comparison.csv"), caption="../report/uc/table3.rst", category="uc"),
        table3_png=report(R("uc", "tables", "table3_comparison.png"), caption="../report/uc/table3.rst",
                          category="uc"),
    log:
        log_path("uc", "plot_tables"),
    benchmark:
        bench_path("uc", "plot_tables")
    conda:
        ENV
    script:
        "../../scripts/uc/plot_tables.py"


rule uc_plot_schedule:
    """Table 1 as a heat map: the best IHDE (else HDE) schedule of the heat-map size."""
    input:
        json=[R("uc", "lr", f"n{s}_{m}_s{r}.json") for s, m, r in UC_MAP_JOBS],
        npz=[R("uc", "lr", f"n{s}_{m}_s{r}.npz") for s, m, r in UC_MAP_JOBS],
        runs=[run_json("uc", f"lr_n{s}_{m}_s{r}") for s, m, r in UC_MAP_JOBS],
    output:
        png=report(R("uc", "figures", f"table1_schedule_n{UC_MAP_SIZE}.png"), caption="../report/uc/table1.rst",
                   category="uc"),
    log:
        log_path("uc", "plot_schedule"),
    benchmark:
        bench_path("uc", "plot_schedule")
    conda:
        ENV
    script:
        "../../scripts/uc/plot_schedule.py"


rule uc_plot_convergence:
    """Figs 2-3: cost and fitness convergence at the largest size, mean and band over seeds."""
    input:
        paper=UC_PAPER,
        npz=UC_CONV_NPZ,
        milp=R("uc", "milp", f"n{UC_CONV_SIZE}.json"),
        run=rules.uc_summarise.output.run,
    output:
        fig2=report(R("uc", "figures", "fig2_cost_convergence.png"), caption="../report/uc/fig2.rst", category="uc"),
        fig3=report(R("uc", "figures", "fig3_fitness_convergence.png"), caption="../report/uc/fig3.rst",
                    category="uc"),
    params:
        size=UC_CONV_SIZE,
    log:
        log_path("uc", "plot_convergence"),
    benchmark:
        bench_path("uc", "plot_convergence")
    conda:
        ENV
    script:
        "../../scripts/uc/plot_convergence.py"


UC_FIGURES = (list(rules.uc_plot_tables.output) + list(rules.uc_plot_schedule.output)
              + list(rules.uc_plot_convergence.output))
FIGURES["uc"] += UC_FIGURES
TARGETS["uc"] += [rules.uc_summarise.output.claims] + UC_FIGURES
