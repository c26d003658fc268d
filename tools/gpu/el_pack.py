"""Pack the inputs of the el GPU sweep into ``.gpu/el/`` (run here, with the project's venv).

    .venv/bin/python tools/gpu/el_pack.py --configfile config/paper.yaml --out .gpu/el

Writes ``cells.npz`` (the drawn originals, decoded and resized to el.input_size, uint8), ``originals.csv``
(their ELPV ids, labels, file hashes) and ``pack.json`` (the effective el result slice and seed, the input
digest the pipeline will check on import, the SHA-256 of the packed pixels). The selection, the draw of
the originals and the resizing are the pipeline's own functions, so the GPU sees what a training job here
would see. The config is --configfile with the schema's defaults, as Snakemake reads it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

from energyrepro.config import REPO_ROOT, load_config
from energyrepro.el.augment import select_originals
from energyrepro.el.data import load_cells
from energyrepro.el.ingest import data_digest, elpv_labels_path, read_labels, select_cells, sha256_of
from energyrepro.el.precomputed import result_slice, slice_hash
from energyrepro.io import write_json, write_npz


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--configfile", type=Path, default=REPO_ROOT / "config" / "paper.yaml")
    ap.add_argument("--out", type=Path, default=REPO_ROOT / ".gpu" / "el")
    args = ap.parse_args(argv)
    config = load_config(args.configfile)
    cfg, seed = config["el"], int(config["seed"])

    labels_csv = Path(cfg["labels_csv"] or elpv_labels_path())
    selected = select_cells(read_labels(labels_csv), cfg["cell_types"], cfg["label_levels"])
    originals = select_originals(selected, cfg["originals_per_class"], seed)
    originals = originals.assign(file=originals["source"],
                                 sha256=[sha256_of(labels_csv.parent / f) for f in originals["source"]])
    cells = load_cells(originals, labels_csv.parent, cfg["input_size"])

    args.out.mkdir(parents=True, exist_ok=True)
    write_npz(args.out / "cells.npz", cells=cells)
    originals[["id", "file", "probability", "type", "label", "sha256"]].to_csv(args.out / "originals.csv", index=False)
    pack = {"config": result_slice(cfg), "seed": seed, "config_hash": slice_hash(result_slice(cfg), seed),
            "input_digest": data_digest(originals), "cells_sha256": hashlib.sha256(cells.tobytes()).hexdigest(),
            "configfile": str(args.configfile)}
    write_json(args.out / "pack.json", pack)
    size = sum(f.stat().st_size for f in args.out.iterdir())
    print(f"packed {len(originals)} originals ({int((originals['label'] == 1).sum())} defective) "
          f"at {cfg['input_size']} px into {args.out}: {size / 2**20:.1f} MiB; {json.dumps(pack['config'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
