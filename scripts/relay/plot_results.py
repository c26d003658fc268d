"""Snakemake plot rule: Table 2 beside the paper, confusion matrices, zone accuracy, training curves, pi check."""

import numpy as np
import pandas as pd

from energyrepro.io import read_json, write_table
from energyrepro.plotting import PAPER_STYLE, new_figure, save_figure
from energyrepro.relay.cases import load_system
from energyrepro.relay.claims import paper_reference
from energyrepro.relay.evaluation import confusion, table2
from energyrepro.relay.faults import FAULT_TYPES
from energyrepro.runtime import setup_logging
from energyrepro.tracking import attach_artifacts

sm = snakemake  # noqa: F821 (injected by Snakemake)
log = setup_logging(sm.log[0])
system = load_system(sm.input.system)
ref = paper_reference()
scored = pd.read_csv(sm.input.cases)
out = sm.output

# Table 2: ours beside what the paper's text reports (the table itself is an image missing from the text)
t2 = table2(scored)
paper_pct = {"detection": ref["detection_pct"], "classification": ref["classification_pct"]}
t2["paper_correct_pct"] = [paper_pct.get(m, ref["ll_location_pct"] if f in ("AB", "AC", "BC") else np.nan)
                           for f, m in zip(t2.ftype, t2.module)]
t2["paper_time_ms"] = [ref["time_ms"][m] for m in t2.module]
write_table(out.table2, t2.round(2))
fig, ax = new_figure(figsize=(11, 0.25 * len(t2) + 1.2))
ax.axis("off")
shown = t2.rename(columns={"ftype": "type", "correct_pct": "correct %", "time_mean_ms": "T mean (ms)",
                           "time_min_ms": "T min", "time_max_ms": "T max", "correct_bands_pct": "% w/ bands",
                           "paper_correct_pct": "paper %", "paper_time_ms": "paper T (ms)"})
shown = shown.round(1).astype(str).replace("nan", "-")
tab = ax.table(cellText=shown.values, colLabels=shown.columns, loc="center", cellLoc="center")
tab.auto_set_font_size(False)
tab.set_fontsize(7)
ax.set_title(f"Table 2 (paper): relay test, % correct and decision time (post-fault ms), {len(scored)} cases; "
             f"paper columns from the text (Table 2 image missing)")
paths = list(save_figure(fig, out.table2_png))

# confusion matrices
fig, axes = new_figure(1, 3, figsize=(15, 4.8), gridspec_kw={"width_ratios": [1, 3, 1.4]})
det = confusion(scored.true_direction, scored.direction.where(scored.direction.isin(["forward", "reverse", "normal"])),
                ["normal", "forward", "reverse"])
det.loc[:, "undecided"] = 0
det_ok, cls_ok = scored[scored.detection_ok], scored[scored.classification_ok]
cls = confusion(det_ok.ftype, det_ok.ftype_hat, list(FAULT_TYPES))
zl = ["beyond", "zone 1", "zone 2", "zone 3"]
zname = {0: "beyond", 1: "zone 1", 2: "zone 2", 3: "zone 3"}
loc = confusion(cls_ok.true_zone.map(zname), cls_ok.zone_hat.map(zname), zl)
for ax, m, title in ((axes[0], det, "detection (rows: truth)"),
                     (axes[1], cls, f"classification ({len(det_ok)} correctly detected cases)"),
                     (axes[2], loc, f"location zone ({len(cls_ok)} correctly classified cases)")):
    ax.imshow(m.values, cmap="Blues")
    ax.set_xticks(range(m.shape[1]), m.columns, rotation=60, fontsize=7)
    ax.set_yticks(range(m.shape[0]), m.index, fontsize=7)
    for (i, j), v in np.ndenumerate(m.values):
        if v:
            ax.text(j, i, str(v), ha="center", va="center", fontsize=7)
    ax.set_title(title)
    ax.set_xlabel("relay decision ('undecided' = never stable)")
    ax.grid(False)
fig.suptitle("Relay test: confusion matrices of the three modules (paper section 5)")
paths += list(save_figure(fig, out.confusion))

# zone accuracy vs distance
g = scored.groupby("km")
fig, ax = new_figure(figsize=(8, 4))
for col, lab in (("location_ok", "location (strict)"), ("classification_ok", "classification"),
                 ("detection_ok", "detection")):
    ax.plot(g.size().index, 100 * g[col].mean().values, "o-", ms=3, label=lab)
zones = system["zones"]
for lim in zones["limits_km"]:
    ax.axvline(lim, color="grey", lw=0.8, ls="--")
for c in zones["transition_centres_km"]:
    ax.axvspan(c * (1 - zones["transition_frac"]), c * (1 + zones["transition_frac"]), color="orange", alpha=0.3)
ax.set_xlabel("fault distance from bus E (km); dashed: zone reaches, shaded: +-2 % transition bands")
ax.set_ylabel("correct responses (%)")
ax.set_ylim(-5, 105)
ax.legend()
ax.set_title("Relay test: accuracy vs fault distance (all types; paper section 5)")
paths += list(save_figure(fig, out.zone))

# training curves
fig, ax = new_figure(figsize=(7, 4))
for p, mpath in zip(sm.input.histories, sm.input.metrics):
    h, m = pd.read_csv(p), read_json(mpath)
    line, = ax.plot(h.epoch, h.val_rms, label=f"{m['net']} {m['architecture']}")
    ax.axhline(ref["validation_rms"][m["net"]], color=line.get_color(), lw=0.8, ls="--")
ax.plot([], [], **{**PAPER_STYLE, "marker": None}, label="paper (min. validation RMS)")
ax.set_xlabel("epoch")
ax.set_ylabel("validation RMS")
ax.set_yscale("log")
ax.legend(fontsize=7, loc="upper right", ncol=2)
ax.set_title("Validation RMS per epoch of the five MLPs (paper section 4)")
train_figs = list(save_figure(fig, out.training))

# pi-section check
pi = pd.read_csv(sm.input.pisections)
fig, ax = new_figure(figsize=(6.5, 4))
for (seq, end), d in pi.groupby(["sequence", "far_end"]):
    ax.plot(d.section_km, 100 * d.max_rel_err_1_300hz, "o-", label=f"{seq} sequence, far end {end}")
ax.axvline(system["network"]["max_section_km"], color="k", ls=":", label="section length used")
ax.set_xscale("log")
ax.set_yscale("log")
ax.set_xlabel("pi-section length (km)")
ax.set_ylabel("max |Zin error| 1-300 Hz (%)")
ax.legend(fontsize=7)
ax.set_title(f"Pi sections vs distributed line, {pi.line_km.iloc[0]:g} km LT2 (convergence check)")
paths += list(save_figure(fig, out.pisections))

attach_artifacts(sm.input.test_run, paths + [out.table2], "figures")
for rj in sm.input.train_runs:
    attach_artifacts(rj, train_figs, "figures")
