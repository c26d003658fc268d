"""energyrepro: reproducible re-runs of five energy-systems papers."""

__version__ = "0.1.0"
