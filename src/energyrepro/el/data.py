"""The input pipeline: decode and resize each original cell once, make the augmented images in memory,
then build normalised batches from memory.

Only the originals are decoded (392 at paper scale, 20 MB of uint8 at 224 px); every image of an image list
is a flip/rotation of its resized source cell. The eight symmetries of the square commute with PIL's
symmetric bilinear resampling of a square image, exactly for flips and rotation by 180 degrees and up to one
grey level for the transposing ones (PIL's two resampling passes round in a fixed order), so resize-then-
transform equals the transform-then-resize of writing augmented PNGs. Grayscale is replicated to AlexNet's
3 channels and normalised with the ImageNet statistics.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from PIL import Image

from energyrepro.el.augment import apply_transform

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


def resize(cell: np.ndarray, size: int) -> np.ndarray:
    """A uint8 cell resized to ``size`` x ``size`` (bilinear, antialiased)."""
    return np.asarray(Image.fromarray(cell).resize((size, size), Image.BILINEAR))


def load_cells(manifest: pd.DataFrame, root: str | os.PathLike, size: int) -> np.ndarray:
    """The manifest's cells as uint8 ``[n, size, size]`` in manifest order, each decoded and resized once."""
    from energyrepro.el.ingest import load_cell

    out = np.empty((len(manifest), size, size), dtype=np.uint8)
    for i, f in enumerate(manifest["file"]):
        out[i] = resize(load_cell(Path(root) / f), size)
    return out


def materialise(cells: np.ndarray, cell_ids: list[str], images: pd.DataFrame,
                split: str) -> tuple[torch.Tensor, torch.Tensor]:
    """uint8 images ``[m, 1, size, size]`` and int64 labels of one split of an image list."""
    from energyrepro.el.ingest import DataError

    rows = images[images["split"] == split]
    if rows.empty:
        raise DataError(f"image list has no '{split}' images")
    index = {cid: i for i, cid in enumerate(cell_ids)}
    missing = sorted(set(rows["source_id"]) - set(index))
    if missing:
        raise DataError(f"image list names cells that were not loaded: {missing[:5]}")
    x = np.stack([apply_transform(cells[index[s]], t) for s, t in zip(rows["source_id"], rows["transform"])])
    return torch.from_numpy(x[:, None]), torch.as_tensor(rows["label"].to_numpy(), dtype=torch.int64)


def images_digest(images: pd.DataFrame) -> str:
    """SHA-256 (16 hex digits) of an image list (which copies of which cells, on which side of the split)."""
    text = images[["id", "label", "split"]].to_csv(index=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class Normalise:
    """uint8 ``[b, 1, h, w]`` -> float ``[b, 3, h, w]`` with ImageNet mean/std, on ``device``."""

    def __init__(self, device: str | torch.device = "cpu"):
        self.mean = torch.tensor(IMAGENET_MEAN, device=device).view(1, 3, 1, 1)
        self.std = torch.tensor(IMAGENET_STD, device=device).view(1, 3, 1, 1)

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        x = x.to(self.mean.device, non_blocking=True).float().div_(255.0).expand(-1, 3, -1, -1)
        return (x - self.mean) / self.std


def epoch_order(n: int, seed: int) -> torch.Tensor:
    """The shuffled order of one epoch, a function of (seed, epoch) only: epoch k of a long run sees
    the same order as epoch k of a short one (what makes per-epoch checkpoints equal to separate runs)."""
    g = torch.Generator().manual_seed(int(seed))
    return torch.randperm(n, generator=g)
