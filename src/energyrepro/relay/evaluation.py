"""Scoring the relay test (paper section 5, Table 2): per-case correctness, decision times, summaries."""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from energyrepro.relay.faults import FAULT_TYPES, fault_class
from energyrepro.relay.windows import in_transition_band, zone

MODULES = ("detection", "classification", "location")


def score_cases(results: pd.DataFrame, zones: Mapping) -> pd.DataFrame:
    """Add truth, correctness and decision times (ms = post-fault samples used) to the relay's decisions.

    Columns needed: ftype, km, F, direction, det_end, ftype_hat, class_end, zone_hat, loc_end.
    A detection declared before the first post-fault sample is wrong (false trip). A module that never decides,
    or is never reached because an earlier module failed, is wrong. ``location_ok_bands`` also excuses location
    errors inside the +-2 % transition bands (paper section 5).
    """
    df = results.copy()
    df["true_direction"] = np.where(df.km >= 0, "forward", "reverse")
    df["true_zone"] = [zone(k, zones["limits_km"]) for k in df.km]
    df["in_band"] = [in_transition_band(k, zones["transition_centres_km"], zones["transition_frac"]) for k in df.km]
    df["detection_ok"] = (df.direction == df.true_direction) & (df.det_end >= df.F)
    df["classification_ok"] = df.detection_ok & (df.ftype_hat == df.ftype)
    df["location_ok"] = df.classification_ok & (df.zone_hat == df.true_zone)
    df["location_ok_bands"] = df.location_ok | (df.classification_ok & df.in_band)
    for mod, col in (("detection", "det_end"), ("classification", "class_end"), ("location", "loc_end")):
        # the paper's processing time: post-fault samples (1 ms apart) the deciding window reaches
        df[f"{mod}_ms"] = np.where(df[f"{mod}_ok"], df[col] - df.F + 1, np.nan)
    df["class"] = [fault_class(t) for t in df.ftype]
    return df


def table2(scored: pd.DataFrame) -> pd.DataFrame:
    """Per fault type and module: % correct responses and decision time after inception (mean, min, max ms)."""
    rows = []
    for ftype in [t for t in FAULT_TYPES if t in set(scored.ftype)]:
        d = scored[scored.ftype == ftype]
        for mod in MODULES:
            t = d[f"{mod}_ms"].dropna()
            row = {"ftype": ftype, "module": mod, "cases": len(d), "correct_pct": 100 * d[f"{mod}_ok"].mean(),
                   "time_mean_ms": t.mean() if len(t) else np.nan, "time_min_ms": t.min() if len(t) else np.nan,
                   "time_max_ms": t.max() if len(t) else np.nan}
            if mod == "location":
                row["correct_bands_pct"] = 100 * d["location_ok_bands"].mean()
            rows.append(row)
    return pd.DataFrame(rows)


def overall(scored: pd.DataFrame, bands: bool = True) -> float:
    """% of all module responses (detection, classification, location of every case) that are correct."""
    loc = "location_ok_bands" if bands else "location_ok"
    return float(100 * np.mean(np.concatenate([scored.detection_ok, scored.classification_ok, scored[loc]])))


def class_location_pct(scored: pd.DataFrame, cls: str, bands: bool) -> float:
    d = scored[scored["class"] == cls]
    return float(100 * d["location_ok_bands" if bands else "location_ok"].mean())


def confusion(truth: Sequence, pred: Sequence, labels: Sequence[str]) -> pd.DataFrame:
    """Counts with true labels as rows and predicted labels (plus 'undecided') as columns."""
    cols = list(labels) + ["undecided"]
    m = pd.DataFrame(0, index=list(labels), columns=cols)
    for t, p in zip(truth, pred):
        m.loc[str(t), "undecided" if p is None or (isinstance(p, float) and np.isnan(p)) or str(p) not in cols
              else str(p)] += 1
    return m


def zone_accuracy_by_distance(scored: pd.DataFrame) -> pd.DataFrame:
    """Location accuracy (% of cases, all types) per test distance."""
    g = scored.groupby("km")
    return pd.DataFrame({"km": g.size().index, "cases": g.size().values,
                         "location_pct": 100 * g.location_ok.mean().values,
                         "detection_pct": 100 * g.detection_ok.mean().values,
                         "classification_pct": 100 * g.classification_ok.mean().values,
                         "in_band": g.in_band.first().values, "true_zone": g.true_zone.first().values})
