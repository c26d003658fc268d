"""The committed paper-scale results: complete, small, and enough to redraw every figure on a fresh clone."""

import re
import shutil
import time

import pandas as pd
import pytest
from conftest import REPO, run_snakemake

from energyrepro.claims import COLUMNS, recompute_verdicts
from energyrepro.config import load_config
from energyrepro.publish import manifest_studies, restore

PUBLISHED = REPO / "published" / "paper"
pytestmark = pytest.mark.skipif(not (PUBLISHED / "claims.csv").exists(), reason="no published paper run yet")


@pytest.fixture(scope="module")
def studies() -> list[str]:
    """The published studies; every other study of the paper profile is named in the MANIFEST with its reason."""
    published, unpublished = manifest_studies((PUBLISHED / "MANIFEST").read_text())
    profile = load_config(REPO / "config" / "paper.yaml", paths=False)["studies"]
    assert set(published) <= set(profile)
    assert {u.split(":")[0] for u in unpublished} == set(profile) - set(published)
    assert all(len(u.split(":", 1)[1].strip()) > 20 for u in unpublished), "a study left out needs its reason"
    return published


def test_published_claims_hold_every_study_with_verdicts_that_follow(studies):
    df = pd.read_csv(PUBLISHED / "claims.csv", keep_default_na=False, na_values=[""])
    assert list(df.columns) == COLUMNS
    assert set(df.study) == set(studies)
    assert (df.profile == "paper").all()
    assert (df.verdict == recompute_verdicts(df)).all()
    assert (df[df.kind == "claim"].tolerance_rule.fillna("") != "").all()


def test_published_folder_is_sized_for_git_and_says_where_it_came_from(studies):
    files = [f for f in PUBLISHED.rglob("*") if f.is_file()]
    assert sum(f.stat().st_size for f in files) < 40 * 2**20
    assert not [f for f in files if f.suffix in (".pt", ".pth", ".ckpt")], "no model weights in published/"
    manifest = (PUBLISHED / "MANIFEST").read_text()
    for key in ("commit:", "config_hash:", "cores:", "gpu runs:", "snakemake:", "torch:"):
        assert key in manifest, key
    for study in studies:
        assert re.search(rf"^\|\s*{study}\s*\|", manifest, re.M), f"no time row for {study}"


@pytest.mark.slow
def test_figures_redraw_from_published_results_alone(tmp_path, studies):
    """`make figures` on a fresh clone: only plot rules run, from published/paper, and every figure appears."""
    shutil.copytree(PUBLISHED, tmp_path / "published" / "paper")
    shutil.copytree(REPO / "published" / "gpu", tmp_path / "published" / "gpu")
    selected = f"studies=[{','.join(studies)}]"
    run_snakemake(tmp_path, "--cores", "1", "mlflow_init", "--config", selected, configfile="config/paper.yaml")
    assert restore(tmp_path / "published" / "paper", tmp_path / "results" / "paper") > 0
    dry = run_snakemake(tmp_path, "--quiet", "rules", "--forceall", "-n", "figures", "--config", selected,
                        configfile="config/paper.yaml")
    plot_rules = sorted(set(re.findall(r"^([a-z0-9]+_plot[a-z0-9_]*)", dry.stdout + dry.stderr, re.M)))
    assert plot_rules
    started = time.time()
    proc = run_snakemake(tmp_path, "--cores", "2", "figures", "--config", selected, "--allowed-rules", *plot_rules,
                         "--forcerun", *plot_rules, configfile="config/paper.yaml")
    ran = set(re.findall(r"^(?:local)?rule (\w+):", proc.stdout + proc.stderr, re.M))
    assert ran and ran <= set(plot_rules) | {"figures"}, f"non-plot jobs ran: {ran - set(plot_rules)}"
    root = tmp_path / "results" / "paper"
    redrawn = {f.relative_to(root) for f in root.rglob("*.png") if f.stat().st_mtime > started}
    drawn = {f.relative_to(PUBLISHED) for f in PUBLISHED.rglob("*.png") if {"figures", "tables"} & set(f.parts)}
    assert drawn and drawn <= redrawn
