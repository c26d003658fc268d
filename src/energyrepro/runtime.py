"""Job start-up shared by every script: logging to the rule's log, threads, device, progress."""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path

log = logging.getLogger("energyrepro")


def setup_logging(log_path: str | os.PathLike | None = None, level: int = logging.INFO) -> logging.Logger:
    """Log to the rule's ``log:`` file, and to the console too when it is a terminal."""
    root = logging.getLogger()
    root.handlers.clear()
    root.setLevel(level)
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s", "%H:%M:%S")
    if log_path:
        Path(log_path).parent.mkdir(parents=True, exist_ok=True)
        fh = logging.FileHandler(log_path, mode="w", encoding="utf-8")
        fh.setFormatter(fmt)
        root.addHandler(fh)
    if not log_path or sys.stderr.isatty():
        sh = logging.StreamHandler(sys.stderr)
        sh.setFormatter(fmt)
        root.addHandler(sh)
    def _log_uncaught(exc_type, exc, tb):
        root.error("job failed", exc_info=(exc_type, exc, tb))

    sys.excepthook = _log_uncaught  # so the rule's log says why a job failed
    for noisy in ("matplotlib", "PIL", "alembic", "urllib3", "mlflow", "numba", "pybamm", "git"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return log


def set_threads(threads: int) -> int:
    """Cap BLAS/torch threads to what Snakemake granted the job (no oversubscription)."""
    threads = max(1, int(threads))
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ[var] = str(threads)  # read by torch/BLAS when they are imported later
    torch = sys.modules.get("torch")  # do not pay torch's import in jobs that never use it
    if torch is not None:
        torch.set_num_threads(threads)
    return threads


def pick_device(requested: str = "auto") -> str:
    """``auto`` means CUDA when available; asking for ``cuda`` without one is an error, not a fallback."""
    import torch

    if requested == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if requested == "cuda" and not torch.cuda.is_available():
        raise RuntimeError("config device=cuda but no CUDA device is visible; use device: auto or cpu")
    return requested


class Progress:
    """Logs ``done/total`` with rate and ETA at most every ``every_s`` seconds (and at the end)."""

    def __init__(self, total: int, what: str, every_s: float = 10.0, logger: logging.Logger | None = None):
        self.total, self.what, self.every_s = max(1, int(total)), what, every_s
        self.log = logger or log
        self.t0 = self._last = time.monotonic()
        self.done = 0

    def update(self, n: int = 1, **info: object) -> None:
        self.done += n
        now = time.monotonic()
        if now - self._last < self.every_s and self.done < self.total:
            return
        self._last = now
        elapsed = now - self.t0
        rate = self.done / elapsed if elapsed > 0 else float("inf")
        eta = (self.total - self.done) / rate if rate > 0 else float("nan")
        extra = " ".join(f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}" for k, v in info.items())
        self.log.info("%s %d/%d (%.1f%%) %.3g/s ETA %.0fs %s", self.what, self.done, self.total,
                      100 * self.done / self.total, rate, eta, extra)
