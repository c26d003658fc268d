"""The one config loader: YAML + the JSON schema in workflow/schemas (defaults filled, clear errors).

Snakemake validates with the same schema files in the Snakefile; this module gives scripts and tests
the same validation without Snakemake, plus the checks a schema cannot express (paths that must exist).
Path-valued keys are marked ``x-path: true`` in the schema; ``x-path: dir`` asks for a directory.
"""

from __future__ import annotations

import copy
import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
SCHEMA_DIR = REPO_ROOT / "workflow" / "schemas"
TOP_SCHEMA = "config.schema.yaml"


class ConfigError(ValueError):
    """A config that must not run; the message names the key and what is allowed."""


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load_yaml(path: Path) -> Any:
    with open(path, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=_LOADER)


@lru_cache(maxsize=None)
def _schema(name: str) -> Mapping[str, Any]:
    """A schema file, parsed once per process (every Snakemake start and job validates a config)."""
    return _load_yaml(SCHEMA_DIR / name)


def _resolve(schema: Mapping[str, Any]) -> Mapping[str, Any]:
    ref = schema.get("$ref")
    return _schema(ref) if ref else schema


def _validator():
    import jsonschema
    from referencing import Registry, Resource

    def retrieve(uri: str):
        return Resource.from_contents(_schema(Path(uri).name))

    top = _schema(TOP_SCHEMA)
    cls = jsonschema.validators.validator_for(top)
    return cls(top, registry=Registry(retrieve=retrieve))


def _fill_defaults(cfg: dict, schema: Mapping[str, Any]) -> None:
    schema = _resolve(schema)
    for key, sub in schema.get("properties", {}).items():
        sub = _resolve(sub)
        if key not in cfg and "default" in sub:
            cfg[key] = copy.deepcopy(sub["default"])
        if isinstance(cfg.get(key), dict) and sub.get("type") == "object":
            _fill_defaults(cfg[key], sub)


def _describe(err) -> str:
    key = ".".join(str(p) for p in err.absolute_path) or "<top level>"
    allowed = ""
    if err.validator == "enum":
        allowed = f" (allowed: {', '.join(map(str, err.validator_value))})"
    elif err.validator == "additionalProperties":
        props = sorted(_resolve(err.schema).get("properties", {}))
        allowed = f" (known keys here: {', '.join(props)})"
    return f"config key '{key}': {err.message}{allowed}"


def validate_config(cfg: Mapping[str, Any], paths: bool = True) -> dict:
    """Return ``cfg`` with schema defaults filled in; raise ConfigError listing every violation.

    ``paths=False`` skips the existence check of path keys (for a config read only for its values).
    """
    out = copy.deepcopy(dict(cfg))
    _fill_defaults(out, _schema(TOP_SCHEMA))
    errors = sorted(_validator().iter_errors(out), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        raise ConfigError("invalid config:\n  " + "\n  ".join(_describe(e) for e in errors))
    if paths:
        check_paths(out)
    return out


def _path_keys(cfg: Mapping[str, Any], schema: Mapping[str, Any], prefix: str = ""):
    schema = _resolve(schema)
    for key, sub in schema.get("properties", {}).items():
        sub = _resolve(sub)
        if key not in cfg:
            continue
        if sub.get("x-path"):
            yield f"{prefix}{key}", cfg[key], sub["x-path"]
        elif isinstance(cfg[key], Mapping):
            yield from _path_keys(cfg[key], sub, f"{prefix}{key}.")


def check_paths(cfg: Mapping[str, Any]) -> None:
    """Every non-null ``x-path`` key must name an existing file (or directory for ``x-path: dir``)."""
    problems = []
    for key, value, kind in _path_keys(cfg, _schema(TOP_SCHEMA)):
        if value in (None, "", "auto", "none"):
            continue
        p = Path(os.path.expanduser(str(value)))
        if kind == "dir" and not p.is_dir():
            problems.append(f"config key '{key}': directory {p} does not exist")
        elif kind != "dir" and not p.exists():
            problems.append(f"config key '{key}': file {p} does not exist")
    if problems:
        raise ConfigError("invalid config:\n  " + "\n  ".join(problems))


def load_config(path: str | os.PathLike = REPO_ROOT / "config" / "config.yaml",
                overrides: Mapping[str, Any] | None = None, paths: bool = True) -> dict:
    """Read a YAML config, apply top-level ``overrides`` (as ``--config`` would), validate it."""
    cfg = _load_yaml(Path(path)) or {}
    cfg.update(overrides or {})
    return validate_config(cfg, paths)
