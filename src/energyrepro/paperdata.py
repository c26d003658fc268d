"""The one way every study loads its paper's reference values and settings (``<study>/data/paper.yaml``).

Each value in those files cites the paper's table or section; code never holds a paper number.
"""

from __future__ import annotations

import copy
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml


@lru_cache(maxsize=None)
def _read(path: str) -> dict:
    p = Path(path)
    if not p.exists():
        raise FileNotFoundError(f"paper reference file {p} is missing (it ships with the package)")
    data = yaml.safe_load(p.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"paper reference file {p} must hold a mapping, not {type(data).__name__}")
    return data


def load_paper(path: str | os.PathLike) -> dict[str, Any]:
    """The parsed YAML at ``path`` (a private copy: callers may modify it)."""
    return copy.deepcopy(_read(str(Path(path).resolve())))
