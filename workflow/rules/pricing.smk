# Study `pricing` (Saxena & Bhusan 2020): postage-stamp / MW-mile pricing on Garver 6-bus and IEEE RTS-24
# (Tables 1-8), counter-flow sharing, and GA vs PSO dispatch on IEEE 30-bus (three variants) with wheeling charges.
PRICING = config["pricing"]
PRICING_TABLES = [
    "table1_garver6_postage_gen",
    "table2_garver6_mwmile_gen",
    "table3_garver6_postage_load",
    "table4_garver6_mwmile_load",
    "table5_rts24_postage_gen",
    "table6_rts24_mwmile_gen",
    "table7_rts24_postage_load",
    "table8_rts24_mwmile_load",
]
PRICING_SUMMARIES = ["ga_vs_pso", "wheeling_charges", "sensitivity"]
PRICING_FIGURES = ["allocation_garver6", "allocation_rts24", "convergence_ga_pso", "wheeling_charges"]


rule pricing_allocate:
    """Both systems: flows, PTDF/GGDF/GLDF, postage-stamp and MW-mile allocations, eq. 2/3 charges, paper vs
    ours, the sensitivity to the inputs the paper does not give, and the dispatch its tables imply."""
    input:
        experiments=EXPERIMENTS,
    output:
        allocation=R("pricing", "data", "allocation.csv"),
        users=R("pricing", "data", "users.csv"),
        lines=R("pricing", "data", "lines.csv"),
        user_flows=expand(R("pricing", "data", "{system}_user_flows.csv"), system=["garver6", "rts24"]),
        paper_vs_ours=R("pricing", "data", "paper_vs_ours.csv"),
        sensitivity=R("pricing", "data", "sensitivity.csv"),
        implied=R("pricing", "data", "implied_dispatch.csv"),
        run=run_json("pricing", "allocate"),
    log:
        log_path("pricing", "allocate"),
    benchmark:
        bench_path("pricing", "allocate")
    conda:
        ENV
    params:
        cfg={k: PRICING[k] for k in ("gen_shares_pct", "profit_sharing_r", "garver6", "rts24")},
        profile=PROFILE,
    script:
        "../../scripts/pricing/allocate.py"


rule pricing_dispatch:
    """GA and PSO over the seeds on each dispatch variant with its reference optimum, pymoo's GA and PSO once
    (cross-check), and the wheeling charges at each method's best DC dispatch."""
    input:
        experiments=EXPERIMENTS,
    output:
        runs=R("pricing", "data", "dispatch_runs.csv"),
        curves=R("pricing", "data", "dispatch_curves.npz"),
        references=R("pricing", "data", "dispatch_references.json"),
        pymoo=R("pricing", "data", "pymoo_check.csv"),
        wheeling_users=R("pricing", "data", "wheeling_users.csv"),
        wheeling_lines=R("pricing", "data", "wheeling_lines.csv"),
        wheeling_summary=R("pricing", "data", "wheeling_summary.csv"),
        run=run_json("pricing", "dispatch"),
    log:
        log_path("pricing", "dispatch"),
    benchmark:
        bench_path("pricing", "dispatch")
    conda:
        ENV
    threads: 1
    params:
        cfg={k: PRICING[k] for k in ("dispatch", "profit_sharing_r")},
        seed=config["seed"],
        profile=PROFILE,
    script:
        "../../scripts/pricing/dispatch.py"


rule pricing_claims:
    """claims.csv: the MW-mile tables (one verdict each), postage-stamp and totals (consistency), the paper's
    inconsistencies, PSO vs GA per variant, MW-mile vs distance; and the GA vs PSO summary."""
    input:
        paper_vs_ours=rules.pricing_allocate.output.paper_vs_ours,
        sensitivity=rules.pricing_allocate.output.sensitivity,
        implied=rules.pricing_allocate.output.implied,
        users=rules.pricing_allocate.output.users,
        runs=rules.pricing_dispatch.output.runs,
        pymoo=rules.pricing_dispatch.output.pymoo,
        references=rules.pricing_dispatch.output.references,
        run_allocate=rules.pricing_allocate.output.run,
        run_dispatch=rules.pricing_dispatch.output.run,
    output:
        claims=R("pricing", "claims.csv"),
        summary=R("pricing", "data", "ga_vs_pso.csv"),
    log:
        log_path("pricing", "claims"),
    conda:
        ENV
    params:
        cfg=PRICING,
        paper_cfg=PAPER_CFG["pricing"],
        profile=PROFILE,
    script:
        "../../scripts/pricing/claims.py"


rule pricing_plot:
    """Tables 1-8 (paper, ours, difference), GA vs PSO, wheeling and sensitivity tables (CSV + Markdown + image),
    allocation bars, convergence per variant and wheeling charges (read only result files)."""
    input:
        paper_vs_ours=rules.pricing_allocate.output.paper_vs_ours,
        sensitivity=rules.pricing_allocate.output.sensitivity,
        summary=rules.pricing_claims.output.summary,
        curves=rules.pricing_dispatch.output.curves,
        references=rules.pricing_dispatch.output.references,
        wheeling_users=rules.pricing_dispatch.output.wheeling_users,
        wheeling_summary=rules.pricing_dispatch.output.wheeling_summary,
        run_allocate=rules.pricing_allocate.output.run,
        run_dispatch=rules.pricing_dispatch.output.run,
    output:
        tables=[R("pricing", "tables", f"{t}.csv") for t in PRICING_TABLES + PRICING_SUMMARIES],
        markdown=[R("pricing", "tables", f"{t}.md") for t in PRICING_TABLES + PRICING_SUMMARIES],
        images=[
            report(
                R("pricing", "tables", f"{t}.png"),
                caption=f"../report/pricing/{t.split('_')[0] if t.startswith('table') else t}.rst",
                category="pricing",
                subcategory="Tables 1-8" if t.startswith("table") else "GA vs PSO and wheeling",
            )
            for t in PRICING_TABLES + PRICING_SUMMARIES
        ],
        figures=[
            report(
                R("pricing", "figures", f"{f}.png"),
                caption=f"../report/pricing/fig_{f}.rst",
                category="pricing",
                subcategory="Figures",
            )
            for f in PRICING_FIGURES
        ],
        pdfs=expand(R("pricing", "figures", "{fig}.pdf"), fig=PRICING_FIGURES),
    log:
        log_path("pricing", "plot"),
    conda:
        ENV
    script:
        "../../scripts/pricing/plot.py"


TARGETS["pricing"] += [rules.pricing_claims.output.claims, *rules.pricing_plot.output]
FIGURES["pricing"] += [*rules.pricing_plot.output]
