"""Snakemake plot rule: one figure per fault type with raw, filtered and sampled relay signals."""

import numpy as np

from energyrepro.plotting import new_figure, save_figure
from energyrepro.runtime import setup_logging
from energyrepro.tracking import attach_artifacts

sm = snakemake  # noqa: F821 (injected by Snakemake)
log = setup_logging(sm.log[0])
d = np.load(sm.input.npz)
paths = []
for ftype, png in zip(d["types"], sm.output.figs):
    t_f = float(d[f"{ftype}_t_fault"])
    t = (d[f"{ftype}_t"] - t_f) * 1e3
    rec, F = d[f"{ftype}_record"], int(d[f"{ftype}_F"])
    ts = np.arange(1, rec.shape[1] + 1) - t_f * 1e3  # sample j at (j + 1) ms
    keep = (t >= -12) & (t <= 25)
    ks = (ts >= -12) & (ts <= 25)
    fig, axes = new_figure(2, 1, figsize=(7.5, 6.0), sharex=True)
    for ax, raw, filt, rows, fs, unit, scale in (
            (axes[0], d[f"{ftype}_v_raw"], d[f"{ftype}_v_filt"], slice(0, 3), float(d["v_base"]), "kV", 1e-3),
            (axes[1], d[f"{ftype}_i_raw"], d[f"{ftype}_i_filt"], slice(3, 6), float(d["i_base"]), "kA", 1e-3)):
        for k, (ph, col) in enumerate(zip("abc", ("#1b6ca8", "#d1495b", "#00798c"))):
            ax.plot(t[keep], raw[k, keep] * scale, color=col, lw=0.6, alpha=0.35)
            ax.plot(t[keep], filt[k, keep] * scale, color=col, lw=1.3, label=f"phase {ph.upper()} filtered")
            ax.plot(ts[ks], rec[rows][k, ks] * fs * scale, "o", ms=3, color=col)
        ax.axvline(0, color="k", lw=0.8, ls=":")
        ax.set_ylabel(f"{'voltage' if unit == 'kV' else 'current'} at E ({unit})")
    axes[0].plot([], [], color="grey", lw=0.6, alpha=0.5, label="raw EMT (DPsim)")
    axes[0].plot([], [], "o", ms=3, color="grey", label="12-bit samples, 1 kHz")
    axes[0].legend(ncol=5, fontsize=7, loc="lower left", bbox_to_anchor=(0.0, 1.0))
    axes[1].set_xlabel("time after fault inception (ms)")
    fig.suptitle(f"{ftype} fault at {float(d['km']):g} km, R = {float(d[f'{ftype}_r']):g} ohm, "
                 f"inception {float(d['angle_deg']):g} deg: signals at the relay (paper section 3 chain)", y=0.99)
    paths += list(save_figure(fig, png))
attach_artifacts(sm.input.run, paths, "figures")
