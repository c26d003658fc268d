"""Atomic outputs, claims verdicts, seeds: hand-checked values."""

import math

import pandas as pd
import pytest

from energyrepro.claims import (
    INCONCLUSIVE,
    Claim,
    claims_frame,
    mark_comparability,
    recompute_verdicts,
    rounding_tolerance,
    statement,
    t_halfwidth,
    wilson_halfwidth,
)
from energyrepro.io import atomic_path, read_json, write_json, write_table
from energyrepro.seeding import derive_seed
from energyrepro.tracking import config_hash, flatten


def test_atomic_path_leaves_nothing_when_the_writer_dies(tmp_path):
    target = tmp_path / "out.csv"
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_text("half a file")
            raise RuntimeError("killed")
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_a_killed_writers_temporary_file_is_removed_by_the_next_writer(tmp_path):
    stale = tmp_path / ".fig.png.abc123.part.png"  # what atomic_path leaves when SIGKILL skips its cleanup
    stale.write_text("half a figure")
    other = tmp_path / ".other.png.abc123.part.png"
    other.write_text("another target's")
    with atomic_path(tmp_path / "fig.png") as tmp:
        tmp.write_text("whole")
    assert not stale.exists() and other.exists()
    assert (tmp_path / "fig.png").read_text() == "whole"


def test_atomic_path_replaces_only_on_success(tmp_path):
    target = tmp_path / "x.json"
    write_json(target, {"a": 1})
    assert read_json(target) == {"a": 1}
    assert target.stat().st_mode & 0o044, "results must be readable by others (not mkstemp's 0600)"
    write_table(tmp_path / "t.csv", pd.DataFrame({"a": [1.0, 2.5]}))
    assert not (tmp_path / "t.md").exists(), "an undeclared Markdown twin must not be written"
    write_table(tmp_path / "u.csv", pd.DataFrame({"a": [1.0, 2.5]}), tmp_path / "u.md")
    assert (tmp_path / "u.md").read_text().startswith("|")


@pytest.mark.parametrize("paper, ours, tol, spread, direction, verdict", [
    (85.16, 84.0, 2.0, 0.0, "both", "reproduced"),
    (85.16, 80.0, 2.0, 0.0, "both", "not reproduced"),
    (85.16, 80.0, 2.0, 3.5, "both", "reproduced"),       # within tolerance + spread
    (85.16, 90.0, 2.0, 0.0, "higher_better", "better than paper"),
    (85.16, 80.0, 2.0, 0.0, "higher_better", "not reproduced"),
    (563966.0, 563000.0, 50.0, 0.0, "lower_better", "better than paper"),
    (563966.0, 565000.0, 50.0, 0.0, "lower_better", "not reproduced"),
    (True, True, 0, 0, "both", "reproduced"),
    (True, False, 0, 0, "both", "not reproduced"),
    (85.16, None, 2.0, 0.0, "both", "not comparable"),
    (85.16, math.nan, 2.0, 0.0, "both", "not comparable"),
    (0.0065, 0.97, 5e-5, 2.35, "both", "not comparable"),  # one diverged seed of five: the interval spans 0 to 3.3
    (71.94, 25.79, 5e-3, 34.05, "both", "not reproduced"),  # as wide, but the paper's value lies outside it
])
def test_verdict_is_computed(paper, ours, tol, spread, direction, verdict):
    c = Claim("el", "c", "d", paper, ours, tolerance=tol, spread=spread, direction=direction, tolerance_rule="r")
    assert c.verdict == verdict


def test_rows_that_cannot_mean_what_they_say_are_refused():
    with pytest.raises(ValueError, match="gives no reason"):
        Claim("el", "c", "d", 1.0, 1.0, comparable=False, tolerance_rule="r").row()
    with pytest.raises(ValueError, match="duplicate"):
        claims_frame([Claim("el", "c", "d", True, True, tolerance_rule="r"),
                      Claim("el", "c", "e", True, True, tolerance_rule="r")])
    with pytest.raises(ValueError, match="tolerance_rule"):
        Claim("el", "c", "d", 1.0, 1.0, tolerance=0.1)
    with pytest.raises(ValueError, match="consistency check"):
        Claim("pricing", "c", "share of TC", 1.0, 1.0, tolerance_rule="r", from_paper_inputs=True)
    with pytest.raises(ValueError, match="kind"):
        Claim("el", "c", "d", True, True, kind="claimed")
    with pytest.raises(ValueError, match="every row needs a tolerance_rule"):
        Claim("uc", "c", "IHDE beats HDE", True, True)
    Claim("pricing", "c", "share of TC", 1.0, 1.0, kind="consistency", from_paper_inputs=True, tolerance_rule="r")


def test_an_interval_too_wide_to_confirm_anything_says_so_in_the_reason():
    row = Claim("soc", "c", "LSTM MAE", 0.0065, 0.97, spread=2.35, tolerance_rule="r", reason="5 seeds").row()
    assert row["verdict"] == "not comparable"
    assert row["reason"] == INCONCLUSIVE + "; 5 seeds"


def test_recomputed_verdicts_match_after_a_csv_round_trip(tmp_path):
    df = claims_frame([Claim("uc", "a", "x", 563966.0, 563937.7, tolerance=50.0, tolerance_rule="r"),
                       Claim("uc", "b", "IHDE beats HDE", True, False, tolerance_rule="r"),
                       Claim("uc", "c", "y", 1.0, 9.0, comparable=False, reason="different network",
                             tolerance_rule="r"),
                       Claim("uc", "d", "z", 100.0, 90.0, tolerance=1.0, tolerance_rule="r",
                             direction="lower_better")])
    df.to_csv(tmp_path / "c.csv", index=False)
    back = pd.read_csv(tmp_path / "c.csv")
    assert list(recompute_verdicts(back)) == list(df["verdict"]) == [
        "reproduced", "not reproduced", "not comparable", "better than paper"]


def test_comparability_is_decided_from_the_settings_a_claim_depends_on():
    paper_cfg = {"iterations": 250, "population": 50, "sizes": [10, 100]}
    cfg = {"iterations": 150, "population": 50, "sizes": [10, 20]}
    a = Claim("uc", "a", "cost", 1.0, 1.0, tolerance_rule="r", depends_on=("iterations", "population"))
    b = Claim("uc", "b", "optimum", 1.0, 1.0, tolerance_rule="r", depends_on=("population",))
    out = mark_comparability([a, b], cfg, paper_cfg)
    assert out[0].verdict == "not comparable" and "uc.iterations=150 (paper profile: 250)" in out[0].reason
    assert out[1].verdict == "reproduced"
    with pytest.raises(KeyError, match="nonexistent"):
        mark_comparability([Claim("uc", "c", "x", True, True, tolerance_rule="r", depends_on=("nonexistent",))],
                           cfg, paper_cfg)


def test_tolerance_rules_match_hand_computed_values():
    assert rounding_tolerance(1) == pytest.approx(0.05) and rounding_tolerance(0) == 0.5
    # Wilson interval, p = 0.5, n = 78: 1.96 * sqrt(0.25/78 + 1.96^2/(4*78^2)) / (1 + 1.96^2/78) = 0.1083
    assert wilson_halfwidth(0.5, 78) == pytest.approx(0.1083, abs=2e-4)
    # t-interval of (1, 2, 3): t_{0.975,2} = 4.303, sd = 1 -> 4.303 / sqrt(3) = 2.484
    assert t_halfwidth([1, 2, 3]) == pytest.approx(2.484, abs=1e-3)
    assert t_halfwidth([5.0]) == 0.0
    holds, why = statement(3e-8, 0.05, 9e-6, 0.01, test="Wilcoxon", effect_name="median cost gap %")
    assert not holds and "below the practical minimum" in why
    assert statement(0.01, 0.05, 0.5, 0.01, test="t", effect_name="gap")[0]


def test_seeds_and_hashes_are_stable():
    assert derive_seed(42, "el", "lr=0.01") == derive_seed(42, "el", "lr=0.01")
    assert derive_seed(42, "el", "lr=0.01") != derive_seed(43, "el", "lr=0.01")
    assert config_hash({"b": 1, "a": [1, 2]}) == config_hash({"a": [1, 2], "b": 1})
    assert flatten({"el": {"lr": [0.1, 0.01], "x": {"y": 2}}}) == {"el.lr": "[0.1, 0.01]", "el.x.y": "2"}
