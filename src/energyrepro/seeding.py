"""One place that turns the config's seed into reproducible random state."""

from __future__ import annotations

import random
import zlib

import numpy as np


def derive_seed(base: int, *labels: object) -> int:
    """A stable 31-bit seed for a sub-task, e.g. ``derive_seed(seed, "el", "lr=0.01")``.

    Uses CRC32 of the labels (not Python's salted ``hash``) so it is identical across processes.
    """
    text = "/".join(str(x) for x in labels)
    return (int(base) * 1_000_003 + zlib.crc32(text.encode())) % (2**31 - 1)


def seed_everything(seed: int) -> np.random.Generator:
    """Seed Python, NumPy and (if imported) torch; return a NumPy Generator for explicit use."""
    random.seed(seed)
    np.random.seed(seed % (2**32))
    try:
        import torch
    except ImportError:  # torch is a dependency, but pure-numpy studies need not import it
        pass
    else:
        torch.manual_seed(seed)
        torch.use_deterministic_algorithms(True, warn_only=True)
    return np.random.default_rng(seed)
