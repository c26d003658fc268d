"""Ingest: real ELPV cells are copied byte for byte; missing or corrupt images fail naming the file."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from energyrepro.el.ingest import DataError, binary_label, ingest_cells, load_cell, read_labels, sha256_of


def _fake_elpv(root: Path, n: int = 4) -> Path:
    """A labels.csv + images/ folder laid out like the elpv-dataset package."""
    (root / "images").mkdir(parents=True)
    rng = np.random.default_rng(0)
    lines = []
    for i in range(n):
        Image.fromarray(rng.integers(0, 256, (300, 300), dtype=np.uint8)).save(root / "images" / f"cell{i:04d}.png")
        lines.append(f"images/cell{i:04d}.png {[0.0, 1 / 3, 2 / 3, 1.0][i % 4]} {'mono' if i % 2 else 'poly'}")
    (root / "labels.csv").write_text("\n".join(lines) + "\n")
    return root / "labels.csv"


def test_ingest_copies_cells_and_labels_by_threshold(tmp_path):
    labels_csv = _fake_elpv(tmp_path / "elpv")
    manifest = ingest_cells(read_labels(labels_csv), labels_csv.parent, tmp_path / "out" / "cells", 0.5)
    assert list(manifest["label"]) == [0, 0, 1, 1]  # p in {0, 1/3} functional, {2/3, 1} defective
    for r in manifest.itertuples():
        src = labels_csv.parent / "images" / f"{r.id}.png"
        assert r.sha256 == sha256_of(tmp_path / "out" / r.file) == sha256_of(src)
        assert np.array_equal(load_cell(tmp_path / "out" / r.file), load_cell(src))


def test_threshold_is_inclusive():
    assert list(binary_label(pd.Series([0.0, 1 / 3, 0.5, 2 / 3, 1.0]), 0.5)) == [0, 0, 1, 1, 1]


def test_missing_image_names_the_file(tmp_path):
    labels_csv = _fake_elpv(tmp_path / "elpv")
    (labels_csv.parent / "images" / "cell0002.png").unlink()
    with pytest.raises(DataError, match="missing.*cell0002.png"):
        ingest_cells(read_labels(labels_csv), labels_csv.parent, tmp_path / "out", 0.5)


def test_corrupt_image_names_the_file(tmp_path):
    labels_csv = _fake_elpv(tmp_path / "elpv")
    bad = labels_csv.parent / "images" / "cell0001.png"
    bad.write_bytes(bad.read_bytes()[:200])  # truncated PNG
    with pytest.raises(DataError, match="corrupt.*cell0001.png"):
        ingest_cells(read_labels(labels_csv), labels_csv.parent, tmp_path / "out", 0.5)


def test_wrong_shape_and_bad_labels_fail(tmp_path):
    labels_csv = _fake_elpv(tmp_path / "elpv")
    Image.fromarray(np.zeros((10, 10), np.uint8)).save(labels_csv.parent / "images" / "cell0000.png")
    with pytest.raises(DataError, match="cell0000.png has shape"):
        load_cell(labels_csv.parent / "images" / "cell0000.png")
    labels_csv.write_text("images/cell0000.png 0.4 mono\n")
    with pytest.raises(DataError, match="unexpected defect probabilities"):
        read_labels(labels_csv)
    with pytest.raises(DataError, match="labels file not found"):
        read_labels(tmp_path / "nope.csv")
