"""The schema rejects bad configs before anything runs, naming the key and the allowed values."""

from pathlib import Path

import pytest
import yaml
from conftest import REPO, run_snakemake

from energyrepro.config import ConfigError, load_config, validate_config


@pytest.mark.parametrize("name", ["config.yaml", "paper.yaml", "test.yaml"])
def test_shipped_configs_validate(name):
    cfg = load_config(REPO / "config" / name)
    assert cfg["profile"] in ("quick", "paper", "test")
    assert set(cfg["studies"]) <= {"el", "relay", "soc", "pricing", "uc"}


def test_defaults_are_filled_inside_study_schemas():
    cfg = load_config(REPO / "config" / "config.yaml")
    assert cfg["el"]["labels_csv"] is None          # default from el.schema.yaml ($ref)
    assert cfg["mlflow"]["tracking_uri"].startswith("sqlite:///")


def _base():
    return yaml.safe_load((REPO / "config" / "config.yaml").read_text())


@pytest.mark.parametrize("mutate, fragment", [
    (lambda c: c.update(studies=["el", "weather"]), "config key 'studies.1': 'weather' is not one of"),
    (lambda c: c.update(seed=1.5), "config key 'seed'"),
    (lambda c: c.update(seed=-3), "less than the minimum of 0"),
    (lambda c: c.update(device="tpu"), "allowed: auto, cpu, cuda"),
    (lambda c: c.update(colour="blue"), "known keys here"),
    (lambda c: c["el"].update(val_fraction=1.5), "config key 'el.val_fraction'"),
    (lambda c: c["el"].update(label_levels={"functional": [0], "defective": [4]}),
     "config key 'el.label_levels.defective.0'"),
    (lambda c: c["el"].update(labels_csv="/nonexistent/labels.csv"), "file /nonexistent/labels.csv does not exist"),
])
def test_bad_configs_are_rejected_with_the_key_named(mutate, fragment):
    cfg = _base()
    mutate(cfg)
    with pytest.raises(ConfigError) as err:
        validate_config(cfg)
    assert fragment in str(err.value)


def test_every_schema_property_is_described():
    """CONVENTIONS: every key is in the schema with a description."""
    schemas = Path(REPO / "workflow" / "schemas").glob("*.schema.yaml")

    def walk(node, where):
        for key, sub in node.get("properties", {}).items():
            if "$ref" in sub:
                continue
            assert sub.get("description"), f"{where}.{key} has no description"
            walk(sub, f"{where}.{key}")

    for path in schemas:
        walk(yaml.safe_load(path.read_text()), path.name)


@pytest.mark.slow
def test_snakemake_refuses_a_bad_config_before_running_anything(tmp_path):
    proc = run_snakemake(tmp_path, "-n", "--config", "seed=-1", check=False)
    assert proc.returncode != 0
    assert "minimum of 0" in proc.stdout + proc.stderr
    assert not (tmp_path / "results").exists()


def test_a_missing_path_is_named_unless_only_values_are_read(tmp_path, monkeypatch):
    """The paper profile is read in every run for its values (comparability), from any working folder."""
    monkeypatch.chdir(tmp_path)
    paper = REPO / "config" / "paper.yaml"
    with pytest.raises(ConfigError, match="config key 'el.precomputed': directory published/gpu/el does not exist"):
        load_config(paper)
    assert load_config(paper, paths=False)["el"]["precomputed"] == "published/gpu/el"
