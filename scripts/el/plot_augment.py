"""Snakemake entry point: the figure of real cells beside their augmented copies."""

from pathlib import Path

import pandas as pd

from energyrepro.el.figures import augmentation_figure
from energyrepro.plotting import save_figure
from energyrepro.runtime import setup_logging
from energyrepro.tracking import attach_artifacts

sm = snakemake  # noqa: F821 (injected by Snakemake)
log = setup_logging(sm.log[0])
manifest = pd.read_csv(sm.input.manifest)
save_figure(augmentation_figure(manifest, Path(sm.input.manifest).parent), sm.output.fig)
attach_artifacts(sm.input.run, [sm.output.fig], artifact_path="figures")
