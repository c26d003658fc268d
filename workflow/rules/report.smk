# The user-facing result: merged claims (the report's first page) and the figures target.


rule report_claims:
    """Merge the studies' claims.csv (the selected ones, plus any other study's already on disk),
    re-check each verdict, render Markdown and HTML."""
    input:
        [R(s, "claims.csv") for s in config["studies"]],
    output:
        csv=os.path.join(RESULTS, "claims.csv"),
        md=os.path.join(RESULTS, "claims.md"),
        html=report(
            os.path.join(RESULTS, "claims.html"),
            caption="../report/claims.rst",
            category="0 Claims",
        ),
    log:
        log_path("report", "claims"),
    conda:
        ENV
    params:
        profile=PROFILE,
        # A run that selects fewer studies must not drop the others from the merged table.
        others=[R(s, "claims.csv") for s in STUDIES if s not in config["studies"]],
    script:
        "../../scripts/report/claims.py"


REPORT_TARGETS = rules.report_claims.output


rule figures:
    """Every paper figure and table, drawn from saved result files only (see `make figures`)."""
    default_target: False
    input:
        [f for s in config["studies"] for f in FIGURES[s]],
