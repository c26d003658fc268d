"""Paper-vs-ours tables (Tables 1-8 and the GA vs PSO comparison) as frames, plus an HTML rendering
so the Snakemake report shows them."""

from __future__ import annotations

import pandas as pd

TITLES = {1: "Postage stamp GGDF, Garver 6-bus", 2: "MW-mile GGDF, Garver 6-bus",
          3: "Postage stamp GLDF, Garver 6-bus", 4: "MW-mile GLDF, Garver 6-bus",
          5: "Postage stamp GGDF, IEEE RTS-24", 6: "MW-mile GGDF, IEEE RTS-24",
          7: "Postage stamp GLDF, IEEE RTS-24", 8: "MW-mile GLDF, IEEE RTS-24"}


def table_name(table: int, cmp: pd.DataFrame) -> str:
    r = cmp[cmp.table == table].iloc[0]
    return f"table{table}_{r.system}_{r.method}_{r.side}"


def paper_vs_ours(cmp: pd.DataFrame, table: int) -> pd.DataFrame:
    """Wide table: one row per user, for each share the paper's value, ours and ours - paper.

    Shares are labelled by who pays: generator tables by the generators' %, load tables by the loads' %.
    """
    t = cmp[cmp.table == table].copy()
    gen = t.side.iloc[0] == "gen"
    t["share"] = (t.gen_share_pct if gen else 100 - t.gen_share_pct).astype(int).astype(str) + "%"
    order = list(dict.fromkeys(t.sort_values("gen_share_pct").share))
    users = list(dict.fromkeys(t.user))
    wide = t.pivot(index="user", columns="share", values=["paper", "ours", "diff"]).reindex(users)
    wide = wide.swaplevel(axis=1).reindex(columns=pd.MultiIndex.from_product([order, ["paper", "ours", "diff"]]))
    wide.columns = [f"{who}_{s}" for s, who in wide.columns]
    return wide.reset_index()


def to_html(df: pd.DataFrame, title: str, note: str = "", digits: int = 4) -> str:
    body = df.to_html(index=False, float_format=lambda v: f"{v:.{digits}f}", border=0)
    return (f"<html><head><meta charset='utf-8'><title>{title}</title><style>body{{font-family:sans-serif}}"
            "table{border-collapse:collapse;font-size:12px}td,th{padding:2px 6px;text-align:right;"
            "border-bottom:1px solid #ddd}</style></head>"
            f"<body><h3>{title}</h3><p>{note}</p>{body}</body></html>\n")
