"""Distribution factors: PTDF (= GSDF) from pandapower, Ng's GGDF/GLDF, and each user's flow per line.

Ng (1981): with PTDF ``A`` (reference bus r) and base flows ``F``, the generalized generation
distribution factor of generator g on line k is ``D_kg = A_kg + D_kr`` with
``D_kr = (F_k - sum_g A_kg P_g) / sum_g P_g``; then ``F_k = sum_g D_kg P_g`` exactly and D does not
depend on the choice of reference bus. GLDF are the same for loads (injection -P_d).
"""

from __future__ import annotations

import numpy as np


def ptdf(net) -> np.ndarray:
    """PTDF (branches x buses, ppc order) of a pandapower net from ``pandapower.pypower.makePTDF``."""
    import pandapower as pp
    from pandapower.pypower.makePTDF import makePTDF

    if getattr(net, "_ppc", None) is None:
        pp.rundcpp(net)
    ppc = net._ppc
    return np.real(makePTDF(ppc["baseMVA"], ppc["bus"], ppc["branch"]))


def injections(n_bus: int, ppc_bus: np.ndarray, p_mw: np.ndarray, is_gen: np.ndarray) -> np.ndarray:
    """Net injection per bus (MW): generators positive, loads negative."""
    inj = np.zeros(n_bus)
    np.add.at(inj, np.asarray(ppc_bus, int), np.where(is_gen, 1.0, -1.0) * np.asarray(p_mw, float))
    return inj


def pandapower_dc_flows(net) -> np.ndarray:
    """Branch flows (MW, from side, ppc order) of pandapower's own DC power flow (the check of our PTDF flows)."""
    import pandapower as pp

    pp.rundcpp(net)
    parts = [net.res_line.p_from_mw.to_numpy()]
    if len(net.trafo):
        parts.append(net.res_trafo.p_hv_mw.to_numpy())
    return np.concatenate(parts)


def distribution_factors(A: np.ndarray, flows: np.ndarray, bus: np.ndarray, p: np.ndarray,
                         sign: float) -> np.ndarray:
    """GGDF (``sign=+1``, generators) or GLDF (``sign=-1``, loads): branches x users, such that
    ``flows = factors @ p`` (Ng 1981)."""
    p = np.asarray(p, float)
    part = sign * A[:, bus]
    offset = (flows - part @ p) / p.sum()
    return part + offset[:, None]


def user_flows(A: np.ndarray, flows: np.ndarray, bus: np.ndarray, p: np.ndarray, is_gen: np.ndarray) -> np.ndarray:
    """Each user's share of every branch flow (MW, branches x users): GGDF x P for generators and
    GLDF x P for loads. Generator columns sum to the flows; so do load columns."""
    bus, p, is_gen = np.asarray(bus, int), np.asarray(p, float), np.asarray(is_gen, bool)
    out = np.zeros((A.shape[0], len(p)))
    for mask, sign in ((is_gen, 1.0), (~is_gen, -1.0)):
        out[:, mask] = distribution_factors(A, flows, bus[mask], p[mask], sign) * p[mask]
    return out


def pandapower_ac_flows(net) -> np.ndarray:
    """Branch active-power flows (MW, from side, ppc order) of pandapower's AC power flow at the same
    dispatch: shows how far the DC flows that price the network are from AC ones. NaN where AC fails."""
    import pandapower as pp

    try:
        pp.runpp(net, init="dc", max_iteration=30)
        parts = [net.res_line.p_from_mw.to_numpy()]
        if len(net.trafo):
            parts.append(net.res_trafo.p_hv_mw.to_numpy())
        ac = np.concatenate(parts)
    except pp.LoadflowNotConverged:
        ac = np.full(len(net.line) + len(net.trafo), np.nan)
    pp.rundcpp(net)  # leave the DC results (and _ppc) the rest of the study uses
    return ac
