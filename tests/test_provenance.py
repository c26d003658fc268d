"""Provenance you can trust (issue 12): every config value a job reads reaches it as a rule param, so a changed
setting re-runs exactly the jobs that depend on it; profiles never share outputs; selecting studies loses nothing.

The property test perturbs every leaf key of every study's section of config/test.yaml (plus ``seed`` and
``device``), generated from the config and the schemas, never from a hand-kept list. One dry run per key would
cost minutes, so keys of *different* studies share a dry run: a job of rule ``<s>_*`` can only come from the key
of study ``s`` once a first round has shown that no study's jobs depend on another study's section (each
section perturbed as a whole, one dry run per study). A shared dry run that schedules jobs of a study it did
not perturb, or fails, falls back to one dry run per key.
"""

from __future__ import annotations

import ast
import contextlib
import copy
import functools
import itertools
import json
import os
import re
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Iterator

import pandas as pd
import pytest
import yaml
from conftest import (
    REPO,
    copy_run,
    results_dir,
    run_snakemake,
    scheduled_jobs,
    selected_studies,
    snakemake_cmd,
    snakemake_env,
)

# ---------------------------------------------------------------------------------------------------------------
# (a) No script or package code reads Snakemake's global config.

_JOB_OBJECT_ARGS = {"sm", "snakemake", "smk"}
"""Parameter names by which package helpers (e.g. tracking.job_run) receive the Snakemake job object."""


def config_reads(source: str) -> list[tuple[int, str]]:
    """(line, code) of every read of ``config`` on the Snakemake object or a name bound to it.

    Names bound to the object: ``snakemake`` itself, any name assigned from one of them (``sm = snakemake``),
    and function parameters named like the job object. ``energyrepro.config``, ``self.config`` or
    ``sm.params.cfg`` are not reads of the global config.
    """
    tree = ast.parse(source)
    names = {"snakemake"}
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            names |= {a.arg for a in node.args.args + node.args.kwonlyargs if a.arg in _JOB_OBJECT_ARGS}
    grew = True
    while grew:  # aliases of aliases
        before = len(names)
        for node in ast.walk(tree):
            if isinstance(node, (ast.Assign, ast.AnnAssign)) and isinstance(node.value, ast.Name) \
                    and node.value.id in names:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names |= {t.id for t in targets if isinstance(t, ast.Name)}
        grew = len(names) > before
    lines = source.splitlines()
    hits = []
    for node in ast.walk(tree):
        on_object = isinstance(node, ast.Attribute) and node.attr == "config" \
            and isinstance(node.value, ast.Name) and node.value.id in names
        via_getattr = isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "getattr" \
            and len(node.args) >= 2 and isinstance(node.args[0], ast.Name) and node.args[0].id in names \
            and isinstance(node.args[1], ast.Constant) and node.args[1].value == "config"
        if on_object or via_getattr:
            hits.append((node.lineno, lines[node.lineno - 1].strip()))
    return sorted(set(hits))


def global_config_reads(root: Path) -> list[str]:
    """``path:line: code`` of every global-config read in the Python files under ``root``/scripts and /src."""
    found = []
    for path in sorted(p for d in ("scripts", "src") for p in (root / d).rglob("*.py")):
        found += [f"{path.relative_to(root)}:{line}: {code}" for line, code in config_reads(path.read_text())]
    return found


@pytest.mark.parametrize("source, flagged", [
    ("seed = snakemake.config['seed']", True),
    ("sm = snakemake\nx = sm.config['el']", True),
    ("s = snakemake\nsm = s\nx = sm.config.get('soc')", True),
    ("sm = snakemake\nt = f\"{sm.config['profile']} profile\"", True),
    ("x = getattr(snakemake, 'config')", True),
    ("def f(sm):\n    return sm.config['device']", True),
    ("sm = snakemake\ncfg, seed = sm.params.cfg, sm.params.seed", False),
    ("from energyrepro.config import load_config\ncfg = load_config()", False),
    ("import energyrepro.config as config\nconfig.load_config()", False),
    ("class A:\n    def f(self):\n        return self.config['x']", False),
    ("cfg = run.config\nmodel.config.hidden = 3", False),
    ("x = snakemake.params.config", False),
])
def test_the_global_config_detector_is_precise(source, flagged):
    assert bool(config_reads(source)) == flagged


def test_no_script_or_package_code_reads_the_global_config():
    """Scripts get what they read through params (docs/adding-a-study.md); the global config hides dependencies."""
    found = global_config_reads(REPO)
    assert not found, "read these values through rule params instead:\n" + "\n".join(found)


# ---------------------------------------------------------------------------------------------------------------
# (b) Perturbing any config key re-runs at least one job, and only jobs of the study that owns the key.

SCHEMA_DIR = REPO / "workflow" / "schemas"
MERGE_RULES = {"report_claims", "all"}
TOP_KEYS = ("seed", "device")
MAX_CANDIDATES = 4

NO_RERUN: dict[str, str] = {}
"""Keys that legitimately change no job, with the reason (asserted to stay so; an empty dict is the goal)."""

FIXED_IN_TEST_PROFILE: dict[str, str] = {
    "pricing.dispatch.case": "the schema allows one value (case30): it names the data, it is not a setting",
    "uc.migration_size": "must be one of uc.sizes, which the test profile sets to [10]",
    "soc.heldout_cycles": "the held-out protocol needs a simulated cycle no dataset trains on: of the test "
                          "profile's three cycles only pulse_25 is one",
    "soc.precomputed": "the folder must hold tools/gpu's meta.json (read when the DAG is built); the test "
                       "profile has none",
}
"""Keys with no other valid value in config/test.yaml (asserted to stay so), with the reason."""


def _hints(tmp: Path) -> dict[str, list[Any]]:
    """Valid alternatives the schema cannot generate: paths that must exist, names a library must know."""
    for name in ("el_precomputed", "soc_precomputed"):
        (tmp / name).mkdir(exist_ok=True)
    full = tmp / "lg_hg2_full"  # the full data set's file names (a dry run needs them to exist, not to be read)
    full.mkdir(exist_ok=True)
    for name in pd.read_csv(REPO / "src" / "energyrepro" / "soc" / "data" / "lg_hg2" / "MANIFEST.csv").source:
        (full / name).touch()
    system = tmp / "relay_system.yaml"  # the shipped file under another name: the job's input changes
    system.write_bytes((REPO / "src" / "energyrepro" / "relay" / "data" / "system.yaml").read_bytes())
    hints: dict[str, list[Any]] = {
        "el.precomputed": [str(tmp / "el_precomputed")],
        "soc.precomputed": [str(tmp / "soc_precomputed")],
        "relay.system_file": [str(system)],
        "soc.simulate.parameter_set": ["Chen2020"],
        "soc.lg_hg2.path": [str(full)],
        "el.weights": ["auto", "imagenet"],
    }
    uc_data = REPO / "src" / "energyrepro" / "uc" / "data"
    hints["uc.units_csv"] = [str(uc_data / "kazarlis10.csv")]
    hints["uc.load_csv"] = [str(p) for p in sorted(uc_data.glob("*load*.csv"))]
    with contextlib.suppress(ImportError):
        import elpv_dataset

        hints["el.labels_csv"] = [str(p) for p in Path(elpv_dataset.__file__).parent.rglob("labels.csv")]
    return hints


@functools.cache
def _schema_file(name: str) -> dict:
    return yaml.safe_load((SCHEMA_DIR / name).read_text())


@contextlib.contextmanager
def _cached_schema_loads() -> Iterator[None]:
    """validate_config parses the schema YAML on every call (~0.3 s); hundreds of candidates need it cached."""
    import energyrepro.config as config_module

    original = config_module._load_yaml

    def cached(path):
        path = Path(path)
        return _schema_file(path.name) if path.parent == SCHEMA_DIR else original(path)

    config_module._load_yaml = cached
    try:
        yield
    finally:
        config_module._load_yaml = original


def _resolve(schema: dict) -> dict:
    return _schema_file(schema["$ref"]) if "$ref" in schema else schema


_PYTYPES = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None),
            "integer": int, "number": (int, float)}


def _types(schema: dict) -> list[str]:
    t = schema.get("type", [])
    return [t] if isinstance(t, str) else list(t)


def _fits(schema: dict, value: Any) -> bool:
    return not _types(schema) or any(
        isinstance(value, _PYTYPES[t]) and not (t in ("integer", "number") and isinstance(value, bool))
        for t in _types(schema))


def _branch(schema: dict, value: Any) -> dict:
    """The schema that describes ``value``: the ``oneOf``/``anyOf`` branch of its type."""
    schema = _resolve(schema)
    for alt in ("oneOf", "anyOf"):
        for b in schema.get(alt, []):
            if _fits(_resolve(b), value):
                return {**{k: v for k, v in schema.items() if k != alt}, **_resolve(b)}
    return schema


def leaves(value: Any, schema: dict, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any, dict]]:
    """Every leaf (a value that is not a mapping) of a config section with its schema."""
    schema = _branch(schema, value)
    if isinstance(value, dict) and value:
        props, extra = schema.get("properties", {}), schema.get("additionalProperties")
        for k, v in value.items():
            yield from leaves(v, props.get(k, extra if isinstance(extra, dict) else {}), path + (k,))
    else:
        yield path, value, schema


def _name_pool(section: Any, schema: dict) -> list[str]:
    """Names a string list of a study may hold: keys of its name->item maps first, then its other strings."""
    keys, strings = [], []

    def walk(v, s):
        s = _branch(s, v)
        if isinstance(v, dict):
            named = isinstance(s.get("additionalProperties"), dict) and not s.get("properties")
            for k, item in v.items():
                if named:
                    keys.append(k)
                walk(item, s.get("properties", {}).get(k, s.get("additionalProperties") or {}))
        elif isinstance(v, list):
            for item in v:
                walk(item, s.get("items", {}))
        elif isinstance(v, str):
            strings.append(v)

    walk(section, schema)
    return list(dict.fromkeys(keys + strings))


def _scalar_candidates(value: Any, schema: dict) -> list[Any]:
    """Other values of a scalar's schema type: enum members, a flipped bool, numbers x2, /2, +-1."""
    schema = _branch(schema, value)
    if "enum" in schema:
        return [m for m in schema["enum"] if m != value]
    types = _types(schema)
    if isinstance(value, bool):
        return [not value]
    if value is None:
        out: list[Any] = []
        if "integer" in types:
            out += [schema.get("minimum", 1), 2 * max(schema.get("minimum", 1), 1)]
        if "number" in types:
            out += [0.5, 1.0, 10.0]
        if "boolean" in types:
            out += [True]
        return out
    if isinstance(value, int) and "integer" in types:
        step = schema.get("multipleOf", 1)
        return [value + step, value - step, 2 * value]
    if isinstance(value, (int, float)):
        return [value * 2, value / 2, value + 1] if value else [0.5, 1.0, 0.1]
    return []


def _element_candidates(items: list, schema: dict, pool: list[str]) -> list[Any]:
    """New elements for a list: unused enum members, a number between or beyond the present ones, a known name."""
    schema = _resolve(schema)
    if "enum" in schema:
        return [m for m in schema["enum"] if m not in items]
    numbers = sorted(x for x in items if isinstance(x, (int, float)) and not isinstance(x, bool))
    if "integer" in _types(schema) or "number" in _types(schema):
        step = schema.get("multipleOf", 1 if "integer" in _types(schema) else 0.5)
        if not numbers:
            return [schema.get("minimum", 1)]
        out = []
        if len(numbers) >= 2:
            mid = (numbers[0] + numbers[1]) / 2
            out.append(round(mid / step) * step if "integer" in _types(schema) else mid)
        out += [numbers[-1] + (numbers[-1] - numbers[-2] if len(numbers) >= 2 else step), numbers[0] + step,
                numbers[-1] * 2 or step]
        if "integer" in _types(schema):
            out = [int(x) for x in out]
        return [x for x in dict.fromkeys(out) if x not in items]
    if "string" in _types(schema) or not _types(schema):
        return [s for s in pool if s not in items]
    return []


def candidates(value: Any, schema: dict, pool: list[str], hint: list[Any] | None = None) -> list[Any]:
    """Perturbations of one leaf, most natural first (validated by the caller)."""
    if hint:
        return [h for h in hint if h != value]
    schema = _branch(schema, value)
    if isinstance(value, list):
        items = schema.get("items", {})
        new = _element_candidates(value, items, pool)
        out = [value[:-1]]  # the schema refuses an empty list where it must not be empty
        out += [value + [x] for x in new]
        out += [[x] + value[1:] for x in new if value]
        out += [[x] + value[1:] for x in _scalar_candidates(value[0], items)] if value else []
        out += [value[::-1]] if len(value) > 1 and value[::-1] != value else []  # order can matter (and be all)
    elif isinstance(value, str) and "enum" not in schema:
        # a path or a name only a hint knows another valid value of; free text (a unit, a label) may change
        out = [] if schema.get("x-path") else [f"{value} (changed)"]
    else:
        out = _scalar_candidates(value, schema)
    return list({json.dumps(v): v for v in out}.values())


def _get(cfg: dict, key: str) -> Any:
    for part in key.split("."):
        cfg = cfg[part]
    return cfg


def _set(cfg: dict, key: str, value: Any) -> None:
    *parents, last = key.split(".")
    for part in parents:
        cfg = cfg[part]
    cfg[last] = value


def run_config(studies: tuple[str, ...]) -> dict:
    """The validated config of the tiny run (as its Snakefile sees it)."""
    from energyrepro.config import validate_config

    with _cached_schema_loads():
        cfg = yaml.safe_load((REPO / "config" / "test.yaml").read_text())
        cfg["studies"] = list(studies)
        return validate_config(cfg)


def config_keys(cfg: dict, studies: tuple[str, ...]) -> list[str]:
    """Dotted leaf keys of the studies' sections, plus the top-level keys that change numbers."""
    top = _schema_file("config.schema.yaml")["properties"]
    keys = list(TOP_KEYS)
    for s in studies:
        keys += [".".join((s,) + path) for path, _, _ in leaves(cfg[s], top[s])]
    return keys


def _study(key: str) -> str | None:
    return key.split(".")[0] if "." in key else None


def _collect_keys() -> list[str]:
    try:
        return config_keys(run_config(selected_studies()), selected_studies())
    except Exception as exc:  # an invalid config mid-edit: one failing test says so instead of a collection error
        return [f"<config/test.yaml does not load: {exc}>"]


KEYS = _collect_keys()


def _valid_candidates(cfg: dict, keys: list[str], tmp: Path) -> dict[str, list[Any]]:
    """Per key, up to MAX_CANDIDATES perturbed values that pass energyrepro.config.validate_config."""
    from energyrepro.config import ConfigError, validate_config

    top = _schema_file("config.schema.yaml")["properties"]
    hints = _hints(tmp)
    pools = {s: _name_pool(cfg[s], top[s]) for s in cfg["studies"]}
    schemas = {}
    for s in cfg["studies"]:
        schemas |= {".".join((s,) + p): sch for p, _, sch in leaves(cfg[s], top[s])}
    schemas |= {k: top[k] for k in TOP_KEYS}
    out = {}
    with _cached_schema_loads():
        for key in keys:
            study = _study(key)
            valid = []
            for value in candidates(_get(cfg, key), schemas[key], pools.get(study, []), hints.get(key)):
                trial = copy.deepcopy(cfg)
                _set(trial, key, value)
                with contextlib.suppress(ConfigError):
                    validate_config(trial)
                    valid.append(value)
                if len(valid) == MAX_CANDIDATES:
                    break
            out[key] = valid
    return out


class DryRunner:
    """``snakemake -n --quiet rules`` of perturbed configs in one finished run's folder, several at a time."""

    def __init__(self, wd: Path, cfg: dict, tmp: Path):
        self.wd, self.cfg, self.tmp = wd, cfg, tmp
        self.ids = itertools.count()
        self.ignore: set[str] = set()  # studies whose tiny run is incomplete: their jobs say nothing

    def _one(self, changes: dict[str, Any]) -> dict:
        cfg = copy.deepcopy(self.cfg)
        for key, value in changes.items():
            _set(cfg, key, value)
        path = self.tmp / f"perturbed_{next(self.ids)}.yaml"
        path.write_text(yaml.safe_dump(cfg, sort_keys=False))  # Snakemake compares params in key order
        proc = subprocess.run(snakemake_cmd(self.wd, "-n", "--nolock", "--quiet", "rules",
                                            configfile=str(path)),
                              capture_output=True, text=True, env=snakemake_env(), timeout=600)
        out = proc.stdout + proc.stderr
        if proc.returncode != 0 or ("Job stats:" not in out and "Nothing to be done" not in out):
            return {"changes": changes, "error": out[-2500:], "jobs": {}}
        jobs = {j: n for j, n in scheduled_jobs(out).items() if j.split("_")[0] not in self.ignore}
        return {"changes": changes, "error": None, "jobs": jobs}

    workers = max(2, os.cpu_count() or 2)

    def run(self, batches: list[dict[str, Any]]) -> list[dict]:
        if not batches:
            return []
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            return list(pool.map(self._one, batches))


def _studies_of(jobs: dict[str, int]) -> set[str]:
    return {j.split("_")[0] for j in jobs if j not in MERGE_RULES}


def _section_change(cfg: dict, keys: list[str], cands: dict[str, list[Any]]) -> dict[str, Any]:
    """Every key of one section at its first candidate, leaving out a key whose value conflicts with the others'."""
    from energyrepro.config import ConfigError, validate_config

    changes: dict[str, Any] = {}
    with _cached_schema_loads():
        for k in keys:
            trial = copy.deepcopy(cfg)
            for kk, vv in {**changes, k: cands[k][0]}.items():
                _set(trial, kk, vv)
            with contextlib.suppress(ConfigError):
                validate_config(trial)
                changes[k] = cands[k][0]
    return changes


def perturb_everything(wd: Path, studies: tuple[str, ...], tmp: Path) -> dict:
    """Dry runs of every perturbation: the baseline, each study's whole section, each key (shared or alone)."""
    t0 = time.perf_counter()
    cfg = run_config(studies)
    keys = config_keys(cfg, studies)
    cands = _valid_candidates(cfg, keys, tmp)
    runner = DryRunner(wd, cfg, tmp)

    # The unperturbed config first: a study whose tiny run failed re-runs anyway, so its keys cannot be judged.
    baseline = runner.run([{}])[0]
    broken = set(studies) if baseline["error"] else _studies_of(baseline["jobs"])
    runner.ignore = broken
    unjudged = {**baseline, "jobs": {}, "shared_with": [],
                "error": f"the unperturbed dry run is not clean: {baseline['error'] or _show(baseline['jobs'])}"}
    judged = [s for s in studies if s not in broken]
    per_key: dict[str, dict] = {k: {"changes": {}, "error": "no valid perturbation (add one to _hints())",
                                    "jobs": {}, "shared_with": []} for k in keys if not cands[k]}
    per_key |= {k: unjudged for k in keys if cands[k] and (_study(k) in broken or baseline["error"])}
    todo = [k for k in keys if k not in per_key]

    # Round 1: each section as a whole, seed and device alone, and keys of different studies sharing dry runs.
    by_study = {s: [k for k in todo if _study(k) == s] for s in judged}
    wide = [_section_change(cfg, by_study[s], cands) for s in judged]
    alone = [{k: cands[k][0]} for k in TOP_KEYS if k in todo]
    shared = [{by_study[s][i]: cands[by_study[s][i]][0] for s in judged if i < len(by_study[s])}
              for i in range(max((len(v) for v in by_study.values()), default=0))]
    results = runner.run(wide + alone + shared)
    wide_res, rest = results[:len(wide)], results[len(wide):]
    redo = []
    for r in rest:
        batch = {_study(k) for k in r["changes"]} - {None}
        if r["error"] or (batch and _studies_of(r["jobs"]) - batch):
            redo += list(r["changes"])  # a failure, or a job no key of the batch can own: keys alone
        else:
            per_key |= {k: {**r, "shared_with": sorted(set(r["changes"]) - {k})} for k in r["changes"]}

    # Later rounds: keys alone, moving on to the next candidate value while a dry run fails.
    choice = dict.fromkeys(keys, 0)
    while redo:
        redo = list(dict.fromkeys(redo))
        results = runner.run([{k: cands[k][choice[k]]} for k in redo])
        again = []
        for k, r in zip(redo, results):
            if r["error"] and choice[k] + 1 < len(cands[k]):
                choice[k] += 1
                again.append(k)
            else:
                per_key[k] = {**r, "shared_with": []}
        redo = again

    # A section whose first candidates did not run together: again with the values that ran alone.
    retry = [s for s, r in zip(judged, wide_res) if r["error"]]
    working = {k: r["changes"][k] for k, r in per_key.items() if not r["error"] and k in r["changes"]}
    for s, r in zip(retry, runner.run([{k: v for k, v in working.items() if _study(k) == s} for s in retry])):
        wide_res[judged.index(s)] = r
    return {"baseline": baseline, "wide": {**dict.fromkeys(broken, unjudged), **dict(zip(judged, wide_res))},
            "keys": per_key, "candidates": cands, "dry_runs": next(runner.ids),
            "wall_s": round(time.perf_counter() - t0, 1), "workers": runner.workers}


@pytest.fixture(scope="session")
def perturbations(pipeline_run, tmp_path_factory):
    """Every perturbation's dry-run jobs, computed once per session and shared by the xdist workers."""
    from filelock import FileLock

    studies = selected_studies()
    wd = pipeline_run(*studies)
    out = wd / "perturbations.json"
    sources = [wd / ".done", REPO / "config" / "test.yaml", *(REPO / "workflow").rglob("*.*"),
               *(REPO / "scripts").rglob("*.py")]
    with FileLock(str(wd / "perturbations.lock")):
        if not out.exists() or out.stat().st_mtime < max(p.stat().st_mtime for p in sources):
            tmp = tmp_path_factory.mktemp("perturbed")
            out.write_text(json.dumps(perturb_everything(wd, studies, tmp), indent=1, default=str))
    res = json.loads(out.read_text())
    print(f"property test: {res['dry_runs']} dry runs in {res['wall_s']} s on {res['workers']} workers")
    return res


def _show(jobs: dict[str, int]) -> str:
    return ", ".join(f"{j} x{n}" for j, n in sorted(jobs.items())) or "nothing"


@pytest.mark.slow
def test_an_unchanged_config_schedules_nothing(perturbations):
    """The control of the property test: dumping the run's own config back must not change any job's params."""
    base = perturbations["baseline"]
    assert base["error"] is None, base["error"]
    assert not base["jobs"], f"the unperturbed config re-runs {_show(base['jobs'])}"


@pytest.mark.slow
@pytest.mark.parametrize("study", selected_studies())
def test_no_job_reads_another_studys_section(perturbations, study):
    """Every key of one section changed at once: jobs of other studies must not notice."""
    r = perturbations["wide"][study]
    assert r["error"] is None, f"{r['changes']}\n{r['error']}"
    assert r["jobs"], f"changing all of {study}'s section re-runs nothing"
    leaked = _studies_of(r["jobs"]) - {study}
    assert not leaked, f"changing {study}'s section re-runs jobs of {sorted(leaked)}: {_show(r['jobs'])}"


@pytest.mark.slow
@pytest.mark.parametrize("key", KEYS)
def test_a_changed_key_reruns_jobs_of_its_study_only(perturbations, key):
    assert not key.startswith("<"), key
    r = perturbations["keys"][key]
    study = _study(key)
    value = r["changes"].get(key)
    was = _get(run_config(selected_studies()), key)
    if key in FIXED_IN_TEST_PROFILE:
        assert r["error"], f"{key} took the value {value!r}: drop it from FIXED_IN_TEST_PROFILE"
        pytest.skip(f"{key}: {FIXED_IN_TEST_PROFILE[key]}")
    assert r["error"] is None, f"{key}: no perturbation of {was!r} among {perturbations['candidates'][key]} " \
                               f"dry-runs:\n{r['error']}"
    jobs = r["jobs"]
    if key in NO_RERUN:
        assert not jobs, f"{key} is allow-listed as changing nothing ({NO_RERUN[key]}) but re-runs {_show(jobs)}"
        return
    if key == "seed":
        missing = set(selected_studies()) - _studies_of(jobs)
        assert not missing, f"seed {was} -> {value} re-runs no job of {sorted(missing)}: {_show(jobs)}"
        return
    if key == "device":  # only studies whose rules pass the device to a job may re-run
        pickers = {s for s in selected_studies()
                   if 'config["device"]' in (REPO / "workflow" / "rules" / f"{s}.smk").read_text()}
        assert _studies_of(jobs) <= pickers, f"device re-runs jobs of studies that pick no device: {_show(jobs)}"
        assert _studies_of(jobs) == pickers, f"device {was!r} -> {value!r} re-runs no job of " \
                                             f"{sorted(pickers - _studies_of(jobs))}, whose rules pass it"
        return
    own = {j: n for j, n in jobs.items() if j.startswith(f"{study}_")}
    others = {_study(k) for k in r["shared_with"]}
    foreign = {j: n for j, n in jobs.items() if j not in MERGE_RULES and not j.startswith(f"{study}_")
               and j.split("_")[0] not in others}
    assert own, f"{key}: {was!r} -> {value!r} re-runs no job of {study} (a script reads it without a param, " \
                f"or it is dead config): {_show(jobs)}"
    assert not foreign, f"{key}: {was!r} -> {value!r} re-runs jobs of other studies: {_show(foreign)}"


# ---------------------------------------------------------------------------------------------------------------
# (c) Profiles never share outputs.

_PATH_LINE = re.compile(r"^\s+(output|log|benchmark): (.+)$", re.M)
_RULE_LINE = re.compile(r"^(?:local)?rule (\w+):$", re.M)


@pytest.mark.slow
def test_another_profile_reuses_nothing_and_writes_only_under_its_root(pipeline_run, tmp_path):
    """After the tiny run, the same settings under another profile name re-run every job, all under its root."""
    studies = selected_studies()
    wd = pipeline_run(*studies)
    sel = f"studies=[{','.join(studies)}]"
    fresh = run_snakemake(tmp_path, "-n", "--quiet", "rules", "--config", sel, "profile=other")
    expected = scheduled_jobs(fresh.stdout + fresh.stderr)
    proc = run_snakemake(wd, "-n", "--nolock", "--config", sel, "profile=other")
    out = proc.stdout + proc.stderr
    assert scheduled_jobs(out) == expected, "profile 'other' reuses outputs of profile 'test'"
    paths = [p.strip() for m in _PATH_LINE.finditer(out) for p in m.group(2).split(", ")]
    assert len(_RULE_LINE.findall(out)) == sum(expected.values()), "every job lists its files"
    outside = sorted({p for p in paths if not p.startswith(str(results_dir(Path(), profile="other")) + "/")})
    assert not outside, f"profile 'other' would write outside results/other/: {outside[:20]}"


# ---------------------------------------------------------------------------------------------------------------
# (d) Selecting studies loses nothing.

@pytest.mark.slow
def test_selecting_one_study_keeps_every_studys_claims(pipeline_run, tmp_path):
    studies = selected_studies()
    if len(studies) < 2:
        pytest.skip("needs a run of at least two studies")
    wd = copy_run(pipeline_run(*studies), tmp_path / "run")
    before = {s: pd.read_csv(results_dir(wd, s) / "claims.csv") for s in studies}
    one = studies[-1]
    stamp = (results_dir(wd) / "claims.csv").stat().st_mtime_ns
    run_snakemake(wd, "--cores", "1", "--config", f"studies=[{one}]", "--forcerun", "report_claims")
    assert (results_dir(wd) / "claims.csv").stat().st_mtime_ns != stamp, "report_claims did not run"
    merged = pd.read_csv(results_dir(wd) / "claims.csv")
    for s in studies:
        assert (merged["study"] == s).sum() == len(before[s]), f"the merge after studies=[{one}] dropped {s}"
    for name in ("claims.md", "claims.html"):
        text = (results_dir(wd) / name).read_text()
        missing = [s for s in studies if s not in text]
        assert not missing, f"{name} after studies=[{one}] lacks {missing}"
