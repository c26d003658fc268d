"""Snakemake entry point: real cells beside their flipped/rotated copies (one training job's image list)."""

from pathlib import Path

import pandas as pd

from energyrepro.el.figures import fig5_augmentation
from energyrepro.plotting import save_figure
from energyrepro.runtime import setup_logging
from energyrepro.tracking import attach_artifacts

sm = snakemake  # noqa: F821 (injected by Snakemake)
log = setup_logging(sm.log[0])
cells = pd.read_csv(sm.input.manifest)
save_figure(fig5_augmentation(pd.read_csv(sm.input.images), cells, Path(sm.input.manifest).parent), *sm.output.fig)
attach_artifacts(sm.input.run, [sm.output.fig[0]], artifact_path="figures")
