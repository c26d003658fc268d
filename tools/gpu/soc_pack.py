"""Pack what ``tools/gpu/soc_paper.py`` needs on the GPU machine into ``.gpu/soc/`` (run here, with the venv).

    .venv/bin/python tools/gpu/soc_pack.py [--config config/paper.yaml] [--data results/paper/soc/data]
                                           [--models lstm-h300,cnnlstm-h300] [--out .gpu/soc]

Reads the measured cycles the pipeline made for that profile (rule ``soc_measure``: ``<data>/cycles/*.csv``
and ``<data>/manifest.csv``; make them with
``snakemake --cores 2 --configfile config/paper.yaml --until soc_measure``) and writes

* ``cycles.npz``: every cycle's columns as float64 (exactly the values the pipeline reads from the CSVs);
* ``pack.json``: the soc result slice of the config, the config seed, the models to train, the settings,
  the nominal capacity and the digest of the cycles' values (``precomputed.cycles_digest``; the import rule
  recomputes it).

About 2 MB for the paper profile.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from energyrepro.config import load_config
from energyrepro.soc import precomputed


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--config", default="config/paper.yaml")
    ap.add_argument("--data", default=None, help="the profile's soc data folder (default results/<profile>/soc/data)")
    ap.add_argument("--models", default="lstm-h300,cnnlstm-h300", help="comma-separated models to train there")
    ap.add_argument("--out", default=".gpu/soc")
    args = ap.parse_args(argv)
    cfg = load_config(args.config)
    soc = cfg["soc"]
    data = Path(args.data or Path("results") / cfg["profile"] / "soc" / "data")
    manifest = data / "manifest.csv"
    if not manifest.is_file():
        sys.exit(f"{manifest} does not exist: run `snakemake --cores 2 --configfile {args.config} --until soc_measure`"
                 " first (or pass --data)")
    models = [m for m in args.models.split(",") if m]
    unknown = sorted(set(models) - set(soc["models"]))
    if unknown:
        sys.exit(f"--models {unknown} are not in soc.models of {args.config} ({soc['models']})")
    names = sorted(pd.read_csv(manifest).cycle)
    csvs = [data / "cycles" / f"{c}.csv" for c in names]
    cycles = {name: pd.read_csv(csv) for name, csv in zip(names, csvs)}
    arrays = {f"{name}/{col}": df[col].to_numpy(np.float64) for name, df in cycles.items()
              for col in precomputed.CYCLE_COLUMNS}
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out / "cycles.npz", **arrays)
    pack = {"config": precomputed.result_slice(soc), "seed": int(cfg["seed"]), "models": models,
            "settings": list(soc["settings"]), "cycles": names,
            "nominal_ah": float(pd.read_csv(manifest).nominal_ah.iloc[0]),
            "input_digest": precomputed.cycles_digest(cycles), "config_file": args.config}
    (out / "pack.json").write_text(json.dumps(pack, indent=2) + "\n", encoding="utf-8")
    size = sum(p.stat().st_size for p in out.iterdir()) / 2**20
    print(f"packed {len(names)} cycles, models {models}, settings {pack['settings']} -> {out} ({size:.1f} MiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
