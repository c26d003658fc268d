"""The input pipeline: decode and resize each image once, then build normalised batches from memory.

Decoding 300x300 PNGs every epoch would dominate a CPU run; the resized uint8 set (2,456 x 224 x 224
= 123 MB at paper scale) fits in memory, so an epoch only indexes, scales and normalises tensors.
Grayscale is replicated to AlexNet's 3 channels and normalised with the ImageNet statistics.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from PIL import Image

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


def load_split(manifest: pd.DataFrame, root: str | os.PathLike, split: str,
               size: int) -> tuple[torch.Tensor, torch.Tensor]:
    """uint8 images ``[n, 1, size, size]`` and int64 labels of one split, resized (bilinear, antialiased)."""
    from energyrepro.el.ingest import DataError

    rows = manifest[manifest["split"] == split]
    if rows.empty:
        raise DataError(f"manifest has no '{split}' images")
    out = np.empty((len(rows), 1, size, size), dtype=np.uint8)
    for i, f in enumerate(rows["file"]):
        path = Path(root) / f
        if not path.is_file():
            raise DataError(f"augmented image missing: {path}")
        with Image.open(path) as im:
            out[i, 0] = np.asarray(im.convert("L").resize((size, size), Image.BILINEAR))
    return torch.from_numpy(out), torch.as_tensor(rows["label"].to_numpy(), dtype=torch.int64)


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
