"""Merge every study's claims into one table, check its verdicts, and render it for people.

The README's results section and the report's first page are generated from the merged claims,
never typed by hand.
"""

from __future__ import annotations

import html
import os
import re
import textwrap
from pathlib import Path

import pandas as pd

from energyrepro.claims import COLUMNS, recompute_verdicts
from energyrepro.publish import manifest_studies

STUDY_TITLES = {
    "el": "EL defect classification with AlexNet (Verma et al. 2021)",
    "relay": "ANN distance relay on a 440 kV line (Oleskovicz, Coury & Aggarwal 2003)",
    "soc": "Battery SOC with CNN / LSTM / CNN-LSTM (Liu et al. 2024)",
    "pricing": "MW-mile transmission pricing, GA vs PSO (Saxena & Bhusan 2020)",
    "uc": "Unit commitment by LR + HDE / IHDE (Ramu, Srinivas & Kalyani)",
}
README_START, README_END = "<!-- results:start -->", "<!-- results:end -->"


def merge_claims(paths: list[str | os.PathLike]) -> pd.DataFrame:
    """Concatenate claims files; fail if a file's columns or verdicts do not follow the contract."""
    frames = []
    for p in paths:
        df = pd.read_csv(p, keep_default_na=False, na_values=[""])
        missing = [c for c in COLUMNS if c not in df.columns]
        if missing:
            raise ValueError(f"{p}: claims file lacks columns {missing} (re-run the study to refresh it)")
        bad = df["verdict"] != recompute_verdicts(df)
        if bad.any():
            raise ValueError(f"{p}: verdicts do not follow from the numbers for claims {list(df.claim_id[bad])}")
        frames.append(df[COLUMNS])
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COLUMNS)


def _fmt(v) -> str:
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return ""
    if isinstance(v, bool) or str(v) in ("True", "False"):
        return str(v)
    try:
        x = float(v)
    except ValueError:
        return str(v)
    if abs(x) >= 1e4:  # costs in $: keep every digit that tells two schedules apart
        return f"{x:,.0f}" if x == int(x) else f"{x:,.2f}"
    return f"{x:.4g}"


COUNTED = ["reproduced", "better than paper", "not reproduced", "not comparable"]
OTHER_KINDS = {"consistency": "consistency checks (hold by construction; never counted)",
               "paper_inconsistency": "the paper contradicts itself or its data"}


def verdict_counts(df: pd.DataFrame) -> pd.DataFrame:
    """Verdicts of ``kind == claim`` rows only, per study (consistency rows and paper inconsistencies apart)."""
    claims = df[df["kind"] == "claim"]
    counts = claims.groupby(["study", "verdict"]).size().unstack(fill_value=0).reindex(columns=COUNTED, fill_value=0)
    other = df[df["kind"] != "claim"].groupby(["study", "kind"]).size().unstack(fill_value=0)
    counts = counts.reindex(sorted(set(df["study"]), key=list(df["study"]).index), fill_value=0)
    for kind in OTHER_KINDS:
        counts[kind] = other[kind] if kind in other else 0
    return counts.fillna(0).astype(int)


def _counts_table(df: pd.DataFrame) -> list[str]:
    counts = verdict_counts(df)
    head = COUNTED + list(OTHER_KINDS)
    lines = ["| study | " + " | ".join(h.replace("_", " ") for h in head) + " |", "|---" * (len(head) + 1) + "|"]
    lines += [f"| {s} | " + " | ".join(str(r[h]) for h in head) + " |" for s, r in counts.iterrows()]
    return lines


def _row_cells(r) -> list[str]:
    return [f"{r.claim_id}: {r.description}", _fmt(r.paper_value), _fmt(r.our_value), _fmt(r.spread), _fmt(r.unit),
            _fmt(r.tolerance), _fmt(r.tolerance_rule), f"**{r.verdict}**", _fmt(r.reason)]


def claims_markdown(df: pd.DataFrame, commit: str, profile: str) -> str:
    lines = [f"# Claims: paper vs energyrepro (profile `{profile}`, commit `{commit[:10]}`)", "",
             "Verdicts are computed from the numbers, the tolerance (its rule is stated) and our own uncertainty "
             "(`energyrepro.claims`). Only rows of kind `claim` are counted; a claim is `not comparable` where a "
             "setting it depends on differs from the paper profile's.", ""]
    lines += _counts_table(df)
    header = ["| claim | paper | ours | ± | unit | tol. | tolerance rule | verdict | reason |", "|---" * 9 + "|"]
    for study, sub in df.groupby("study", sort=False):
        lines += ["", f"## {study}: {STUDY_TITLES.get(study, study)}"]
        for kind, title in [("claim", "claims")] + list(OTHER_KINDS.items()):
            rows = sub[sub["kind"] == kind]
            if len(rows):
                lines += ["", f"### {title}", "", *header]
                lines += ["| " + " | ".join(c.replace("|", "/") for c in _row_cells(r)) + " |"
                          for r in rows.itertuples(index=False)]
    return "\n".join(lines) + "\n"


def claims_html(df: pd.DataFrame, commit: str, profile: str) -> str:
    """A self-contained HTML page of the claims (the Snakemake report shows it inline)."""
    colour = {"reproduced": "#d8f0dc", "better than paper": "#d6e9f8", "not reproduced": "#f8d7da",
              "not comparable": "#eeeeee"}
    cols = ["study", "claim", "kind", "description", "paper", "ours", "±", "unit", "tolerance", "tolerance rule",
            "verdict", "reason"]
    rows = []
    for r in df.itertuples(index=False):
        cells = [r.study, r.claim_id, r.kind, r.description, _fmt(r.paper_value), _fmt(r.our_value), _fmt(r.spread),
                 _fmt(r.unit), _fmt(r.tolerance), _fmt(r.tolerance_rule), r.verdict, _fmt(r.reason)]
        bg = colour.get(r.verdict, "#fff") if r.kind == "claim" else "#fbfaf3"
        rows.append(f'<tr class="{html.escape(r.kind)}" style="background:{bg}">'
                    + "".join(f"<td>{html.escape(str(c))}</td>" for c in cells) + "</tr>")
    counts = verdict_counts(df)
    count_head = "".join(f"<th>{html.escape(h)}</th>" for h in ["study", *counts.columns])
    count_rows = "".join("<tr>" + f"<td>{html.escape(str(s))}</td>" + "".join(f"<td>{v}</td>" for v in r) + "</tr>"
                         for s, r in counts.iterrows())
    head = "".join(f"<th>{h}</th>" for h in cols)
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Claims</title>"
            "<style>body{font-family:sans-serif;font-size:13px}table{border-collapse:collapse;margin-bottom:1em}"
            "td,th{border:1px solid #bbb;padding:3px 6px;vertical-align:top}</style></head><body>"
            f"<h2>Claims: paper vs energyrepro (profile {html.escape(profile)}, commit {html.escape(commit[:10])})</h2>"
            "<p>Counts use rows of kind <em>claim</em> only; consistency checks and the paper's own inconsistencies "
            "are listed but never counted.</p>"
            f"<table id='counts'><tr>{count_head}</tr>{count_rows}</table>"
            f"<table id='claims'><tr>{head}</tr>{''.join(rows)}</table></body></html>\n")


def _ours_vs_paper(r) -> str:
    if str(r.paper_value) in ("True", "False"):
        return f"statement {'holds' if str(r.our_value) == 'True' else 'does not hold'}"
    unit = f" {r.unit}" if isinstance(r.unit, str) and r.unit and r.unit != "statement" else ""
    spread = f" ± {_fmt(r.spread)}" if pd.notna(r.spread) and float(r.spread or 0) > 0 else ""
    return f"ours {_fmt(r.our_value)}{spread}{unit}, paper {_fmt(r.paper_value)}"


def readme_summary(df: pd.DataFrame, commit: str, profile: str, claims_path: str, per_verdict: int = 3) -> str:
    """A short per-study summary for the README: counts of claim rows, then, per verdict, a few claims with
    our value beside the paper's (the full table is in ``claims_path``)."""
    out = [f"Generated by `make readme-results` from the merged claims (profile `{profile}`, commit "
           f"`{commit[:10]}`); `{claims_path}` has every number, tolerance rule and reason.", ""]
    out += _counts_table(df)
    out.append("")
    for study, sub in df.groupby("study", sort=False):
        sub = sub[sub["kind"] == "claim"]
        out.append(f"- **{study}**: {STUDY_TITLES.get(study, study)}")
        for verdict in ("not reproduced", "better than paper", "reproduced", "not comparable"):
            rows = sub[sub.verdict == verdict]
            if not len(rows):
                continue
            shown = "; ".join(f"{r.description} ({_ours_vs_paper(r)})" if verdict != "not comparable"
                              else f"{r.description} ({textwrap.shorten(str(r.reason), 140, placeholder=' …')})"
                              for r in rows.head(per_verdict).itertuples(index=False))
            more = f"; and {len(rows) - per_verdict} more" if len(rows) > per_verdict else ""
            out.append(f"  - {verdict} ({len(rows)}): {shown}{more}")
    return "\n".join(out) + "\n"


def update_readme(readme: str | os.PathLike, summary: str) -> None:
    from energyrepro.io import write_text

    text = Path(readme).read_text(encoding="utf-8")
    pattern = re.compile(re.escape(README_START) + ".*?" + re.escape(README_END), re.S)
    if not pattern.search(text):
        raise ValueError(f"{readme} has no {README_START} ... {README_END} block")
    write_text(readme, pattern.sub(lambda _: f"{README_START}\n{summary}{README_END}", text))


def merge_benchmarks(bench_root: str | os.PathLike) -> pd.DataFrame:
    """Snakemake ``benchmark:`` TSVs under ``bench_root/<study>/<job>.tsv`` as one table."""
    rows = []
    for tsv in sorted(Path(bench_root).glob("*/*.tsv")):
        b = pd.read_csv(tsv, sep="\t")
        rows.append({"study": tsv.parent.name, "rule": tsv.stem, "wall_s": float(b["s"].mean()),
                     "max_rss_mb": float(b["max_rss"].max()), "cpu_s": float(b["cpu_time"].sum())})
    return pd.DataFrame(rows, columns=["study", "rule", "wall_s", "max_rss_mb", "cpu_s"])


def bench_summary(bench: pd.DataFrame, elapsed_s: float, targets: Path) -> str:
    """`make bench` in Markdown: the pipeline's elapsed time, per-study job time, and every benchmark's JSON."""
    import json

    g = bench.groupby("study")
    per = pd.DataFrame({"jobs": g.size(), "job_wall_s": g["wall_s"].sum().round(1), "cpu_s": g["cpu_s"].sum().round(1),
                        "max_rss_mb": g["max_rss_mb"].max().round(0)}).reset_index()
    lines = ["# Benchmarks (`make bench`: the quick profile end to end, then benchmarks/*.py)", "",
             f"Pipeline elapsed wall time: {elapsed_s:.0f} s on {os.cpu_count()} cores.", "",
             per.to_markdown(index=False), ""]
    for f in sorted(targets.glob("*.json")):
        lines += [f"## {f.stem}", "", "```json", json.dumps(json.loads(f.read_text()), indent=1), "```", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """``python -m energyrepro.report benchmarks|readme`` (used by `make bench` / `make readme-results`)."""
    import argparse

    from energyrepro.io import write_csv, write_text

    ap = argparse.ArgumentParser(prog="python -m energyrepro.report")
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("benchmarks", help="merge Snakemake benchmark files into one CSV")
    b.add_argument("--root", default="results/quick/benchmarks")
    b.add_argument("--out", default="results/quick/benchmarks.csv")
    b.add_argument("--elapsed", default=None, help="a file holding the pipeline's elapsed wall seconds")
    b.add_argument("--targets", default="results/benchmarks", help="folder of benchmarks/*.py result JSONs")
    b.add_argument("--summary", default=None, help="write a per-study Markdown summary here")
    r = sub.add_parser("readme", help="rewrite the README results block from the published paper run (and quick)")
    r.add_argument("--published", default="published/paper/claims.csv")
    r.add_argument("--quick", default="results/quick/claims.csv")
    r.add_argument("--readme", default="README.md")
    args = ap.parse_args(argv)
    if args.cmd == "benchmarks":
        df = merge_benchmarks(args.root)
        write_csv(args.out, df)
        print(df.groupby("study")[["wall_s", "cpu_s"]].sum().to_string())
        print(f"total wall (sum over jobs): {df.wall_s.sum():.0f} s -> {args.out}")
        if args.summary:
            elapsed = float(Path(args.elapsed).read_text().split()[0]) if args.elapsed else float("nan")
            write_text(args.summary, bench_summary(df, elapsed, Path(args.targets)))
            print(f"summary -> {args.summary}")
    else:
        update_readme(args.readme, readme_block(args.published, args.quick))
        print(f"updated {args.readme} from {args.published} and {args.quick}")


def _commit_of(md_path: Path) -> str:
    """The commit a merged claims.md names in its title line."""
    m = re.search(r"commit `([^`]+)`", md_path.read_text(encoding="utf-8")) if md_path.exists() else None
    return m.group(1) if m else "unknown"


def readme_block(published: str | os.PathLike, quick: str | os.PathLike) -> str:
    """The README's results: the published paper-scale verdicts first, the quick smoke test's counts below."""
    out = []
    for path, title, full in ((Path(published), "At the papers' scale (the published paper-profile run)", True),
                              (Path(quick), "Smoke test: the quick profile (not comparable where settings differ)",
                               False)):
        if not path.exists():
            out += [f"### {title}", "", f"`{path}` does not exist yet.", ""]
            continue
        df = pd.read_csv(path, keep_default_na=False, na_values=[""])
        profile = "/".join(sorted(set(df["profile"].astype(str))))
        md = path.with_suffix(".md")
        if full:
            out += [f"### {title}", "", readme_summary(df, _commit_of(md), profile, str(md))]
            manifest = path.with_name("MANIFEST")
            if manifest.exists():
                out += [f"- **{u.split(':')[0]}**: not in this published run: {u.split(':', 1)[1].strip()}"
                        for u in manifest_studies(manifest.read_text())[1]] + [""]
        else:
            out += [f"### {title}", "", f"Profile `{profile}`, commit `{_commit_of(md)}`; `{md}` has every row.", "",
                    *_counts_table(df), ""]
    return "\n".join(out)


if __name__ == "__main__":
    main()
