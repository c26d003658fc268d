"""What a training job reads (its params slice) and the seeds it trains."""

from energyrepro.config import load_config
from energyrepro.relay.training import seeds_of, training_slice


def test_training_slice_holds_only_what_the_job_reads():
    cfg = load_config("config/config.yaml")["relay"]
    ann1, ann3 = training_slice(cfg, "ann1"), training_slice(cfg, "ann3")
    assert set(ann1) == {"val_frac", "seeds", "nets", "datasets", "n_normal"}
    assert set(ann3) == {"val_frac", "seeds", "nets", "datasets"}  # normal windows belong to detection only
    assert list(ann3["nets"]) == ["ann3"] and list(ann3["datasets"]) == ["ann3"]


def test_seeds_differ_per_network_and_repetition_and_follow_the_pipeline_seed():
    a, b = seeds_of(42, "ann1", 3), seeds_of(42, "ann2", 3)
    assert len(set(a)) == 3 and not set(a) & set(b)
    assert seeds_of(42, "ann1", 2) == a[:2] and seeds_of(7, "ann1", 3) != a
