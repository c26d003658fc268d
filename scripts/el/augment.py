"""Snakemake entry point: balanced flip/rotation augmentation of real cells under each split protocol."""

from pathlib import Path

import numpy as np
import pandas as pd

from energyrepro.el.augment import build_protocol, select_originals, write_images
from energyrepro.io import write_csv
from energyrepro.runtime import setup_logging
from energyrepro.seeding import derive_seed

sm = snakemake  # noqa: F821 (injected by Snakemake)
log = setup_logging(sm.log[0])
cfg, seed = sm.params.cfg, sm.config["seed"]
cells = pd.read_csv(sm.input.manifest)
data_root = Path(sm.input.manifest).parent

originals = select_originals(cells, cfg["originals_per_class"], np.random.default_rng(derive_seed(seed, "el", "originals")))
log.info("%d originals (%d per class) drawn from %d real cells", len(originals), cfg["originals_per_class"], len(cells))
for protocol, manifest_path, images_dir in zip(sm.params.protocols, sm.output.manifests, sm.output.images):
    rng = np.random.default_rng(derive_seed(seed, "el", "augment", protocol))
    images = build_protocol(originals, protocol, cfg["images_per_class"], cfg["val_fraction"], rng)
    manifest = write_images(images, data_root, images_dir)
    write_csv(manifest_path, manifest)
    log.info("protocol %s: images per (split, label, transform==identity):\n%s", protocol,
             manifest.assign(original=manifest["transform"] == "identity")
             .groupby(["split", "label", "original"]).size().to_string())
