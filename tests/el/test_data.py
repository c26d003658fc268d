"""In-memory augmentation equals transforming the cell before resizing (up to PIL's rounding), and the
materialised tensors follow the image list."""

import numpy as np
import pandas as pd
import pytest

from energyrepro.el.augment import TRANSFORMS, apply_transform, build_protocol
from energyrepro.el.data import images_digest, materialise, resize


def test_resize_commutes_with_the_square_symmetries():
    cell = np.random.default_rng(0).integers(0, 256, (300, 300), dtype=np.uint8)
    for size in (64, 224):
        for name in TRANSFORMS:
            a = resize(apply_transform(cell, name), size).astype(int)
            b = apply_transform(resize(cell, size), name).astype(int)
            assert np.abs(a - b).max() <= 1, (size, name)  # one grey level: PIL's two resampling passes
            if name in ("identity", "flip_lr", "flip_ud", "rot180"):
                assert np.array_equal(a, b)


def test_materialise_follows_the_image_list():
    rng = np.random.default_rng(1)
    cells = rng.integers(0, 256, (4, 8, 8), dtype=np.uint8)
    originals = pd.DataFrame({"id": ["a", "b", "c", "d"], "label": [0, 0, 1, 1], "type": "poly"})
    images = build_protocol(originals, "paper", 6, 0.5, np.random.default_rng(0))
    x, y = materialise(cells, originals["id"].tolist(), images, "train")
    rows = images[images.split == "train"]
    assert x.shape == (len(rows), 1, 8, 8) and x.dtype.is_floating_point is False
    for k, r in enumerate(rows.itertuples()):
        assert np.array_equal(x[k, 0].numpy(), apply_transform(cells["abcd".index(r.source_id)], r.transform))
        assert int(y[k]) == r.label
    assert images_digest(images) != images_digest(images.assign(split=images.split[::-1].to_numpy()))
    with pytest.raises(Exception, match="not loaded"):
        materialise(cells[:2], ["a", "b"], images, "train")
