"""The study's claims (validation RMS per network, relay accuracies) as computed-verdict rows."""

from __future__ import annotations

from pathlib import Path
from typing import Mapping

import pandas as pd
import yaml

from energyrepro.claims import Claim
from energyrepro.relay.evaluation import class_location_pct, overall

PAPER_YAML = Path(__file__).with_name("data") / "paper_reference.yaml"


def paper_reference() -> dict:
    with open(PAPER_YAML, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def build_claims(metrics: Mapping[str, Mapping], run_ids: Mapping[str, str], scored: pd.DataFrame,
                 test_run_id: str, tolerance: Mapping[str, float], profile: str) -> list[Claim]:
    ref = paper_reference()
    note = "" if profile == "paper" else f" {profile} profile: thinned fault grids and fewer epochs, numbers differ."
    common = dict(study="relay", profile=profile)
    claims = []
    for net, paper in ref["validation_rms"].items():
        m = metrics[net]
        claims.append(Claim(claim_id=f"val_rms_{net}",
                            description=f"minimum validation RMS of {net} ({m['architecture']})",
                            paper_value=paper, our_value=round(m["best_val_rms"], 4), unit="RMS",
                            tolerance=tolerance["rms"], mlflow_run_id=run_ids[net],
                            reason=f"{m['patterns']} patterns from {m['cases']} DPsim cases; SGD+momentum instead of "
                                   f"Norm-Cum-Delta.{note}", **common))
    pct = tolerance["pct"]
    lg = scored[scored["class"] == "LG"]
    used = lg.det_end - lg.F + 1
    rows = [
        ("overall_pct", "relay: % of correct module responses on the test faults (transition-band errors excused)",
         ref["overall_correct_pct"], overall(scored, True)),
        ("ll_location_pct", "phase-phase fault location, all responses", ref["ll_location_pct"],
         class_location_pct(scored, "LL", False)),
        ("ll_location_bands_pct", "phase-phase fault location, transition-band errors excused",
         ref["ll_location_bands_pct"], class_location_pct(scored, "LL", True)),
        ("detection_pct", "detection module correct (forward fault, no pre-fault trip)", ref["detection_pct"],
         100 * scored.detection_ok.mean()),
        ("classification_pct", "classification module correct (all ten types)", ref["classification_pct"],
         100 * scored.classification_ok.mean()),
        ("lg_detected_2ms_pct", "LG faults detected with <= 2 post-fault samples", ref["lg_detected_within_2ms_pct"],
         100 * float(((used <= 2) & lg.detection_ok).mean())),
        ("lg_detected_3ms_pct", "LG faults detected with <= 3 post-fault samples", ref["lg_detected_within_3ms_pct"],
         100 * float(((used <= 3) & lg.detection_ok).mean())),
    ]
    for cid, desc, paper, ours in rows:
        claims.append(Claim(claim_id=cid, description=desc, paper_value=paper, our_value=round(float(ours), 2),
                            unit="%", tolerance=pct, mlflow_run_id=test_run_id,
                            reason=f"{len(scored)} test cases (paper 4,050).{note}", **common))
    return claims
