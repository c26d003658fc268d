"""Snakemake entry point: merge the studies' claims into results/<profile>/claims.{csv,md,html}."""

from pathlib import Path

import pandas as pd

from energyrepro.io import write_csv, write_text
from energyrepro.report import claims_html, claims_markdown, merge_claims
from energyrepro.runtime import setup_logging, summary
from energyrepro.tracking import git_state

sm = snakemake  # noqa: F821 (injected by Snakemake)
log = setup_logging(sm.log[0])
frames = [merge_claims(list(sm.input))]
for other in (p for p in sm.params.others if Path(p).exists()):
    try:  # a study not selected this time: keep its last results, unless its file predates the contract
        frames.append(merge_claims([other]))
    except ValueError as exc:
        log.warning("left out %s: %s", other, exc)
df = pd.concat(frames, ignore_index=True)
commit, dirty = git_state()
commit = commit + ("-dirty" if dirty else "")
write_csv(sm.output.csv, df)
write_text(sm.output.md, claims_markdown(df, commit, sm.params.profile))
write_text(sm.output.html, claims_html(df, commit, sm.params.profile))
claims = df[df["kind"] == "claim"]
summary(f"claims ({sm.params.profile}): {len(claims)} claims {claims['verdict'].value_counts().to_dict()}, "
        f"{len(df) - len(claims)} other rows; studies {sorted(set(df['study']))} -> {sm.output.md}")
