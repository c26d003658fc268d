"""Augmentation keeps labels and shapes, is deterministic by seed, differs per training seed, and the clean
split shares no cell."""

import numpy as np
import pandas as pd
import pytest

from energyrepro.el.augment import (
    AUGMENTS,
    IMAGE_COLUMNS,
    TRANSFORMS,
    apply_transform,
    augment_to,
    build_protocol,
    protocol_images,
    select_originals,
)


def _cells(n_per_class: int = 12) -> pd.DataFrame:
    ids = [f"c{i:03d}" for i in range(2 * n_per_class)]
    return pd.DataFrame({"id": ids, "file": [f"cells/{i}.png" for i in ids], "probability": 0.0,
                         "type": "mono", "label": [0] * n_per_class + [1] * n_per_class, "sha256": ""})


def test_transforms_are_the_eight_distinct_square_symmetries():
    a = np.arange(300 * 300, dtype=np.int64).reshape(300, 300)
    outs = [apply_transform(a, t) for t in TRANSFORMS]
    assert all(o.shape == a.shape for o in outs)
    assert len({o.tobytes() for o in outs}) == 8  # all different
    assert all(sorted(o.ravel()) == sorted(a.ravel()) for o in outs[:2])  # permutations of the pixels
    with pytest.raises(ValueError, match="unknown transform"):
        apply_transform(a, "shear")


def test_augment_reaches_balanced_size_with_distinct_copies():
    cells = _cells(12)
    out = augment_to(cells, 50, np.random.default_rng(1))
    assert out.groupby("label").size().to_dict() == {0: 50, 1: 50}
    assert not out["id"].duplicated().any()  # no (cell, transform) twice
    assert (out[out["transform"] == "identity"]["source_id"].sort_values().to_list() == cells["id"].to_list())
    label_of = cells.set_index("id")["label"]
    assert (out["label"] == out["source_id"].map(label_of)).all()  # labels kept
    per_cell = out.groupby("source_id").size()
    assert per_cell.max() - per_cell.min() <= 1  # copies spread evenly
    with pytest.raises(ValueError, match="cannot reach"):
        augment_to(cells, 12 * (1 + len(AUGMENTS)) + 1, np.random.default_rng(1))


def test_paper_scale_numbers():
    """392 originals -> 2,456 images, 1,964 train / 492 val (paper sections 3.1 and 6)."""
    originals = select_originals(_cells(250), 196, 0)
    images = build_protocol(originals, "paper", 1228, 0.2, np.random.default_rng(0))
    assert len(originals) == 392 and len(images) == 2456
    assert images["split"].value_counts().to_dict() == {"train": 1964, "val": 492}
    assert images.groupby(["split", "label"]).size().to_dict() == {
        ("train", 0): 982, ("train", 1): 982, ("val", 0): 246, ("val", 1): 246}


def test_deterministic_by_seed():
    originals = select_originals(_cells(30), 20, 5)
    a = build_protocol(originals, "paper", 60, 0.2, np.random.default_rng(7))
    b = build_protocol(originals, "paper", 60, 0.2, np.random.default_rng(7))
    c = build_protocol(originals, "paper", 60, 0.2, np.random.default_rng(8))
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(c)


def test_clean_split_shares_no_source_cell_and_validates_on_real_cells():
    originals = select_originals(_cells(30), 20, 5)
    images = build_protocol(originals, "clean", 60, 0.2, np.random.default_rng(3))
    train, val = images[images["split"] == "train"], images[images["split"] == "val"]
    assert not set(train["source_id"]) & set(val["source_id"])
    assert (val["transform"] == "identity").all()
    assert val.groupby("label").size().to_dict() == {0: 4, 1: 4}
    assert train.groupby("label").size().to_dict() == {0: 48, 1: 48}
    paper = build_protocol(originals, "paper", 60, 0.2, np.random.default_rng(3))
    leaked = set(paper[paper["split"] == "train"]["source_id"]) & set(paper[paper["split"] == "val"]["source_id"])
    assert leaked  # the paper protocol does leak cells across the split (why `clean` exists)


def test_select_originals_refuses_too_few_cells():
    with pytest.raises(ValueError, match="el.originals_per_class=13"):
        select_originals(_cells(12), 13, 0)


def test_originals_fixed_by_config_seed_split_resampled_per_training_seed():
    cells = _cells(30)
    originals = select_originals(cells, 20, 42)
    pd.testing.assert_frame_equal(originals, select_originals(cells, 20, 42))
    assert not originals.equals(select_originals(cells, 20, 43))
    rep0, rep1 = (protocol_images(originals, "clean", rep, 60, 0.2, 42) for rep in (0, 1))
    assert list(rep0.columns) == IMAGE_COLUMNS
    pd.testing.assert_frame_equal(rep0, protocol_images(originals, "clean", 0, 60, 0.2, 42))
    val0 = set(rep0[rep0.split == "val"].source_id)
    assert val0 != set(rep1[rep1.split == "val"].source_id)  # another split of the same originals
    assert set(rep0.source_id) == set(rep1.source_id) == set(originals.id)
