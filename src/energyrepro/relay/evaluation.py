"""Scoring the relay test (paper section 5, Table 2): per-case correctness, decision times, per-seed summaries."""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from energyrepro.relay.faults import FAULT_TYPES, fault_class
from energyrepro.relay.windows import in_transition_band, zone

MODULES = ("detection", "classification", "location")


def score_cases(results: pd.DataFrame, zones: Mapping) -> pd.DataFrame:
    """Add truth, correctness and decision times (ms = post-fault samples used) to the relay's decisions.

    Columns needed: ftype, km, F, direction, det_end, ftype_hat, class_end, zone_hat, loc_end. F is the last
    pre-fault sample; a detection by a window of pre-fault samples only (ending at or before F) is wrong (false
    trip). A module that never decides, or is never reached because an earlier module failed, is wrong.
    ``location_ok_bands`` also excuses location errors inside the +-2 % transition bands (paper section 5).
    """
    df = results.copy()
    df["true_direction"] = np.where(df.km >= 0, "forward", "reverse")
    df["true_zone"] = [zone(k, zones["limits_km"]) for k in df.km]
    df["in_band"] = [in_transition_band(k, zones["transition_centres_km"], zones["transition_frac"]) for k in df.km]
    df["detection_ok"] = (df.direction == df.true_direction) & (df.det_end > df.F)
    df["classification_ok"] = df.detection_ok & (df.ftype_hat == df.ftype)
    df["location_ok"] = df.classification_ok & (df.zone_hat == df.true_zone)
    df["location_ok_bands"] = df.location_ok | (df.classification_ok & df.in_band)
    for mod, col in (("detection", "det_end"), ("classification", "class_end"), ("location", "loc_end")):
        # the paper's processing time (T.P.): post-fault samples (1 ms apart) the deciding window reaches
        df[f"{mod}_ms"] = np.where(df[f"{mod}_ok"], df[col] - df.F, np.nan)
    df["total_ms"] = df.loc_end - df.F  # the whole process, wherever the location module decided
    df["class"] = [fault_class(t) for t in df.ftype]
    return df


def overall(scored: pd.DataFrame, bands: bool = False) -> float:
    """% of all module responses (detection, classification, location of every case) that are correct.

    Strict by default, as the paper counts its 2 % of errors (section 6: mostly inside the transition bands).
    """
    loc = "location_ok_bands" if bands else "location_ok"
    return float(100 * np.mean(np.concatenate([scored.detection_ok, scored.classification_ok, scored[loc]])))


def class_location_pct(scored: pd.DataFrame, cls: str, bands: bool) -> float:
    d = scored[scored["class"] == cls]
    return float(100 * d["location_ok_bands" if bands else "location_ok"].mean())


def within_pct(times: pd.Series, lo: float, hi: float) -> float:
    """% of the decided times (NaN = no correct decision, left out) inside [lo, hi] ms."""
    t = times.dropna()
    return float(100 * t.between(lo, hi).mean()) if len(t) else float("nan")


def errors_in_bands(scored: pd.DataFrame) -> tuple[int, int]:
    """(cases with at least one wrong module response, of which inside a transition band), strict scoring."""
    wrong = ~(scored.detection_ok & scored.classification_ok & scored.location_ok)
    return int(wrong.sum()), int((wrong & scored.in_band).sum())


def seed_summary(scored: pd.DataFrame, class_ms: Sequence[float], location_ms: Sequence[float]) -> pd.DataFrame:
    """One row per training seed: the relay's headline numbers on the test set (what the claims compare).

    ``class_ms`` / ``location_ms``: the paper's decision-time ranges, for the share of decisions inside them.
    """
    rows = []
    for seed, d in scored.groupby("seed"):
        lg = d[d["class"] == "LG"]
        det_ms = lg.detection_ms
        n_err, n_err_band = errors_in_bands(d)
        rows.append({
            "seed": seed, "cases": len(d),
            "overall_pct": overall(d), "overall_bands_pct": overall(d, bands=True),
            "detection_pct": 100 * d.detection_ok.mean(), "classification_pct": 100 * d.classification_ok.mean(),
            "location_pct": 100 * d.location_ok.mean(), "location_bands_pct": 100 * d.location_ok_bands.mean(),
            "ll_location_pct": class_location_pct(d, "LL", False),
            "ll_location_bands_pct": class_location_pct(d, "LL", True),
            "lg_detected_2ms_pct": 100 * float((det_ms <= 2).mean()),
            "lg_detected_3ms_pct": 100 * float((det_ms <= 3).mean()),
            "classification_in_range_pct": within_pct(d.classification_ms, *class_ms),
            "location_in_range_pct": within_pct(d.location_ms, *location_ms),
            "total_mean_ms": float(d.total_ms.mean()), "total_sd_ms": float(d.total_ms.std(ddof=1)),
            "total_decided": int(d.total_ms.notna().sum()),
            "errors": n_err, "errors_in_bands": n_err_band,
        })
    return pd.DataFrame(rows)


def table2(scored: pd.DataFrame) -> pd.DataFrame:
    """Per fault type and module: % correct responses (mean over seeds) and decision time after inception (mean,
    min, max ms over every seed's correct decisions); then the phase-phase types pooled (``LL``, the group the
    paper gives a location figure for) and all types pooled (``all``)."""
    rows = []
    types = [t for t in FAULT_TYPES if t in set(scored.ftype)]
    groups = [(t, scored[scored.ftype == t]) for t in types]
    groups += [("LL", scored[scored["class"] == "LL"]), ("all", scored)]
    for ftype, d in groups:
        if d.empty:
            continue
        for mod in MODULES:
            t = d[f"{mod}_ms"].dropna()
            row = {"ftype": ftype, "module": mod, "cases": int(d.case.nunique()),
                   "correct_pct": 100 * d.groupby("seed")[f"{mod}_ok"].mean().mean(),
                   "time_mean_ms": t.mean() if len(t) else np.nan, "time_min_ms": t.min() if len(t) else np.nan,
                   "time_max_ms": t.max() if len(t) else np.nan}
            if mod == "location":
                row["correct_bands_pct"] = 100 * d.groupby("seed")["location_ok_bands"].mean().mean()
            rows.append(row)
    return pd.DataFrame(rows)


def confusion(truth: Sequence, pred: Sequence, labels: Sequence[str]) -> pd.DataFrame:
    """Counts with true labels as rows and predicted labels (plus 'undecided') as columns."""
    cols = list(labels) + ["undecided"]
    m = pd.DataFrame(0, index=list(labels), columns=cols)
    for t, p in zip(truth, pred):
        m.loc[str(t), "undecided" if p is None or (isinstance(p, float) and np.isnan(p)) or str(p) not in cols
              else str(p)] += 1
    return m
