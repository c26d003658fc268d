# The user-facing result: merged claims (the report's first page) and the figures target.


rule report_claims:
    """Merge every study's claims.csv, re-check the verdicts, render Markdown and HTML."""
    input:
        [R(s, "claims.csv") for s in config["studies"]],
    output:
        csv="results/claims.csv",
        md="results/claims.md",
        html=report(
            "results/claims.html",
            caption="../report/claims.rst",
            category="0 Claims",
        ),
    params:
        profile=config["profile"],
    log:
        "results/logs/report/claims.log",
    conda:
        ENV
    script:
        "../../scripts/report/claims.py"


REPORT_TARGETS = rules.report_claims.output


rule figures:
    """Every paper figure and table, drawn from saved result files only (see `make figures`)."""
    default_target: False
    input:
        [f for s in config["studies"] for f in FIGURES[s]],
