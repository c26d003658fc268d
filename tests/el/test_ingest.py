"""Ingest: cells are selected by type and label certainty, copied byte for byte; missing or corrupt images fail
naming the file; the input digest changes with any cell."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from energyrepro.el.ingest import (
    DataError,
    cell_counts,
    data_digest,
    elpv_labels_path,
    ingest_cells,
    label_level,
    load_cell,
    read_labels,
    select_cells,
    sha256_of,
)

PAPER_LEVELS = {"functional": [0], "defective": [3]}


def _fake_elpv(root: Path, n: int = 8) -> Path:
    """A labels.csv + images/ folder laid out like the elpv-dataset package: levels 0-3 cycle, types alternate."""
    (root / "images").mkdir(parents=True)
    rng = np.random.default_rng(0)
    lines = []
    for i in range(n):
        Image.fromarray(rng.integers(0, 256, (300, 300), dtype=np.uint8)).save(root / "images" / f"cell{i:04d}.png")
        lines.append(f"images/cell{i:04d}.png {[0.0, 1 / 3, 2 / 3, 1.0][i % 4]} {'mono' if i % 2 else 'poly'}")
    (root / "labels.csv").write_text("\n".join(lines) + "\n")
    return root / "labels.csv"


def test_selection_by_type_and_level():
    labels = pd.DataFrame({"id": list("abcdefgh"), "source": "x", "type": ["poly", "mono"] * 4,
                           "probability": [0, 0, 1 / 3, 1 / 3, 2 / 3, 2 / 3, 1, 1]})
    assert list(label_level(labels["probability"])) == [0, 0, 1, 1, 2, 2, 3, 3]
    paper = select_cells(labels, ["poly"], PAPER_LEVELS)
    assert list(paper["id"]) == ["a", "g"] and list(paper["label"]) == [0, 1]
    loose = select_cells(labels, ["mono", "poly"], {"functional": [0, 1], "defective": [2, 3]})
    assert list(loose["label"]) == [0, 0, 0, 0, 1, 1, 1, 1]  # the old p >= 0.5 rule
    with pytest.raises(ValueError, match="both classes"):
        select_cells(labels, ["poly"], {"functional": [0, 1], "defective": [1, 3]})


def test_counts_of_the_real_elpv_set():
    """The numbers docs/el.md quotes: ELPV has 920 surely functional and 402 surely defective poly cells."""
    labels = read_labels(elpv_labels_path())
    counts = cell_counts(labels, select_cells(labels, ["poly"], PAPER_LEVELS)).set_index(["type", "level"])
    assert counts["cells"].sum() == 2624
    assert counts.loc[("poly", 0), "selected"] == 920 and counts.loc[("poly", 3), "selected"] == 402
    assert counts.loc[("poly", 0), "class"] == "functional" and counts.loc[("poly", 1), "class"] == "left out"
    assert counts["selected"].sum() == 920 + 402  # mono and uncertain cells left out


def test_ingest_copies_selected_cells(tmp_path):
    labels_csv = _fake_elpv(tmp_path / "elpv")
    cells = select_cells(read_labels(labels_csv), ["poly", "mono"], PAPER_LEVELS)
    manifest = ingest_cells(cells, labels_csv.parent, tmp_path / "out" / "cells")
    assert list(manifest["label"]) == [0, 1, 0, 1]  # cells 0, 3, 4, 7: levels 0, 3, 0, 3
    for r in manifest.itertuples():
        src = labels_csv.parent / "images" / f"{r.id}.png"
        assert r.sha256 == sha256_of(tmp_path / "out" / r.file) == sha256_of(src)
        assert np.array_equal(load_cell(tmp_path / "out" / r.file), load_cell(src))
    digest = data_digest(manifest)
    assert digest == data_digest(manifest.copy())
    assert digest != data_digest(manifest.assign(sha256=manifest["sha256"].str.replace("a", "b")))
    assert digest != data_digest(manifest.assign(label=1 - manifest["label"]))


def test_missing_image_names_the_file(tmp_path):
    labels_csv = _fake_elpv(tmp_path / "elpv")
    (labels_csv.parent / "images" / "cell0004.png").unlink()
    with pytest.raises(DataError, match="missing.*cell0004.png"):
        ingest_cells(select_cells(read_labels(labels_csv), ["poly"], PAPER_LEVELS), labels_csv.parent, tmp_path / "o")


def test_corrupt_image_names_the_file(tmp_path):
    labels_csv = _fake_elpv(tmp_path / "elpv")
    bad = labels_csv.parent / "images" / "cell0003.png"
    bad.write_bytes(bad.read_bytes()[:200])  # truncated PNG
    with pytest.raises(DataError, match="corrupt.*cell0003.png"):
        ingest_cells(select_cells(read_labels(labels_csv), ["mono"], PAPER_LEVELS), labels_csv.parent, tmp_path / "o")


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
