"""Figures of the study: allocation bars (paper vs ours), GA/PSO convergence, wheeling charges."""

from __future__ import annotations

import numpy as np
import pandas as pd

from energyrepro.plotting import new_figure


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
            ax.plot(x + (k - 0.5) * 0.38, m.paper, linestyle="none", marker="x" if k else "+",
                    color="black", label=f"{label} (paper)")
        ax.set_xticks(x, users, rotation=90 if len(users) > 8 else 0)
        ax.set_ylabel(f"charge ({unit})")
        ax.set_title(f"{'generators pay 50 %' if side == 'gen' else 'loads pay 100 %'}")
    axes[0].legend(fontsize=8)
    fig.suptitle(title)
    return fig


FLOOR = 1e-9  # $/h: below the OPF solver's own precision a gap is not meaningful (and may be negative)


def convergence(curves: dict[str, np.ndarray], reference: float, title: str):
    """Best-so-far penalised cost minus the OPF optimum: mean over seeds with a min-max band."""
    fig, ax = new_figure()
    ax.axhline(FLOOR, color="grey", linestyle=":", label=f"plot floor {FLOOR:g} $/h (OPF precision)")
    for k, (method, c) in enumerate(curves.items()):
        gap = np.maximum(c - reference, FLOOR)
        steps = np.arange(gap.shape[1])
        ax.plot(steps, gap.mean(axis=0), color=f"C{k}", label=f"{method.upper()} mean over {gap.shape[0]} seeds")
        ax.fill_between(steps, gap.min(axis=0), gap.max(axis=0), color=f"C{k}", alpha=0.2,
                        label=f"{method.upper()} min-max")
    ax.set_yscale("log")
    ax.set_xlabel("generation / iteration")
    ax.set_ylabel("best cost - DC OPF optimum ($/h)")
    ax.set_title(title)
    ax.legend()
    return fig


def wheeling_bars(users: pd.DataFrame, title: str):
    """Absolute vs zero counter-flow vs r-shared charge per user, for each dispatch."""
    dispatches = list(dict.fromkeys(users.dispatch))
    fig, axes = new_figure(len(dispatches), 1, figsize=(11, 2.6 * len(dispatches)), sharex=False)
    axes = np.atleast_1d(axes)
    for ax, d in zip(axes, dispatches):
        u = users[users.dispatch == d]
        x = np.arange(len(u))
        for k, col in enumerate(("absolute", "zero_counterflow", "shared")):
            ax.bar(x + (k - 1) * 0.27, u[col], 0.27, label=col.replace("_", " "), color=f"C{k}")
        ax.set_xticks(x, u.name, rotation=90, fontsize=7)
        ax.set_ylabel("share of annual\nnetwork cost")
        ax.set_title(f"dispatch: {d}")
    axes[0].legend(fontsize=8, ncols=3)
    fig.suptitle(title)
    fig.tight_layout()
    return fig
