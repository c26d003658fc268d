"""Snakemake entry point: merge the studies' claims into results/claims.{csv,md,html}."""

from energyrepro.io import write_csv, write_text
from energyrepro.report import claims_html, claims_markdown, merge_claims
from energyrepro.runtime import setup_logging
from energyrepro.tracking import git_state

sm = snakemake  # noqa: F821 (injected by Snakemake)
log = setup_logging(sm.log[0])
df = merge_claims(list(sm.input))
commit, dirty = git_state()
commit = commit + ("-dirty" if dirty else "")
write_csv(sm.output.csv, df)
write_text(sm.output.md, claims_markdown(df, commit, sm.params.profile))
write_text(sm.output.html, claims_html(df, commit, sm.params.profile))
log.info("merged %d claims: %s", len(df), df["verdict"].value_counts().to_dict())
