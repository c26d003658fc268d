"""Job start-up shared by every script: logging to the rule's log, threads, device, progress."""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path

log = logging.getLogger("energyrepro")


_CONSOLE: int | None = None
"""A duplicate of the terminal's stderr, kept for :func:`summary` once fds 1/2 point at the job's log."""


def setup_logging(log_path: str | os.PathLike | None = None, level: int = logging.INFO) -> logging.Logger:
    """Send everything a job prints to the rule's ``log:`` file; keep the console for one-line summaries.

    File descriptors 1 and 2 are redirected to the log, so the chatter of C/C++ libraries (DPsim's solver
    messages, HiGHS, PyBaMM's solvers) lands there too, not between Snakemake's progress lines. Uncaught
    exceptions are logged, so the log says why a job failed (Snakemake shows failed logs).
    """
    global _CONSOLE
    root = logging.getLogger()
    root.handlers.clear()
    root.setLevel(level)
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s", "%H:%M:%S")
    if log_path:
        Path(log_path).parent.mkdir(parents=True, exist_ok=True)
        Path(log_path).write_text("", encoding="utf-8")
        sys.stdout.flush()
        sys.stderr.flush()
        if _CONSOLE is None:
            _CONSOLE = os.dup(2)
        fd = os.open(log_path, os.O_WRONLY | os.O_APPEND)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        os.close(fd)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(fmt)
    root.addHandler(handler)

    def _log_uncaught(exc_type, exc, tb):
        root.error("job failed", exc_info=(exc_type, exc, tb))
        if log_path:
            summary(f"FAILED: {exc_type.__name__}: {exc} (log: {log_path})")

    sys.excepthook = _log_uncaught
    for noisy in ("matplotlib", "PIL", "alembic", "urllib3", "mlflow", "numba", "pybamm", "git"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return log


def summary(message: str) -> None:
    """One line for the person watching the console (and the log); everything else goes to the log only."""
    log.info(message)
    if _CONSOLE is not None:
        os.write(_CONSOLE, f"  {message}\n".encode())


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
