"""Claims: one row per headline number or statement of a paper, with a *computed* verdict.

The verdict is never typed by hand (CONVENTIONS.md):

* numeric claim: ``reproduced`` iff ``|ours - paper| <= tolerance + spread`` (spread: std or CI
  half-width over seeds, 0 when there is one run);
* statement claim (``paper_value`` is ``True``): ``reproduced`` iff our test says the statement
  holds (``our_value`` is a bool the study computed, the test named in ``reason``);
* ``not comparable`` when the study marks the setting as too different, or our value is missing.
"""

from __future__ import annotations

import math
import os
from dataclasses import asdict, dataclass
from typing import Iterable

import pandas as pd

from energyrepro.io import write_csv

COLUMNS = ["study", "claim_id", "description", "paper_value", "our_value", "spread", "unit",
           "tolerance", "verdict", "reason", "mlflow_run_id", "profile"]
VERDICTS = ("reproduced", "not reproduced", "not comparable")


@dataclass
class Claim:
    study: str
    claim_id: str
    description: str
    paper_value: float | bool | None
    our_value: float | bool | None
    unit: str = ""
    tolerance: float = 0.0
    spread: float = 0.0
    reason: str = ""
    mlflow_run_id: str = ""
    profile: str = "quick"
    comparable: bool = True

    @property
    def verdict(self) -> str:
        if not self.comparable or self.our_value is None or self.paper_value is None:
            return "not comparable"
        if isinstance(self.paper_value, bool) or isinstance(self.our_value, bool):
            return "reproduced" if bool(self.our_value) == bool(self.paper_value) else "not reproduced"
        ours, paper = float(self.our_value), float(self.paper_value)
        if math.isnan(ours) or math.isnan(paper):
            return "not comparable"
        spread = 0.0 if self.spread is None or math.isnan(float(self.spread)) else abs(float(self.spread))
        return "reproduced" if abs(ours - paper) <= float(self.tolerance) + spread else "not reproduced"

    def row(self) -> dict:
        d = asdict(self)
        d.pop("comparable")
        d["verdict"] = self.verdict
        if not self.comparable and not self.reason:
            raise ValueError(f"claim {self.study}/{self.claim_id} is not comparable but gives no reason")
        return {k: d[k] for k in COLUMNS}


def claims_frame(claims: Iterable[Claim]) -> pd.DataFrame:
    rows = [c.row() for c in claims]
    df = pd.DataFrame(rows, columns=COLUMNS)
    if df["claim_id"].duplicated().any():
        raise ValueError(f"duplicate claim ids: {sorted(df.loc[df.claim_id.duplicated(), 'claim_id'])}")
    return df


def write_claims(path: str | os.PathLike, claims: Iterable[Claim]) -> pd.DataFrame:
    df = claims_frame(claims)
    write_csv(path, df)
    return df


def recompute_verdicts(df: pd.DataFrame) -> pd.Series:
    """Verdicts recomputed from a claims table's own columns (used by the report to check a file)."""

    def parse(v):
        if isinstance(v, str):
            if v.strip().lower() in ("true", "false"):
                return v.strip().lower() == "true"
            if v.strip() == "":
                return None
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return None
        return float(v)

    out = []
    for r in df.itertuples(index=False):
        if r.verdict == "not comparable":
            out.append("not comparable")
            continue
        c = Claim(r.study, r.claim_id, r.description, parse(r.paper_value), parse(r.our_value),
                  tolerance=float(r.tolerance or 0), spread=float(r.spread) if pd.notna(r.spread) else 0.0)
        out.append(c.verdict)
    return pd.Series(out, index=df.index)
