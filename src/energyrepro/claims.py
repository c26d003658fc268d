"""Claims: one row per headline number or statement of a paper, with a *computed* verdict.

The verdict is never typed by hand (CONVENTIONS.md):

* numeric row: ``reproduced`` iff ``|ours - paper| <= tolerance + spread`` (spread: our own uncertainty,
  e.g. a t-interval over seeds or a binomial interval; 0 for one deterministic run). Where the paper reports
  what a method *achieves* (``direction`` higher_better / lower_better), clearly beating it is
  ``better than paper``, counted apart from ``not reproduced``. An interval wider than our value itself
  (:data:`INCONCLUSIVE`: e.g. one diverged seed among five) confirms nothing, so a paper value inside it is
  ``not comparable``, not ``reproduced``; a paper value outside even that interval is still ``not reproduced``;
* statement row (``paper_value`` is ``True``): ``reproduced`` iff the study's test *and* a practical effect
  size say the statement holds (:func:`statement`), both named in ``reason``;
* ``not comparable`` when a setting the claim depends on differs from the paper profile's
  (:func:`mark_comparability`, decided from the config), or our value is missing.

Three kinds of row: ``claim`` (the paper asserts it; our independent computation can confirm or refute
it; the only rows the report counts), ``consistency`` (holds by construction or arithmetic on the paper's
own inputs) and ``paper_inconsistency`` (the paper contradicts itself or its data).
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, replace
from typing import Any, Iterable, Mapping, Sequence

import pandas as pd

from energyrepro.io import write_csv

COLUMNS = ["study", "claim_id", "kind", "description", "paper_value", "our_value", "spread", "unit",
           "tolerance", "tolerance_rule", "direction", "depends_on", "verdict", "reason", "mlflow_run_id",
           "profile"]
KINDS = ("claim", "consistency", "paper_inconsistency")
DIRECTIONS = ("both", "higher_better", "lower_better")
VERDICTS = ("reproduced", "better than paper", "not reproduced", "not comparable")
INCONCLUSIVE = "inconclusive: our interval is wider than our value itself, too wide to confirm the paper's value"


@dataclass
class Claim:
    study: str
    claim_id: str
    description: str
    paper_value: float | bool | None
    our_value: float | bool | None
    kind: str = "claim"
    unit: str = ""
    tolerance: float = 0.0
    tolerance_rule: str = ""
    spread: float = 0.0
    direction: str = "both"
    depends_on: Sequence[str] = ()
    reason: str = ""
    mlflow_run_id: str = ""
    profile: str = ""
    comparable: bool = True
    from_paper_inputs: bool = False
    """True when our value is computed from the paper's own table (then the row cannot be kind ``claim``)."""

    def __post_init__(self) -> None:
        where = f"claim {self.study}/{self.claim_id}"
        if self.kind not in KINDS:
            raise ValueError(f"{where}: kind {self.kind!r} is not one of {KINDS}")
        if self.direction not in DIRECTIONS:
            raise ValueError(f"{where}: direction {self.direction!r} is not one of {DIRECTIONS}")
        if self.from_paper_inputs and self.kind == "claim":
            raise ValueError(f"{where}: computed from the paper's own table, so it is a consistency check, "
                             "not a claim our computation can confirm")
        if not self.tolerance_rule.strip():
            raise ValueError(f"{where}: every row needs a tolerance_rule saying how it is decided (the tolerance's "
                             "derivation, or for a statement its test and practical minimum)")

    @property
    def verdict(self) -> str:
        return verdict(self.paper_value, self.our_value, self.tolerance, self.spread, self.direction,
                       self.comparable)

    def row(self) -> dict:
        if not self.comparable and not self.reason:
            raise ValueError(f"claim {self.study}/{self.claim_id} is not comparable but gives no reason")
        d = {c: getattr(self, c) for c in COLUMNS if c not in ("verdict", "depends_on")}
        d["depends_on"] = ";".join(self.depends_on)
        d["verdict"] = self.verdict
        if self.comparable and d["verdict"] == "not comparable" and INCONCLUSIVE not in self.reason:
            d["reason"] = "; ".join(filter(None, [INCONCLUSIVE, self.reason]))
        return {k: d[k] for k in COLUMNS}


def verdict(paper_value, our_value, tolerance=0.0, spread=0.0, direction="both", comparable=True) -> str:
    """The verdict rule of CONVENTIONS.md, shared by claim construction and the report's re-check."""
    if not comparable or our_value is None or paper_value is None:
        return "not comparable"
    if isinstance(paper_value, bool) or isinstance(our_value, bool):
        return "reproduced" if bool(our_value) == bool(paper_value) else "not reproduced"
    ours, paper = float(our_value), float(paper_value)
    if math.isnan(ours) or math.isnan(paper):
        return "not comparable"
    ours_spread = 0.0 if spread is None or math.isnan(float(spread)) else abs(float(spread))
    diff = ours - paper
    if abs(diff) <= abs(float(tolerance or 0.0)) + ours_spread:
        # an interval spanning zero and twice our value cannot confirm any particular value
        return "not comparable" if ours_spread > abs(ours) else "reproduced"
    if (direction == "higher_better" and diff > 0) or (direction == "lower_better" and diff < 0):
        return "better than paper"
    return "not reproduced"


# --- tolerance rules: each returns (tolerance or spread, the text that goes into tolerance_rule) ---

def rounding_tolerance(decimals: int) -> float:
    """Half a unit of the last digit the paper prints (e.g. 98.2 -> 0.05, 563966 -> 0.5)."""
    return 0.5 * 10.0 ** (-int(decimals))


def decimals_of(text: str | float) -> int:
    """Digits after the decimal point as printed (``"5.06"`` -> 2, ``"563966"`` -> 0)."""
    s = str(text).strip()
    return len(s.split(".", 1)[1]) if "." in s else 0


def wilson_halfwidth(p: float, n: int, z: float = 1.96) -> float:
    """Half-width of the Wilson score interval of a proportion ``p`` observed on ``n`` cases (fraction units)."""
    if n <= 0:
        return float("nan")
    denom = 1 + z * z / n
    return z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom


def t_halfwidth(values: Iterable[float], conf: float = 0.95) -> float:
    """Half-width of the t-interval of the mean of ``values`` (0 for fewer than two values)."""
    from scipy import stats

    x = [float(v) for v in values if v is not None and not math.isnan(float(v))]
    if len(x) < 2:
        return 0.0
    sd = float(pd.Series(x).std(ddof=1))
    return float(stats.t.ppf(0.5 + conf / 2, len(x) - 1) * sd / math.sqrt(len(x)))


def statement(p_value: float, alpha: float, effect: float, min_effect: float, *, test: str,
              effect_name: str) -> tuple[bool, str]:
    """A statement holds only when the test is significant AND the effect is practically large enough.

    Returns (holds, reason text naming both).
    """
    significant = p_value < alpha
    large = abs(effect) >= min_effect and effect > 0
    holds = bool(significant and large)
    why = (f"{test}: p={p_value:.3g} ({'<' if significant else '>='} alpha {alpha:g}); {effect_name}="
           f"{effect:.4g} ({'>=' if large else 'below'} the practical minimum {min_effect:g})")
    return holds, why


def statement_rule(alpha: float, min_effect: float, effect_name: str) -> str:
    """The tolerance_rule of a statement decided by :func:`statement`."""
    return f"statement: significant at alpha {alpha:g} and {effect_name} of at least {min_effect:g}"


# --- comparability: decided from the config, whatever the profile is called ---

def setting(cfg: Mapping[str, Any], dotted: str) -> Any:
    node: Any = cfg
    for part in dotted.split("."):
        if not isinstance(node, Mapping) or part not in node:
            raise KeyError(f"claim depends on config key {dotted!r}, which the study's config section lacks")
        node = node[part]
    return node


def differing_settings(cfg: Mapping[str, Any], paper_cfg: Mapping[str, Any], keys: Iterable[str],
                       study: str = "") -> list[str]:
    """``["uc.iterations=150 (paper profile: 250)", ...]`` for every key whose value differs."""
    out = []
    for key in keys:
        ours, paper = setting(cfg, key), setting(paper_cfg, key)
        if ours != paper:
            name = f"{study}.{key}" if study else key
            out.append(f"{name}={_short(ours)} (paper profile: {_short(paper)})")
    return out


def _short(v: Any, limit: int = 60) -> str:
    s = str(v)
    return s if len(s) <= limit else s[: limit - 3] + "..."


def mark_comparability(claims: Iterable[Claim], cfg: Mapping[str, Any], paper_cfg: Mapping[str, Any]) -> list[Claim]:
    """Each claim is comparable only where every setting it depends on equals the paper profile's."""
    out = []
    for c in claims:
        diff = differing_settings(cfg, paper_cfg, c.depends_on, c.study)
        if diff:
            why = "settings differ from the paper profile: " + ", ".join(diff)
            c = replace(c, comparable=False, reason=f"{why}; {c.reason}" if c.reason else why)
        out.append(c)
    return out


def claims_frame(claims: Iterable[Claim]) -> pd.DataFrame:
    rows = [c.row() for c in claims]
    df = pd.DataFrame(rows, columns=COLUMNS)
    if df["claim_id"].duplicated().any():
        raise ValueError(f"duplicate claim ids: {sorted(df.loc[df.claim_id.duplicated(), 'claim_id'])}")
    return df


def write_claims(path: str | os.PathLike, claims: Iterable[Claim], cfg: Mapping[str, Any] | None = None,
                 paper_cfg: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """Write a study's claims.csv; with ``cfg`` and ``paper_cfg`` (the study's sections) comparability is applied."""
    claims = list(claims)
    if cfg is not None and paper_cfg is not None:
        claims = mark_comparability(claims, cfg, paper_cfg)
    df = claims_frame(claims)
    write_csv(path, df)
    return df


def parse_value(v):
    """A paper/our value cell read back from CSV: bool, float or None."""
    if isinstance(v, str):
        if v.strip().lower() in ("true", "false"):
            return v.strip().lower() == "true"
        if v.strip() == "":
            return None
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    return float(v)


def recompute_verdicts(df: pd.DataFrame) -> pd.Series:
    """Verdicts recomputed from a claims table's own columns (the report's check of each study's file)."""
    out = []
    for r in df.itertuples(index=False):
        if r.verdict == "not comparable":
            out.append("not comparable")
            continue
        out.append(verdict(parse_value(r.paper_value), parse_value(r.our_value), float(r.tolerance or 0),
                           float(r.spread) if pd.notna(r.spread) else 0.0, r.direction or "both"))
    return pd.Series(out, index=df.index)
