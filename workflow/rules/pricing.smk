# Study `pricing` (Saxena & Bhusan 2020): postage-stamp / MW-mile pricing on Garver 6-bus and IEEE RTS-24
# (Tables 1-8), counter-flow sharing, and GA vs PSO dispatch on IEEE 30-bus with wheeling charges.
PRICING_SYSTEMS = ["garver6", "rts24"]
PRICING_METHODS = ["ga", "pso"]
PRICING_TABLES = [
    "table1_garver6_postage_gen", "table2_garver6_mwmile_gen", "table3_garver6_postage_load",
    "table4_garver6_mwmile_load", "table5_rts24_postage_gen", "table6_rts24_mwmile_gen",
    "table7_rts24_postage_load", "table8_rts24_mwmile_load",
]


rule pricing_allocate:
    """Flows, PTDF/GGDF/GLDF, postage-stamp and MW-mile allocations, absolute vs zero counter-flow charges."""
    input:
        experiments=EXPERIMENTS,
    output:
        allocation=R("pricing", "data", "{system}_allocation.csv"),
        users=R("pricing", "data", "{system}_users.csv"),
        lines=R("pricing", "data", "{system}_lines.csv"),
        user_flows=R("pricing", "data", "{system}_user_flows.csv"),
        sensitivity=R("pricing", "data", "{system}_sensitivity.csv"),
        run=run_json("pricing", "allocate_{system}"),
    wildcard_constraints:
        system="|".join(PRICING_SYSTEMS),
    params:
        cfg=config["pricing"],
    log:
        log_path("pricing", "allocate_{system}"),
    benchmark:
        bench_path("pricing", "allocate_{system}")
    conda:
        ENV
    script:
        "../../scripts/pricing/allocate.py"


rule pricing_opf_reference:
    """pandapower DC OPF of the IEEE 30-bus dispatch problem, checked against scipy on our model."""
    input:
        experiments=EXPERIMENTS,
    output:
        json=R("pricing", "data", "opf_reference.json"),
        run=run_json("pricing", "opf_reference"),
    params:
        cfg=config["pricing"],
    log:
        log_path("pricing", "opf_reference"),
    benchmark:
        bench_path("pricing", "opf_reference")
    conda:
        ENV
    script:
        "../../scripts/pricing/opf_reference.py"


rule pricing_optimise:
    """Our GA or PSO on the IEEE 30-bus dispatch, one run per derived seed (per-seed metrics in one MLflow run)."""
    input:
        experiments=EXPERIMENTS,
    output:
        runs=R("pricing", "data", "runs_{method}.csv"),
        curves=R("pricing", "data", "curves_{method}.npz"),
        run=run_json("pricing", "optimise_{method}"),
    wildcard_constraints:
        method="|".join(PRICING_METHODS),
    params:
        cfg=config["pricing"],
    threads: 1
    log:
        log_path("pricing", "optimise_{method}"),
    benchmark:
        bench_path("pricing", "optimise_{method}")
    conda:
        ENV
    script:
        "../../scripts/pricing/optimise.py"


rule pricing_pymoo_check:
    """pymoo's GA and PSO once on the same problem: a cross-check of ours."""
    input:
        experiments=EXPERIMENTS,
    output:
        csv=R("pricing", "data", "pymoo_check.csv"),
        run=run_json("pricing", "pymoo_check"),
    params:
        cfg=config["pricing"],
    log:
        log_path("pricing", "pymoo_check"),
    benchmark:
        bench_path("pricing", "pymoo_check")
    conda:
        ENV
    script:
        "../../scripts/pricing/pymoo_check.py"


rule pricing_wheeling:
    """Wheeling charges (eq. 2 vs eq. 3, r-sharing, line impacts) at each method's best dispatch and the OPF's."""
    input:
        experiments=EXPERIMENTS,
        opf=rules.pricing_opf_reference.output.json,
        runs=expand(R("pricing", "data", "runs_{method}.csv"), method=PRICING_METHODS),
    output:
        users=R("pricing", "data", "wheeling_users.csv"),
        lines=R("pricing", "data", "wheeling_lines.csv"),
        summary=R("pricing", "data", "wheeling_summary.csv"),
        run=run_json("pricing", "wheeling"),
    params:
        cfg=config["pricing"],
    log:
        log_path("pricing", "wheeling"),
    benchmark:
        bench_path("pricing", "wheeling")
    conda:
        ENV
    script:
        "../../scripts/pricing/wheeling.py"


PRICING_RUN_KEYS = ["allocate_garver6", "allocate_rts24", "optimise_ga", "optimise_pso", "pymoo_check"]


rule pricing_claims:
    """Paper vs ours (Tables 1-8), GA vs PSO statistics and the Wilcoxon test, claims.csv with computed verdicts."""
    input:
        experiments=EXPERIMENTS,
        allocation=expand(R("pricing", "data", "{system}_allocation.csv"), system=PRICING_SYSTEMS),
        users=expand(R("pricing", "data", "{system}_users.csv"), system=PRICING_SYSTEMS),
        opf=rules.pricing_opf_reference.output.json,
        runs=expand(R("pricing", "data", "runs_{method}.csv"), method=PRICING_METHODS),
        pymoo=rules.pricing_pymoo_check.output.csv,
        run_jsons=[run_json("pricing", k) for k in PRICING_RUN_KEYS],
    output:
        claims=R("pricing", "claims.csv"),
        compare=R("pricing", "data", "paper_vs_ours.csv"),
        summary=R("pricing", "data", "ga_vs_pso_summary.csv"),
        wilcoxon=R("pricing", "data", "wilcoxon.json"),
        run=run_json("pricing", "claims"),
    params:
        cfg=config["pricing"],
        systems=PRICING_SYSTEMS,
        run_keys=PRICING_RUN_KEYS,
    log:
        log_path("pricing", "claims"),
    benchmark:
        bench_path("pricing", "claims")
    conda:
        ENV
    script:
        "../../scripts/pricing/claims.py"


rule pricing_plot_tables:
    """Tables 1-8 (paper, ours, difference), GA vs PSO, wheeling and sensitivity: CSV + Markdown + HTML."""
    input:
        compare=rules.pricing_claims.output.compare,
        summary=rules.pricing_claims.output.summary,
        wilcoxon=rules.pricing_claims.output.wilcoxon,
        wheeling=rules.pricing_wheeling.output.summary,
        sensitivity=expand(R("pricing", "data", "{system}_sensitivity.csv"), system=PRICING_SYSTEMS),
        claims_run=rules.pricing_claims.output.run,
    output:
        paper_csv=[R("pricing", "tables", f"{t}.csv") for t in PRICING_TABLES],
        paper_html=[
            report(R("pricing", "tables", f"{t}.html"), caption=f"../report/pricing/{t.split('_')[0]}.rst",
                   category="pricing", subcategory="Tables 1-8")
            for t in PRICING_TABLES
        ],
        ga_pso_csv=R("pricing", "tables", "ga_vs_pso.csv"),
        ga_pso_html=report(R("pricing", "tables", "ga_vs_pso.html"), caption="../report/pricing/ga_vs_pso.rst",
                           category="pricing", subcategory="GA vs PSO"),
        wheeling_csv=R("pricing", "tables", "wheeling_charges.csv"),
        wheeling_html=report(R("pricing", "tables", "wheeling_charges.html"),
                             caption="../report/pricing/wheeling_table.rst", category="pricing",
                             subcategory="GA vs PSO"),
        sens_csv=R("pricing", "tables", "sensitivity.csv"),
        sens_html=report(R("pricing", "tables", "sensitivity.html"), caption="../report/pricing/sensitivity.rst",
                         category="pricing", subcategory="Tables 1-8"),
    log:
        log_path("pricing", "plot_tables"),
    benchmark:
        bench_path("pricing", "plot_tables")
    conda:
        ENV
    script:
        "../../scripts/pricing/plot_tables.py"


rule pricing_plot_figures:
    """Allocation bar charts (paper vs ours), GA/PSO convergence (mean with min-max band), wheeling charges."""
    input:
        compare=rules.pricing_claims.output.compare,
        opf=rules.pricing_opf_reference.output.json,
        curves=expand(R("pricing", "data", "curves_{method}.npz"), method=PRICING_METHODS),
        wheeling_users=rules.pricing_wheeling.output.users,
        run_garver=run_json("pricing", "allocate_garver6"),
        run_rts=run_json("pricing", "allocate_rts24"),
        run_opt=expand(run_json("pricing", "optimise_{method}"), method=PRICING_METHODS),
        run_wheeling=rules.pricing_wheeling.output.run,
    output:
        garver=report(R("pricing", "figures", "allocation_garver6.png"),
                      caption="../report/pricing/allocation_garver6.rst", category="pricing", subcategory="Figures"),
        rts=report(R("pricing", "figures", "allocation_rts24.png"),
                   caption="../report/pricing/allocation_rts24.rst", category="pricing", subcategory="Figures"),
        convergence=report(R("pricing", "figures", "convergence_ga_pso.png"),
                           caption="../report/pricing/convergence.rst", category="pricing", subcategory="Figures"),
        wheeling=report(R("pricing", "figures", "wheeling_charges.png"),
                        caption="../report/pricing/wheeling.rst", category="pricing", subcategory="Figures"),
    log:
        log_path("pricing", "plot_figures"),
    benchmark:
        bench_path("pricing", "plot_figures")
    conda:
        ENV
    script:
        "../../scripts/pricing/plot_figures.py"


TARGETS["pricing"] += [
    rules.pricing_claims.output.claims,
    rules.pricing_wheeling.output.summary,
    *rules.pricing_plot_tables.output,
    *rules.pricing_plot_figures.output,
]
FIGURES["pricing"] += [*rules.pricing_plot_tables.output, *rules.pricing_plot_figures.output]
