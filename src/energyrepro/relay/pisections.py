"""Pi-section convergence check: cascaded pi sections vs the exact distributed line, 1-300 Hz.

For each sequence (positive, zero) and far-end condition (open, shorted) the input impedance of a line cut
into sections of at most ``section_km`` is compared with the hyperbolic (distributed-parameter) solution.
The section length is fine enough when the error below the anti-aliasing cut-off (300 Hz) stops mattering.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from energyrepro.relay.network import LineConstants, network_from_config, sections


def exact_zin(z: complex, y: complex, km: float, end: str) -> complex:
    """Input impedance of a distributed line (z, y per km) with the far end open or shorted."""
    zc, g = np.sqrt(z / y), np.sqrt(z * y)
    return zc / np.tanh(g * km) if end == "open" else zc * np.tanh(g * km)


def pi_zin(z: complex, y: complex, km: float, n: int, end: str) -> complex:
    """Input impedance of ``n`` cascaded nominal pi sections (series z*l, shunt y*l/2 at each end)."""
    zs, ys = z * km / n, y * km / n / 2
    yl = 0.0 if end == "open" else None  # None: shorted (infinite admittance)
    for _ in range(n):
        zfar = 0.0 if yl is None else 1 / (ys + yl)
        yl = ys + 1 / (zfar + zs)
    return 1 / yl


def convergence_table(line: LineConstants, km: float, section_kms: list[float],
                      freqs: np.ndarray | None = None) -> pd.DataFrame:
    """Max relative |Zin| error vs exact over 1..300 Hz per section length, sequence and far-end condition."""
    freqs = np.arange(1.0, 301.0) if freqs is None else freqs
    rows = []
    for seq, (r, ind, c) in {"positive": (line.r1, line.l1, line.c1), "zero": (line.r0, line.l0, line.c0)}.items():
        for end in ("open", "short"):
            for s in section_kms:
                n = sections(km, s)
                errs = []
                for f in freqs:
                    w = 2 * np.pi * f
                    z, y = r + 1j * w * ind, 1j * w * c
                    ze = exact_zin(z, y, km, end)
                    errs.append(abs(pi_zin(z, y, km, n, end) - ze) / abs(ze))
                errs = np.asarray(errs)
                rows.append({"sequence": seq, "far_end": end, "section_km": s, "n_sections": n,
                             "max_rel_err_1_300hz": float(errs.max()),
                             "rel_err_60hz": float(errs[np.argmin(abs(freqs - 60))])})
    return pd.DataFrame(rows)


SECTION_KMS = [50, 30, 20, 15, 10, 5, 2]


def protected_line_check(system: dict) -> pd.DataFrame:
    """:func:`convergence_table` of the protected line LT2 of a system description, for the documented lengths."""
    net = network_from_config(system["network"])
    km = net.lengths["LT2"]
    table = convergence_table(net.line, km, SECTION_KMS)
    table.insert(0, "line_km", km)
    return table
