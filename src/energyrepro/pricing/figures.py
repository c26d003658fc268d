"""One function per figure or table image of the study (the paper's own figures did not survive; its Tables 1-8
are redrawn as paper / ours / difference), all drawn with energyrepro.plotting."""

from __future__ import annotations

import numpy as np
import pandas as pd

from energyrepro.plotting import PAPER_STYLE, new_figure, table_figure
from energyrepro.pricing.reference import headline

TITLES = {1: "Postage stamp GGDF, Garver 6-bus", 2: "MW-mile GGDF, Garver 6-bus",
          3: "Postage stamp GLDF, Garver 6-bus", 4: "MW-mile GLDF, Garver 6-bus",
          5: "Postage stamp GGDF, IEEE RTS-24", 6: "MW-mile GGDF, IEEE RTS-24",
          7: "Postage stamp GLDF, IEEE RTS-24", 8: "MW-mile GLDF, IEEE RTS-24"}


def table_name(cmp: pd.DataFrame, table: int) -> str:
    r = cmp[cmp.table == table].iloc[0]
    return f"table{table}_{r.system}_{r.method}_{r.side}"


def paper_vs_ours(cmp: pd.DataFrame, table: int) -> pd.DataFrame:
    """Wide table: one row per user, for each share the paper's value, ours and ours - paper.

    Shares are labelled by who pays: generator tables by the generators' %, load tables by the loads' %.
    """
    t = cmp[cmp.table == table].copy()
    gen = t.side.iloc[0] == "gen"
    t["share"] = (t.gen_share_pct if gen else 100 - t.gen_share_pct).astype(int).astype(str) + "%"
    order = list(dict.fromkeys(t.sort_values("gen_share_pct").share))  # the paper's column order
    users = list(dict.fromkeys(t.user))
    wide = t.pivot(index="user", columns="share", values=["paper", "ours", "diff"]).reindex(users)
    wide = wide.swaplevel(axis=1).reindex(columns=pd.MultiIndex.from_product([order, ["paper", "ours", "diff"]]))
    wide.columns = [f"{who}_{s}" for s, who in wide.columns]
    return wide.reset_index()


def table_image(cmp: pd.DataFrame, table: int, unit: str):
    """Table N at the share where its side pays most (generators 50 %, loads 100 %): the paper's entries, ours,
    the difference and the relative difference. Every share and the totals are in the table's CSV; the paper's
    rows are linear in the share (apart from one typo, see claims.csv), so this column carries the comparison."""
    t = headline(cmp[cmp.table == table])
    df = pd.DataFrame({"user": t.user, "paper": t.paper, "ours": t.ours, "ours - paper": t["diff"],
                       "relative (%)": 100 * t["diff"] / t.paper})
    fmt = {"paper": "{:.4f}", "ours": "{:.4f}", "ours - paper": "{:+.4f}", "relative (%)": "{:+.1f}"}
    side = "generators pay 50 %" if t.side.iloc[0] == "gen" else "loads pay 100 %"
    return table_figure(df, f"Table {table}: {TITLES[table]} ({unit}), {side}: paper vs ours", fmt=fmt)


def summary_image(df: pd.DataFrame, title: str, digits: int = 4):
    """Any small result table (GA vs PSO, wheeling charges, sensitivity) as an image for the report."""
    fmt = {c: f"{{:.{digits}g}}" for c in df.columns if pd.api.types.is_float_dtype(df[c])}
    return table_figure(df, title, fmt=fmt)


def ga_vs_pso_image(summary: pd.DataFrame):
    """The GA vs PSO summary: costs to the cent of a cent, test p-values and effect sizes to 3 digits."""
    fmt = {c: "{:.4f}" for c in ("best", "median", "mean", "std", "worst", "mean_gap", "best_gap", "reference")}
    fmt.update({c: "{:.3g}" for c in ("mean_rel_gap", "p_pso_better", "p_ga_better", "effect_pct", "feasible_frac")})
    return table_figure(summary, "GA vs PSO on IEEE 30-bus per dispatch variant: cost ($/h), one-sided rank-sum p "
                        "in each direction, effect = (median GA - median PSO) / median GA (%)", fmt=fmt)


def allocation_bars(cmp: pd.DataFrame, system: str, unit: str, title: str):
    """Per user: postage stamp and MW-mile, ours (bars) and the paper's (markers), at the share where
    each side pays most (generators 50 %, loads 100 %)."""
    fig, axes = new_figure(1, 2, figsize=(11, 4), gridspec_kw={"width_ratios": [1, 2.2]})
    for ax, side, share in ((axes[0], "gen", 50.0), (axes[1], "load", 0.0)):
        c = cmp[(cmp.system == system) & (cmp.side == side) & (cmp.gen_share_pct == share) & (cmp.user != "TOTAL")]
        users = list(dict.fromkeys(c.user))
        x = np.arange(len(users))
        for k, (method, label) in enumerate((("postage", "postage stamp"), ("mwmile", "MW-mile"))):
            m = c[c.method == method].set_index("user").reindex(users)
            ax.bar(x + (k - 0.5) * 0.38, m.ours, 0.38, label=f"{label} (ours)", color=f"C{k}")
            ax.plot(x + (k - 0.5) * 0.38, m.paper, **{**PAPER_STYLE, "linestyle": "none",
                                                      "marker": "x" if k else "+"}, label=f"{label} (paper)")
        ax.set_xticks(x, users, rotation=90 if len(users) > 8 else 0)
        ax.set_ylabel(f"charge ({unit})")
        ax.set_title("generators pay 50 %" if side == "gen" else "loads pay 100 %")
    axes[0].legend(fontsize=8)
    fig.suptitle(title)
    return fig


FLOOR = 1e-9  # $/h: below the reference solver's own precision a gap is not meaningful (and may be negative)


def convergence(curves: dict[str, dict[str, np.ndarray]], references: dict[str, float], title: str):
    """Per dispatch variant: best-so-far penalised cost minus the variant's reference, mean over seeds with a
    min-max band, GA and PSO (log scale)."""
    fig, axes = new_figure(1, len(curves), figsize=(4.2 * len(curves), 3.8), squeeze=False)
    for ax, (variant, by_method) in zip(axes[0], curves.items()):
        ax.axhline(FLOOR, color="grey", linestyle=":", label=f"floor {FLOOR:g} $/h")
        for k, (method, c) in enumerate(by_method.items()):
            gap = np.maximum(c - references[variant], FLOOR)
            steps = np.arange(gap.shape[1])
            ax.plot(steps, gap.mean(axis=0), color=f"C{k}", label=f"{method.upper()} mean of {gap.shape[0]}")
            ax.fill_between(steps, gap.min(axis=0), gap.max(axis=0), color=f"C{k}", alpha=0.2)
        ax.set_yscale("log")
        ax.set_xlabel("generation / iteration")
        ax.set_title(variant)
    axes[0][0].set_ylabel("best cost - reference ($/h)")
    axes[0][0].legend(fontsize=8)
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def wheeling_bars(users: pd.DataFrame, title: str):
    """Absolute vs zero counter-flow vs r-shared charge per user, for each dispatch."""
    dispatches = list(dict.fromkeys(users.dispatch))
    fig, axes = new_figure(len(dispatches), 1, figsize=(11, 2.6 * len(dispatches)), squeeze=False)
    for ax, d in zip(axes[:, 0], dispatches):
        u = users[users.dispatch == d]
        x = np.arange(len(u))
        for k, col in enumerate(("absolute", "zero_counterflow", "shared")):
            ax.bar(x + (k - 1) * 0.27, u[col], 0.27, label=col.replace("_", " "), color=f"C{k}")
        ax.set_xticks(x, u.name, rotation=90, fontsize=7)
        ax.set_ylabel("share of annual\nnetwork cost")
        ax.set_title(f"dispatch: {d}")
    axes[0, 0].legend(fontsize=8, ncols=3)
    fig.suptitle(title)
    fig.tight_layout()
    return fig
