"""The study's claims: every number the paper states about its networks and its relay, against ours.

Tolerances are derived, never chosen: the tolerance is half a unit of the paper's last printed digit; our own
uncertainty is the spread: for an accuracy the Wilson 95 % half-width of our proportion on the n test cases behind
it, for a mean time 1.96 standard errors over the cases, each combined (root sum of squares) with the 95 %
t-interval half-width over the training seeds. Each claim names the config keys (of the relay section) it
depends on: away from the paper profile's values it is ``not comparable``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from energyrepro.claims import Claim, rounding_tolerance, statement, t_halfwidth, wilson_halfwidth
from energyrepro.relay.paper import printed

NETS = ("ann1", "ann2", "ann3", "ann4", "ann5")
TEST_DEPENDS = tuple(f"datasets.{d}" for d in (*NETS, "test")) + tuple(f"nets.{n}" for n in NETS) + (
    "n_normal", "val_frac", "seeds")
MAJORITY_MARGIN = 0.10
"""A "majority" of errors in the bands counts only when their share is at least 0.5 + this (practical size)."""


def _net_depends(net: str) -> tuple[str, ...]:
    return (f"datasets.{net}", f"nets.{net}", "val_frac", "seeds") + (("n_normal",) if net == "ann1" else ())


def _combined(*halfwidths: float) -> float:
    return float(np.sqrt(sum(h * h for h in halfwidths)))


def _accuracy(cid: str, desc: str, paper_text: str, per_seed: pd.Series, n: int, run_id: str, reason: str,
              direction: str = "higher_better") -> Claim:
    paper_value, decimals = printed(paper_text)
    ours = float(per_seed.mean())
    rnd, wil, tw = rounding_tolerance(decimals), 100 * wilson_halfwidth(ours / 100, n), t_halfwidth(per_seed)
    return Claim(study="relay", claim_id=cid, description=desc, paper_value=paper_value, our_value=round(ours, 2),
                 unit="%", tolerance=rnd, spread=round(_combined(wil, tw), 3),
                 tolerance_rule=f"paper prints {paper_text} (+-{rnd:g}); spread: Wilson 95 % half-width of our "
                                f"{ours:.1f} % on n={n} cases ({wil:.2f}) and t-interval over {len(per_seed)} "
                                f"seeds ({tw:.2f}), root sum of squares",
                 direction=direction, depends_on=TEST_DEPENDS, mlflow_run_id=run_id, reason=reason)


def network_claims(metrics: Mapping[str, Mapping], run_ids: Mapping[str, str], paper: Mapping) -> list[Claim]:
    """Minimum validation RMS of each network (paper section 4), mean over the training seeds."""
    out = []
    for net, text in paper["values"]["validation_rms"].items():
        m = metrics[net]
        value, decimals = printed(text)
        rms = np.asarray(m["best_val_rms"], float)
        rnd = rounding_tolerance(decimals)
        out.append(Claim(
            study="relay", claim_id=f"val_rms_{net}", description=f"minimum validation RMS of {net} "
            f"({m['architecture']})", paper_value=value, our_value=round(float(rms.mean()), 4), unit="RMS",
            tolerance=rnd, spread=round(t_halfwidth(rms), 4), direction="lower_better",
            tolerance_rule=f"paper prints {text} (+-{rnd:g}); spread: t-interval over {len(rms)} seeds",
            depends_on=_net_depends(net), mlflow_run_id=run_ids[net],
            reason=f"{m['patterns']} patterns from {m['cases']} DPsim cases; per seed "
                   + ", ".join(f"{r:.4f}" for r in rms)))
    return out


def relay_claims(summary: pd.DataFrame, scored: pd.DataFrame, run_id: str, paper: Mapping) -> list[Claim]:
    """The relay test (paper sections 5-6) from the per-seed ``summary`` (:func:`evaluation.seed_summary`)."""
    v = paper["values"]
    n = int(summary.cases.iloc[0])
    first = scored[scored.seed == scored.seed.iloc[0]]
    n_ll, n_lg = int((first["class"] == "LL").sum()), int((first["class"] == "LG").sum())
    note = f"{n} test cases (paper {paper['settings']['test_cases']:,}), {len(summary)} seeds"
    excused = summary.overall_bands_pct
    out = [
        _accuracy("overall_pct", "relay: % of correct module responses (detection, classification, location) on "
                  "the test faults, every error counted", v["overall_correct_pct"], summary.overall_pct, n, run_id,
                  f"{note}; a second reading that excuses location errors inside the +-2 % transition bands gives "
                  f"{excused.mean():.2f} % (the paper counts those errors: section 6)"),
        _accuracy("ll_location_pct", "phase-phase (AB, AC, BC) fault location, all responses", v["ll_location_pct"],
                  summary.ll_location_pct, n_ll, run_id, note),
        _accuracy("ll_location_bands_pct", "phase-phase fault location, transition-band errors excused",
                  v["ll_location_bands_pct"], summary.ll_location_bands_pct, n_ll, run_id, note),
        _accuracy("detection_pct", "detection module correct (forward fault, no pre-fault trip)", v["detection_pct"],
                  summary.detection_pct, n, run_id, note),
        _accuracy("classification_pct", "classification module correct (all ten types)", v["classification_pct"],
                  summary.classification_pct, n, run_id, note),
        _accuracy("lg_detected_2ms_pct", "LG faults detected with <= 2 post-fault samples",
                  v["lg_detected_within_2ms_pct"], summary.lg_detected_2ms_pct, n_lg, run_id, note),
        _accuracy("lg_detected_3ms_pct", "LG faults detected with <= 3 post-fault samples",
                  v["lg_detected_within_3ms_pct"], summary.lg_detected_3ms_pct, n_lg, run_id, note),
    ]
    for cid, module, key, col in (("classification_time_pct", "classification", "classification_ms",
                                   "classification_in_range_pct"),
                                  ("location_time_pct", "location", "location_ms", "location_in_range_pct")):
        lo, hi = v[key]
        decided = int(first[f"{module}_ms"].notna().sum())
        out.append(_accuracy(cid, f"correct {module} decisions taken {lo}-{hi} ms after inception (the paper "
                             f"states this range for the module, without exceptions)", "100", summary[col],
                             decided, run_id, f"{note}; {decided} correct {module} decisions per seed",
                             direction="both"))
    out.append(_total_time_claim(summary, v["total_mean_ms"], run_id, note))
    out.append(_errors_in_bands_claim(summary, run_id, note))
    return out


def _total_time_claim(summary: pd.DataFrame, paper_text: str, run_id: str, note: str) -> Claim:
    value, decimals = printed(paper_text)
    ours = float(summary.total_mean_ms.mean())
    rnd = rounding_tolerance(decimals)
    se, tw = float(1.96 * np.mean(summary.total_sd_ms / np.sqrt(summary.total_decided))), t_halfwidth(
        summary.total_mean_ms)
    return Claim(study="relay", claim_id="total_time_ms", description="mean time of the whole process (detection, "
                 "classification and location) after inception", paper_value=value, our_value=round(ours, 2),
                 unit="ms", tolerance=rnd, spread=round(_combined(se, tw), 3),
                 tolerance_rule=f"paper prints {paper_text} (+-{rnd:g}); spread: 1.96 standard errors of our mean "
                                f"over the cases ({se:.2f}) and t-interval over {len(summary)} seeds ({tw:.2f}), "
                                "root sum of squares",
                 direction="lower_better", depends_on=TEST_DEPENDS, mlflow_run_id=run_id,
                 reason=f"{note}; mean over the cases where the location module decided")


def _errors_in_bands_claim(summary: pd.DataFrame, run_id: str, note: str) -> Claim:
    """Section 6: the 2 % of errors lie mostly in the transition zones (a statement: test + practical size)."""
    errors, in_bands = int(summary.errors.sum()), int(summary.errors_in_bands.sum())
    share = in_bands / errors if errors else float("nan")
    if errors:
        p = float(stats.binomtest(in_bands, errors, 0.5, alternative="greater").pvalue)
        holds, why = statement(p, 0.05, share - 0.5, MAJORITY_MARGIN, test="one-sided binomial test of a share "
                               "above one half (errors of all seeds pooled)", effect_name="share - 0.5")
    else:
        holds, why = None, "no errors at all"
    return Claim(study="relay", claim_id="errors_in_bands", description="most relay errors lie inside the +-2 % "
                 "transition bands (cases with any wrong module response)", paper_value=True, our_value=holds,
                 tolerance_rule=f"statement: a share above one half at alpha 0.05, by at least {MAJORITY_MARGIN:g}",
                 depends_on=TEST_DEPENDS, mlflow_run_id=run_id,
                 reason=f"{note}; {in_bands} of {errors} erroneous cases in a band ({share:.0%}); {why}")


def claims(metrics: Mapping[str, Mapping], run_ids: Mapping[str, str], summary: pd.DataFrame,
           scored: pd.DataFrame, test_run_id: str, paper: Mapping, profile: str) -> list[Claim]:
    """Every row of the study's claims.csv (comparability is applied when they are written)."""
    rows: Sequence[Claim] = network_claims(metrics, run_ids, paper) + relay_claims(summary, scored, test_run_id,
                                                                                    paper)
    for c in rows:
        c.profile = profile
    return list(rows)
