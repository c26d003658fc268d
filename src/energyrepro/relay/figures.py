"""One function per figure or table image of the study (the paper's Figs. 1-3 are missing from the text; Table 2
is an image the text only quotes), drawn with the shared style."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from energyrepro.plotting import PAPER_STYLE, new_figure, table_figure
from energyrepro.relay.evaluation import confusion
from energyrepro.relay.faults import FAULT_TYPES
from energyrepro.relay.paper import printed

PHASE_COLOURS = ("#1b6ca8", "#d1495b", "#00798c")


def fig_waveforms(d: Mapping[str, np.ndarray], ftype: str):
    """Raw EMT, filtered (CVT + anti-aliasing) and 12-bit 1 kHz signals at the relay for one fault type."""
    t_f = float(d[f"{ftype}_t_fault"])
    t = (d[f"{ftype}_t"] - t_f) * 1e3
    rec = d[f"{ftype}_record"]
    ts = np.arange(1, rec.shape[1] + 1) - t_f * 1e3  # sample j at (j + 1) ms
    keep, ks = (t >= -12) & (t <= 25), (ts >= -12) & (ts <= 25)
    fig, axes = new_figure(2, 1, figsize=(7.5, 6.0), sharex=True)
    for ax, raw, filt, rows, base, unit in (
            (axes[0], d[f"{ftype}_v_raw"], d[f"{ftype}_v_filt"], slice(0, 3), float(d["v_base"]), "kV"),
            (axes[1], d[f"{ftype}_i_raw"], d[f"{ftype}_i_filt"], slice(3, 6), float(d["i_base"]), "kA")):
        for k, (ph, col) in enumerate(zip("ABC", PHASE_COLOURS)):
            ax.plot(t[keep], raw[k, keep] * 1e-3, color=col, lw=0.6, alpha=0.35)
            ax.plot(t[keep], filt[k, keep] * 1e-3, color=col, lw=1.3, label=f"phase {ph} filtered")
            ax.plot(ts[ks], rec[rows][k, ks] * base * 1e-3, "o", ms=3, color=col)
        ax.axvline(0, color="k", lw=0.8, ls=":")
        ax.set_ylabel(f"{'voltage' if unit == 'kV' else 'current'} at E ({unit})")
    axes[0].plot([], [], color="grey", lw=0.6, alpha=0.5, label="raw EMT (DPsim)")
    axes[0].plot([], [], "o", ms=3, color="grey", label="12-bit samples, 1 kHz")
    axes[0].legend(ncol=5, fontsize=7, loc="lower left", bbox_to_anchor=(0.0, 1.0))
    axes[1].set_xlabel("time after fault inception (ms)")
    fig.suptitle(f"{ftype} fault at {float(d['km']):g} km, R = {float(d[f'{ftype}_r']):g} ohm, inception "
                 f"{float(d['angle_deg']):g} deg: signals at the relay (paper section 3 chain)", y=0.99)
    return fig


def table2_figure(t2: pd.DataFrame, cases: int, seeds: int):
    """Table 2 image: ours per type and module, the paper's value only where its text states one."""
    shown = t2.rename(columns={"ftype": "type", "correct_pct": "correct %", "correct_bands_pct": "% bands excused",
                               "time_mean_ms": "T mean (ms)", "time_min_ms": "T min", "time_max_ms": "T max",
                               "paper_correct_pct": "paper %", "paper_correct_bands_pct": "paper % bands",
                               "paper_time_ms": "paper T (ms)"})
    fmt = {c: "{:.1f}" for c in ("correct %", "% bands excused", "T mean (ms)", "paper %", "paper % bands")}
    fmt.update({"T min": "{:.0f}", "T max": "{:.0f}"})
    return table_figure(shown, f"Table 2 (paper): relay test, % correct (mean of {seeds} seeds) and decision time "
                               f"(post-fault ms), {cases} cases; paper columns only where the text states a value "
                               "(the table itself is an image missing from the text)", fmt=fmt,
                        highlight=shown["type"].isin(["LL", "all"]))


def fig_confusion(scored: pd.DataFrame):
    """Confusion matrices of the three modules, all seeds pooled."""
    fig, axes = new_figure(1, 3, figsize=(15, 4.8), gridspec_kw={"width_ratios": [1, 3, 1.4]})
    det = confusion(scored.true_direction,
                    scored.direction.where(scored.direction.isin(["forward", "reverse", "normal"])),
                    ["normal", "forward", "reverse"]).drop(columns="undecided")
    det_ok, cls_ok = scored[scored.detection_ok], scored[scored.classification_ok]
    cls = confusion(det_ok.ftype, det_ok.ftype_hat, list(FAULT_TYPES))
    zname = {0: "beyond", 1: "zone 1", 2: "zone 2", 3: "zone 3"}
    loc = confusion(cls_ok.true_zone.map(zname), cls_ok.zone_hat.map(zname), list(zname.values()))
    seeds = scored.seed.nunique()
    for ax, m, title in ((axes[0], det, "detection (rows: truth)"),
                         (axes[1], cls, f"classification ({len(det_ok)} correctly detected)"),
                         (axes[2], loc, f"location zone ({len(cls_ok)} correctly classified)")):
        ax.imshow(m.values, cmap="Blues")
        ax.set_xticks(range(m.shape[1]), m.columns, rotation=60, fontsize=7)
        ax.set_yticks(range(m.shape[0]), m.index, fontsize=7)
        for (i, j), v in np.ndenumerate(m.values):
            if v:
                ax.text(j, i, str(v), ha="center", va="center", fontsize=7)
        ax.set_title(title)
        ax.set_xlabel("relay decision ('undecided' = never stable)")
        ax.grid(False)
    fig.suptitle(f"Relay test: confusion matrices of the three modules (paper section 5), {seeds} seeds pooled")
    return fig


def fig_zone_accuracy(scored: pd.DataFrame, zones: Mapping):
    """Module accuracy against the fault distance, with the zone reaches and transition bands."""
    g = scored.groupby("km")
    fig, ax = new_figure(figsize=(8, 4))
    for col, lab in (("location_ok", "location (strict)"), ("classification_ok", "classification"),
                     ("detection_ok", "detection")):
        ax.plot(g.size().index, 100 * g[col].mean().values, "o-", ms=3, label=lab)
    for lim in zones["limits_km"]:
        ax.axvline(lim, color="grey", lw=0.8, ls="--")
    for c in zones["transition_centres_km"]:
        ax.axvspan(c * (1 - zones["transition_frac"]), c * (1 + zones["transition_frac"]), color="orange", alpha=0.3)
    ax.set_xlabel("fault distance from bus E (km); dashed: zone reaches, shaded: +-2 % transition bands")
    ax.set_ylabel("correct responses (%)")
    ax.set_ylim(-5, 105)
    ax.legend()
    ax.set_title("Relay test: accuracy vs fault distance (all types and seeds; paper section 5)")
    return fig


def fig_training(histories: Mapping[str, pd.DataFrame], architectures: Mapping[str, str], paper_rms: Mapping):
    """Validation RMS per epoch of the five MLPs (every seed), the paper's minimum as a dashed line."""
    fig, ax = new_figure(figsize=(7, 4))
    for net, h in histories.items():
        colour = None
        for k, (_, d) in enumerate(h.groupby("seed")):
            line, = ax.plot(d.epoch, d.val_rms, color=colour, lw=1.0,
                            label=f"{net} {architectures[net]}" if k == 0 else None)
            colour = line.get_color()
        ax.axhline(printed(paper_rms[net])[0], color=colour, lw=0.8, ls="--")
    ax.plot([], [], **{**PAPER_STYLE, "marker": None}, label="paper (min. validation RMS)")
    ax.set_xlabel("epoch")
    ax.set_ylabel("validation RMS")
    ax.set_yscale("log")
    ax.legend(fontsize=7, loc="upper right", ncol=2)
    ax.set_title("Validation RMS per epoch of the five MLPs, one line per seed (paper section 4)")
    return fig


def fig_pisections(pi: pd.DataFrame, used_km: float):
    """Convergence of the cascaded pi sections against the distributed line (design check, not in the paper)."""
    fig, ax = new_figure(figsize=(6.5, 4))
    for (seq, end), d in pi.groupby(["sequence", "far_end"]):
        ax.plot(d.section_km, 100 * d.max_rel_err_1_300hz, "o-", label=f"{seq} sequence, far end {end}")
    ax.axvline(used_km, color="k", ls=":", label="section length used")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("pi-section length (km)")
    ax.set_ylabel("max |Zin error| 1-300 Hz (%)")
    ax.legend(fontsize=7)
    ax.set_title(f"Pi sections vs distributed line, {pi.line_km.iloc[0]:g} km LT2 (convergence check)")
    return fig
