# Study `uc` (Ramu, Srinivas & Kalyani): unit commitment by LR tuned with HDE / IHDE, 10-100 units, against the
# optimum proven by an exact MILP (HiGHS). One LR job per size runs every method x seed; one MILP job per size.
UC = config["uc"]
UC_SIZES = UC["sizes"]
UC_MAP_SIZE = UC["heatmap_size"] or max(UC_SIZES)
UC_CONV_SIZE = max(UC_SIZES)
UC_MAP_METHOD = "ihde" if "ihde" in UC["methods"] else UC["methods"][0]
UC_MIG = UC["migration_eps1"]
for key, value in (("heatmap_size", UC_MAP_SIZE), ("migration_size", UC["migration_size"])):
    if value not in UC_SIZES:
        raise ValueError(f"config uc.{key}={value} is not one of uc.sizes {UC_SIZES}")
# what each script reads (Snakemake re-runs a job when its slice changes)
UC_DATA = ["units_csv", "load_csv", "reserve_frac"]
UC_DE = [
    "n_seeds",
    "population",
    "iterations",
    "f",
    "f_sd",
    "f_refresh",
    "cr",
    "eps1",
    "eps2",
    "mutation_base",
    "sar_children",
    "sar_blocks",
    "sar_rate0",
    "sar_tau",
    "lambda_bounds",
    "mu_bounds",
    "penalty_reserve",
    "penalty_balance",
]


wildcard_constraints:
    size=r"\d+",


rule uc_milp:
    """The exact yardstick of one size: aggregated MILP proven by HiGHS, schedule re-priced by the checker."""
    input:
        experiments=EXPERIMENTS,
    output:
        json=R("uc", "milp", "n{size}.json"),
        npz=R("uc", "milp", "n{size}.npz"),
        run=run_json("uc", "milp_n{size}"),
    log:
        main=log_path("uc", "milp_n{size}"),
        highs=log_path("uc", "milp_n{size}_highs"),
    benchmark:
        bench_path("uc", "milp_n{size}")
    conda:
        ENV
    threads: 1
    params:
        cfg={k: UC[k] for k in UC_DATA + ["milp_gap", "milp_time_limit", "milp_tangents"]},
        profile=PROFILE,
    script:
        "../../scripts/uc/milp.py"


rule uc_lr:
    """Every method x seed of LR + HDE/IHDE at one size; best schedules checked by the independent checker."""
    input:
        experiments=EXPERIMENTS,
    output:
        json=R("uc", "lr", "n{size}.json"),
        npz=R("uc", "lr", "n{size}.npz"),
        run=run_json("uc", "lr_n{size}"),
    log:
        log_path("uc", "lr_n{size}"),
    benchmark:
        bench_path("uc", "lr_n{size}")
    conda:
        ENV
    threads: 1
    params:
        cfg={k: UC[k] for k in UC_DATA + UC_DE + ["methods"]},
        seed=config["seed"],
        profile=PROFILE,
    script:
        "../../scripts/uc/lr_run.py"


rule uc_migration:
    """Migration sensitivity: IHDE at each extra eps1 (same seeds as the main runs) at one size."""
    input:
        experiments=EXPERIMENTS,
    output:
        json=R("uc", "lr", "migration_n{size}.json"),
        npz=R("uc", "lr", "migration_n{size}.npz"),
        run=run_json("uc", "migration_n{size}"),
    log:
        log_path("uc", "migration_n{size}"),
    benchmark:
        bench_path("uc", "migration_n{size}")
    conda:
        ENV
    threads: 1
    params:
        cfg={k: UC[k] for k in UC_DATA + UC_DE},
        eps1=UC_MIG,
        seed=config["seed"],
        profile=PROFILE,
    script:
        "../../scripts/uc/lr_run.py"


rule uc_claims:
    """Statistics over runs, IHDE-vs-HDE tests, the comparison with the paper and the optimum, claims."""
    input:
        runs=expand(R("uc", "lr", "n{size}.json"), size=UC_SIZES),
        milp=expand(R("uc", "milp", "n{size}.json"), size=UC_SIZES),
        migration=[R("uc", "lr", f"migration_n{UC['migration_size']}.json")] if UC_MIG else [],
    output:
        runs=R("uc", "data", "runs.csv"),
        milp=R("uc", "data", "optimum.csv"),
        stats=R("uc", "data", "stats.csv"),
        tests=R("uc", "data", "ihde_vs_hde.csv"),
        comparison=R("uc", "data", "comparison.csv"),
        migration=R("uc", "data", "migration.csv"),
        claims=R("uc", "claims.csv"),
    log:
        log_path("uc", "claims"),
    conda:
        ENV
    params:
        cfg=UC,
        paper_cfg=PAPER_CFG["uc"],
        profile=PROFILE,
    script:
        "../../scripts/uc/claims.py"


rule uc_plot:
    """Tables 1-3, the proven optima, the migration table and Figs 2-3 (read result files only)."""
    input:
        experiments=EXPERIMENTS,
        stats=rules.uc_claims.output.stats,
        milp=rules.uc_claims.output.milp,
        comparison=rules.uc_claims.output.comparison,
        migration=rules.uc_claims.output.migration,
        map_json=R("uc", "lr", f"n{UC_MAP_SIZE}.json"),
        map_npz=R("uc", "lr", f"n{UC_MAP_SIZE}.npz"),
        map_run=run_json("uc", f"lr_n{UC_MAP_SIZE}"),
        conv_npz=R("uc", "lr", f"n{UC_CONV_SIZE}.npz"),
        conv_run=run_json("uc", f"lr_n{UC_CONV_SIZE}"),
    output:
        table2=R("uc", "tables", "table2_hde_ihde.csv"),
        table2_md=R("uc", "tables", "table2_hde_ihde.md"),
        table2_png=image("uc", "tables", "table2_hde_ihde", "table2", pdf=False),
        table3=R("uc", "tables", "table3_comparison.csv"),
        table3_md=R("uc", "tables", "table3_comparison.md"),
        table3_png=image("uc", "tables", "table3_comparison", "table3", pdf=False),
        optimum=R("uc", "tables", "optimum.csv"),
        optimum_md=R("uc", "tables", "optimum.md"),
        optimum_png=image("uc", "tables", "optimum", "optimum", pdf=False),
        migration=R("uc", "tables", "migration.csv"),
        migration_md=R("uc", "tables", "migration.md"),
        migration_png=image("uc", "tables", "migration", "migration", pdf=False),
        table1=image("uc", "figures", f"table1_schedule_n{UC_MAP_SIZE}", "table1"),
        fig2=image("uc", "figures", "fig2_cost_convergence", "fig2"),
        fig3=image("uc", "figures", "fig3_fitness_convergence", "fig3"),
    log:
        log_path("uc", "plot"),
    conda:
        ENV
    params:
        quality_target=UC["quality_target"],
        map_size=UC_MAP_SIZE,
        map_method=UC_MAP_METHOD,
        conv_size=UC_CONV_SIZE,
    script:
        "../../scripts/uc/plot.py"


UC_FIGURES = list(rules.uc_plot.output)
FIGURES["uc"] += UC_FIGURES
TARGETS["uc"] += [rules.uc_claims.output.claims] + UC_FIGURES
