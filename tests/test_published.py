"""The committed paper-scale results: complete, small, and enough to redraw every figure on a fresh clone."""

import re
import shutil
import time

import pandas as pd
import pytest
from conftest import REPO, run_snakemake

from energyrepro.claims import COLUMNS, recompute_verdicts
from energyrepro.publish import restore

PUBLISHED = REPO / "published" / "paper"
STUDIES = ["el", "relay", "soc", "pricing", "uc"]
pytestmark = pytest.mark.skipif(not (PUBLISHED / "claims.csv").exists(), reason="no published paper run yet")


def test_published_claims_hold_every_study_with_verdicts_that_follow():
    df = pd.read_csv(PUBLISHED / "claims.csv", keep_default_na=False, na_values=[""])
    assert list(df.columns) == COLUMNS
    assert set(df.study) == set(STUDIES)
    assert (df.profile == "paper").all()
    assert (df.verdict == recompute_verdicts(df)).all()
    assert (df[df.kind == "claim"].tolerance_rule.fillna("") != "").all()


def test_published_folder_is_sized_for_git_and_says_where_it_came_from():
    files = [f for f in PUBLISHED.rglob("*") if f.is_file()]
    assert sum(f.stat().st_size for f in files) < 40 * 2**20
    assert not [f for f in files if f.suffix in (".pt", ".pth", ".ckpt")], "no model weights in published/"
    manifest = (PUBLISHED / "MANIFEST").read_text()
    for key in ("commit:", "config_hash:", "cores:", "gpu runs:", "snakemake:", "torch:"):
        assert key in manifest, key
    for study in STUDIES:
        assert re.search(rf"^\|\s*{study}\s*\|", manifest, re.M), f"no time row for {study}"


@pytest.mark.slow
def test_figures_redraw_from_published_results_alone(tmp_path):
    """`make figures` on a fresh clone: only plot rules run, from published/paper, and every figure appears."""
    shutil.copytree(PUBLISHED, tmp_path / "published" / "paper")
    shutil.copytree(REPO / "published" / "gpu", tmp_path / "published" / "gpu")
    assert restore(tmp_path / "published" / "paper", tmp_path / "results" / "paper") > 0
    dry = run_snakemake(tmp_path, "--quiet", "rules", "--forceall", "-n", "figures", configfile="config/paper.yaml")
    plot_rules = sorted(set(re.findall(r"^([a-z0-9]+_plot_[a-z0-9_]*)", dry.stdout + dry.stderr, re.M)))
    assert plot_rules
    started = time.time()
    proc = run_snakemake(tmp_path, "--cores", "2", "figures", "--allowed-rules", *plot_rules, "--forcerun",
                         *plot_rules, configfile="config/paper.yaml")
    ran = set(re.findall(r"^(?:local)?rule (\w+):", proc.stdout + proc.stderr, re.M))
    assert ran and ran <= set(plot_rules) | {"figures"}, f"non-plot jobs ran: {ran - set(plot_rules)}"
    root = tmp_path / "results" / "paper"
    redrawn = {f.relative_to(root) for f in root.rglob("*.png") if f.stat().st_mtime > started}
    assert {f.relative_to(PUBLISHED) for f in PUBLISHED.rglob("*.png")} <= redrawn
