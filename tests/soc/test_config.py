"""The soc config section: all three profiles validate; bad values are rejected with the key named."""

import pytest

from energyrepro.config import ConfigError, load_config


@pytest.mark.parametrize("name", ["config", "paper", "test"])
def test_profiles_validate_and_heldout_cycles_are_unseen(name):
    soc = load_config(f"config/{name}.yaml")["soc"]
    cycles = set(soc["simulate"]["cycles"])
    for d in ("d1", "d2"):
        assert set(soc["datasets"][d]["cycles"]) <= cycles
        assert not set(soc["datasets"][d]["cycles"]) & set(soc["heldout_cycles"])
    assert set(soc["heldout_cycles"]) <= cycles


@pytest.mark.parametrize("bad, key", [({"models": ["gru"]}, "soc.models.0"),
                                      ({"simulate": {"model": "P2D"}}, "soc.simulate.model"),
                                      ({"lg_hg2": {"path": "/no/such/dir"}}, "soc.lg_hg2.path"),
                                      ({"train": {"lr": 0}}, "soc.train.lr")])
def test_bad_values_name_the_key(bad, key):
    with pytest.raises(ConfigError, match=key.replace(".", r"\.")):
        load_config("config/test.yaml", overrides={"soc": bad})


def test_cycle_names_checked():
    from energyrepro.soc.paths import check_cycle_names

    soc = load_config("config/test.yaml")["soc"]
    check_cycle_names(soc)
    soc["datasets"]["d2"]["cycles"].append("pulse_25")
    soc["heldout_cycles"].append("wltc_5")
    with pytest.raises(ValueError, match="'pulse_25' is also in soc.datasets.d2") as err:
        check_cycle_names(soc)
    assert "unknown cycle 'wltc_5'" in str(err.value)


def test_a_training_job_reads_its_own_dataset_and_no_data_keys():
    from energyrepro.soc.paths import train_slice

    soc = load_config("config/paper.yaml")["soc"]
    cfg = train_slice(soc, "d1")
    assert set(cfg["datasets"]) == {"d1"} and "simulate" not in cfg and "lg_hg2" not in cfg
    assert cfg["train"] == soc["train"] and cfg["tuned"] == soc["tuned"]
