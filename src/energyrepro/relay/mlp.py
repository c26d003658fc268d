"""The five MLPs (paper section 4): tanh units, mini-batch SGD with momentum, a shuffled 80/20 pattern split and
early stopping at the minimum validation RMS (the weights of that epoch are kept).

Written in numpy with hand-coded backpropagation. The networks are tiny (at most 24-48-44-3), so a framework's
per-call overhead dominates: one SGD step of the 24-42-40-3 net costs 0.9 ms in torch and 0.05 ms here. Several
training seeds are trained at once as a *stack* of independent networks (batched matmul): each seed has its own
initialisation, train/validation split, shuffling and early stopping, so a seed's result does not depend on the
others. NeuralWorks' Norm-Cum-Delta rule is replaced by plain SGD with momentum (a recorded deviation), within
the paper's ranges of learning rate and momentum.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np


@dataclass
class Stack:
    """S independent MLPs with the same layer sizes: weights W[k] (S, a, b), biases b[k] (S, 1, b)."""

    W: list[np.ndarray]
    b: list[np.ndarray]

    @property
    def sizes(self) -> tuple[int, ...]:
        return (self.W[0].shape[1], *(w.shape[2] for w in self.W))

    @property
    def members(self) -> int:
        return self.W[0].shape[0]

    def __call__(self, X: np.ndarray) -> np.ndarray:
        """Outputs (S, n, out) for inputs shared by all members (n, in) or one set per member (S, n, in)."""
        return _activations(self, X)[-1]

    def member(self, s: int) -> Stack:
        return Stack([w[s:s + 1].copy() for w in self.W], [b[s:s + 1].copy() for b in self.b])


def init_stack(sizes: Sequence[int], rngs: Sequence[np.random.Generator], dtype=np.float32) -> Stack:
    """One member per generator; weights and biases ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)) (torch's Linear default)."""
    W, b = [], []
    for a, c in zip(sizes[:-1], sizes[1:]):
        k = 1.0 / np.sqrt(a)
        W.append(np.stack([r.uniform(-k, k, (a, c)) for r in rngs]).astype(dtype))
        b.append(np.stack([r.uniform(-k, k, (1, c)) for r in rngs]).astype(dtype))
    return Stack(W, b)


def _activations(net: Stack, X: np.ndarray) -> list[np.ndarray]:
    hs = [X]
    for W, b in zip(net.W, net.b):
        hs.append(np.tanh(hs[-1] @ W + b))
    return hs


def gradients(net: Stack, X: np.ndarray, T: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """d(loss)/d(W, b) of every member, loss = mean squared error over the batch and the outputs (per member).

    ``X`` (S, B, in), ``T`` (S, B, out).
    """
    hs = _activations(net, X)
    y = hs[-1]
    d = (y - T) * (2.0 / (T.shape[1] * T.shape[2])) * (1 - y * y)  # through the output tanh
    gW, gb = [None] * len(net.W), [None] * len(net.W)
    for k in range(len(net.W) - 1, -1, -1):
        gW[k] = hs[k].transpose(0, 2, 1) @ d
        gb[k] = d.sum(axis=1, keepdims=True)
        if k:
            d = (d @ net.W[k].transpose(0, 2, 1)) * (1 - hs[k] * hs[k])
    return gW, gb


def rms(net: Stack, X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """RMS error over all patterns and output units (the paper's validation criterion), one value per member."""
    return np.sqrt(np.mean((net(X) - Y) ** 2, axis=(1, 2)))


def split(n: int, val_frac: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Shuffled pattern-level train/validation indices (paper: 80 % / 20 % of the patterns, randomly ordered)."""
    perm = rng.permutation(n)
    k = int(round(n * val_frac))
    return perm[k:], perm[:k]


@dataclass
class TrainResult:
    seed: int
    model: Stack  # one member
    history: list[dict]
    best_epoch: int
    best_val_rms: float


def train(X: np.ndarray, Y: np.ndarray, hidden: Sequence[int], lr: float, momentum: float, batch_size: int,
          max_epochs: int, patience: int, val_frac: float, seeds: Sequence[int],
          on_epoch: Callable[[int, dict], None] | None = None) -> list[TrainResult]:
    """Train one MLP per seed on the same patterns; each keeps the weights of its minimum-validation-RMS epoch and
    stops after ``patience`` epochs without a new minimum. ``on_epoch(seed, record)`` sees each seed's epochs."""
    rngs = [np.random.default_rng(s) for s in seeds]
    S = len(rngs)
    net = init_stack([X.shape[1], *hidden, Y.shape[1]], rngs)
    parts = [split(len(X), val_frac, r) for r in rngs]
    tr, va = np.stack([p[0] for p in parts]), np.stack([p[1] for p in parts])
    Xt, Yt, Xv, Yv = X[tr], Y[tr], X[va], Y[va]  # (S, n, .)
    vW, vb = [np.zeros_like(w) for w in net.W], [np.zeros_like(b) for b in net.b]
    rows = np.arange(S)[:, None]
    best_rms, best_epoch = np.full(S, np.inf), np.zeros(S, int)
    best = ([w.copy() for w in net.W], [b.copy() for b in net.b])
    active = np.ones(S, bool)
    history: list[list[dict]] = [[] for _ in range(S)]
    for epoch in range(1, max_epochs + 1):
        order = np.stack([r.permutation(tr.shape[1]) for r in rngs])
        for k in range(0, tr.shape[1], batch_size):
            idx = order[:, k:k + batch_size]
            gW, gb = gradients(net, Xt[rows, idx], Yt[rows, idx])
            for p, v, g in zip(net.W + net.b, vW + vb, gW + gb):  # torch SGD: v = mu v + g; p -= lr v
                v *= momentum
                v += g
                p -= lr * v
        t_rms, v_rms = rms(net, Xt, Yt), rms(net, Xv, Yv)
        improved = active & (v_rms < best_rms)
        if improved.any():
            best = ([np.where(improved[:, None, None], w, bw) for w, bw in zip(net.W, best[0])],
                    [np.where(improved[:, None, None], b, bb) for b, bb in zip(net.b, best[1])])
            best_rms[improved], best_epoch[improved] = v_rms[improved], epoch
        for s in np.flatnonzero(active):
            rec = {"epoch": epoch, "train_rms": float(t_rms[s]), "val_rms": float(v_rms[s])}
            history[s].append(rec)
            if on_epoch:
                on_epoch(int(seeds[s]), rec)
        active &= epoch - best_epoch < patience
        if not active.any():
            break
    final = Stack(best[0], best[1])
    return [TrainResult(int(seeds[s]), final.member(s), history[s], int(best_epoch[s]), float(best_rms[s]))
            for s in range(S)]
