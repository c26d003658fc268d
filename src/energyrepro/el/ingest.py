"""Ingest the real ELPV cells (Deitsch et al. 2019) into a checked manifest.

The `elpv-dataset` package ships 2,624 grayscale 300x300 PNG cells and ``labels.csv``
(path, defect probability in {0, 1/3, 2/3, 1}, type mono/poly). Every image is opened and
checked here, so a missing or corrupt file fails the ingest with its name, not a later epoch.
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


def binary_label(probability: pd.Series | np.ndarray, threshold: float) -> np.ndarray:
    """1 = defective (p >= threshold, the paper's rule), 0 = functional."""
    return (np.asarray(probability, dtype=float) >= threshold - 1e-9).astype(np.int64)


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


def ingest_cells(labels: pd.DataFrame, source_root: str | os.PathLike, out_dir: str | os.PathLike,
                 threshold: float) -> pd.DataFrame:
    """Check and copy each cell to ``out_dir/<id>.png``; return the manifest (paths relative to out_dir's parent)."""
    from energyrepro.io import atomic_path

    source_root, out_dir = Path(source_root), Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = []
    for r in labels.itertuples(index=False):
        src = source_root / r.source
        arr = load_cell(src)
        dst = out_dir / f"{r.id}.png"
        with atomic_path(dst) as tmp:
            if _is_gray_png(src):  # already what we want: copy the bytes (re-encoding costs 10x the check)
                shutil.copyfile(src, tmp)
            else:
                Image.fromarray(arr).save(tmp, format="PNG")
        rows.append({"id": r.id, "file": f"{out_dir.name}/{dst.name}", "probability": float(r.probability),
                     "type": r.type, "sha256": sha256_of(dst)})
    manifest = pd.DataFrame(rows)
    manifest["label"] = binary_label(manifest["probability"], threshold)
    return manifest[MANIFEST_COLUMNS]
