"""Ingest the real ELPV cells (Deitsch et al. 2019): select the cells the study trains on, check them.

The `elpv-dataset` package ships 2,624 grayscale 300x300 PNG cells and ``labels.csv`` (path, defect
probability in {0, 1/3, 2/3, 1}, cell type mono/poly). The probability is the annotators' certainty that
the cell is defective; we call 3p its *level* (0 = surely functional, 1 = possibly defective, 2 = probably
defective, 3 = surely defective). The paper's cells are multi-crystalline (= ELPV's poly) and labelled
broken / non-broken without shades, so the paper profile keeps poly cells of levels 0 and 3 only
(``el.cell_types``, ``el.label_levels``). Every image used is opened and checked, so a missing or
corrupt file fails the ingest with its name, not a later epoch.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
from PIL import Image, UnidentifiedImageError

CELL_SHAPE = (300, 300)
MANIFEST_COLUMNS = ["id", "file", "probability", "type", "label", "sha256"]


class DataError(RuntimeError):
    """Raw data that is missing or corrupt; the message names the file."""


def elpv_labels_path() -> Path:
    """labels.csv of the installed `elpv-dataset` package (no download: the images ship in the wheel)."""
    import elpv_dataset

    return Path(elpv_dataset.__file__).parent / "data" / "labels.csv"


def read_labels(labels_csv: str | os.PathLike) -> pd.DataFrame:
    """ELPV labels as a frame: id, source (path relative to the CSV), probability, type."""
    path = Path(labels_csv)
    if not path.is_file():
        raise DataError(f"ELPV labels file not found: {path}")
    df = pd.read_csv(path, sep=r"\s+", header=None, names=["source", "probability", "type"])
    bad = ~np.isclose(df["probability"].to_numpy()[:, None], [0, 1 / 3, 2 / 3, 1]).any(axis=1)
    if bad.any():
        raise DataError(f"{path}: unexpected defect probabilities in rows {list(df.index[bad][:5])}")
    if not df["type"].isin(["mono", "poly"]).all():
        raise DataError(f"{path}: cell type must be mono or poly")
    df.insert(0, "id", df["source"].map(lambda s: Path(s).stem))
    return df


def label_level(probability: pd.Series | np.ndarray) -> np.ndarray:
    """The annotation level 3p in {0, 1, 2, 3} of ELPV's defect probability p in {0, 1/3, 2/3, 1}."""
    return np.rint(3 * np.asarray(probability, dtype=float)).astype(np.int64)


def select_cells(labels: pd.DataFrame, cell_types: list[str], label_levels: dict[str, list[int]]) -> pd.DataFrame:
    """The cells of the chosen types whose level is listed for a class, with ``label`` 1 = defective,
    0 = functional; cells of unlisted levels are left out (e.g. the uncertain 1/3 and 2/3 ones)."""
    functional, defective = set(label_levels["functional"]), set(label_levels["defective"])
    if functional & defective:
        raise ValueError(f"el.label_levels: levels {sorted(functional & defective)} are listed for both classes")
    level = label_level(labels["probability"])
    keep = labels["type"].isin(cell_types).to_numpy() & np.isin(level, sorted(functional | defective))
    out = labels[keep].copy()
    out["label"] = np.isin(level[keep], sorted(defective)).astype(np.int64)
    return out.reset_index(drop=True)


def cell_counts(labels: pd.DataFrame, selected: pd.DataFrame) -> pd.DataFrame:
    """ELPV cells per (type, level) and how many of them the selection keeps, with the class they get."""
    counts = (labels.assign(level=label_level(labels["probability"]))
              .groupby(["type", "level"]).size().rename("cells").reset_index())
    kept = (selected.assign(level=label_level(selected["probability"]))
            .groupby(["type", "level"])["label"].agg(["size", "first"]).reset_index())
    out = counts.merge(kept, on=["type", "level"], how="left")
    out["selected"] = out["size"].fillna(0).astype(int)
    out["class"] = out["first"].map({0: "functional", 1: "defective"}).fillna("left out")
    out.insert(2, "probability", (out["level"] / 3).round(4))
    return out[["type", "level", "probability", "cells", "selected", "class"]]


def load_cell(path: str | os.PathLike) -> np.ndarray:
    """Read one cell as a uint8 300x300 array; raise DataError naming the file if it is unusable."""
    path = Path(path)
    if not path.is_file():
        raise DataError(f"ELPV image missing: {path}")
    try:
        with Image.open(path) as im:
            im.load()
            arr = np.asarray(im.convert("L"))
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise DataError(f"ELPV image corrupt or unreadable: {path} ({exc})") from exc
    if arr.shape != CELL_SHAPE:
        raise DataError(f"ELPV image {path} has shape {arr.shape}, expected {CELL_SHAPE}")
    return arr


def _is_gray_png(path: Path) -> bool:
    with Image.open(path) as im:
        return im.format == "PNG" and im.mode == "L"


def sha256_of(path: str | os.PathLike) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def ingest_cells(cells: pd.DataFrame, source_root: str | os.PathLike, out_dir: str | os.PathLike) -> pd.DataFrame:
    """Check and copy each selected cell (``label`` given) to ``out_dir/<id>.png``; return the manifest
    (paths relative to out_dir's parent)."""
    from energyrepro.io import atomic_path

    source_root, out_dir = Path(source_root), Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = []
    for r in cells.itertuples(index=False):
        src = source_root / r.source
        arr = load_cell(src)
        dst = out_dir / f"{r.id}.png"
        with atomic_path(dst) as tmp:
            if _is_gray_png(src):  # already what we want: copy the bytes (re-encoding costs 10x the check)
                shutil.copyfile(src, tmp)
            else:
                Image.fromarray(arr).save(tmp, format="PNG")
        rows.append({"id": r.id, "file": f"{out_dir.name}/{dst.name}", "probability": float(r.probability),
                     "type": r.type, "label": int(r.label), "sha256": sha256_of(dst)})
    return pd.DataFrame(rows, columns=MANIFEST_COLUMNS)


def data_digest(manifest: pd.DataFrame) -> str:
    """SHA-256 (16 hex digits) of the cells a run draws from: ids, image hashes and labels, in order.
    Equal digests mean equal training inputs (what a precomputed result is checked against)."""
    text = "\n".join(f"{r.id},{r.sha256},{int(r.label)}" for r in manifest.itertuples(index=False))
    return hashlib.sha256(text.encode()).hexdigest()[:16]
