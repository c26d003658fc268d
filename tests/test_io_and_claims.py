"""Atomic outputs, claims verdicts, seeds: hand-checked values."""

import math

import pandas as pd
import pytest

from energyrepro.claims import Claim, claims_frame, recompute_verdicts
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


def test_atomic_path_replaces_only_on_success(tmp_path):
    target = tmp_path / "x.json"
    write_json(target, {"a": 1})
    assert read_json(target) == {"a": 1}
    assert target.stat().st_mode & 0o044, "results must be readable by others (not mkstemp's 0600)"
    write_table(tmp_path / "t.csv", pd.DataFrame({"a": [1.0, 2.5]}))
    assert (tmp_path / "t.md").read_text().startswith("|")


@pytest.mark.parametrize("paper, ours, tol, spread, verdict", [
    (85.16, 84.0, 2.0, 0.0, "reproduced"),
    (85.16, 80.0, 2.0, 0.0, "not reproduced"),
    (85.16, 80.0, 2.0, 3.5, "reproduced"),       # within tolerance + spread
    (True, True, 0, 0, "reproduced"),
    (True, False, 0, 0, "not reproduced"),
    (85.16, None, 2.0, 0.0, "not comparable"),
    (85.16, math.nan, 2.0, 0.0, "not comparable"),
])
def test_verdict_is_computed(paper, ours, tol, spread, verdict):
    assert Claim("el", "c", "d", paper, ours, tolerance=tol, spread=spread).verdict == verdict


def test_not_comparable_needs_a_reason_and_ids_are_unique():
    with pytest.raises(ValueError, match="gives no reason"):
        Claim("el", "c", "d", 1.0, 1.0, comparable=False).row()
    with pytest.raises(ValueError, match="duplicate"):
        claims_frame([Claim("el", "c", "d", 1.0, 1.0), Claim("el", "c", "e", 1.0, 1.0)])


def test_recomputed_verdicts_match_after_a_csv_round_trip(tmp_path):
    df = claims_frame([Claim("uc", "a", "x", 563966.0, 563937.7, tolerance=50.0),
                       Claim("uc", "b", "IHDE beats HDE", True, False),
                       Claim("uc", "c", "y", 1.0, 9.0, comparable=False, reason="different network")])
    df.to_csv(tmp_path / "c.csv", index=False)
    back = pd.read_csv(tmp_path / "c.csv")
    assert list(recompute_verdicts(back)) == list(df["verdict"]) == ["reproduced", "not reproduced", "not comparable"]


def test_seeds_and_hashes_are_stable():
    assert derive_seed(42, "el", "lr=0.01") == derive_seed(42, "el", "lr=0.01")
    assert derive_seed(42, "el", "lr=0.01") != derive_seed(43, "el", "lr=0.01")
    assert config_hash({"b": 1, "a": [1, 2]}) == config_hash({"a": [1, 2], "b": 1})
    assert flatten({"el": {"lr": [0.1, 0.01], "x": {"y": 2}}}) == {"el.lr": "[0.1, 0.01]", "el.x.y": "2"}
