"""AlexNet for two classes, ImageNet weights fetched as torchvision does, and the transfer-learning optimiser.

Weights (config ``el.weights``):

* ``auto``: torchvision's IMAGENET1K_V1 file from the torch hub cache; if absent, download it (its SHA-256
  must start with the hash in its name, torchvision's check) into the cache; if that fails (offline), train
  from scratch, warn in one line and let the caller record the deviation ``pretrained=false``;
* ``imagenet``: the same, but no fallback: a clear error names the file and where to put it;
* a path: that file; ``none``: from scratch.
"""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass
from pathlib import Path

import torch
import torchvision

log = logging.getLogger(__name__)

IMAGENET_URL = torchvision.models.AlexNet_Weights.IMAGENET1K_V1.url  # .../alexnet-owt-7be5be79.pth
IMAGENET_FILE = IMAGENET_URL.rsplit("/", 1)[-1]
HEAD = "classifier.6"  # the 1000-way layer the transfer-learning recipe replaces
DOWNLOAD_TIMEOUT_S = 30


@dataclass(frozen=True)
class WeightsChoice:
    """Where the starting weights come from and why (the message goes to the log and the report)."""

    path: Path | None
    message: str

    @property
    def pretrained(self) -> bool:
        return self.path is not None


def hub_checkpoint_dir() -> Path:
    return Path(torch.hub.get_dir()) / "checkpoints"


def download(url: str, dest: Path, timeout: float = DOWNLOAD_TIMEOUT_S) -> None:
    """Fetch ``url`` to ``dest`` atomically with torch.hub's downloader, checking that the file's SHA-256 starts
    with the hash prefix in its name (``alexnet-owt-7be5be79.pth`` -> ``7be5be79``), as torchvision does."""
    match = torch.hub.HASH_REGEX.search(Path(url).name)
    dest.parent.mkdir(parents=True, exist_ok=True)
    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(timeout)  # urllib inside torch.hub has no timeout argument
    try:
        torch.hub.download_url_to_file(url, str(dest), hash_prefix=match.group(1) if match else None, progress=False)
    finally:
        socket.setdefaulttimeout(previous)


def resolve_weights(spec: str | os.PathLike | None, url: str = IMAGENET_URL) -> WeightsChoice:
    """Decide (and if need be download) the starting weights for ``el.weights``."""
    spec = "none" if spec is None else str(spec)
    if spec == "none":
        return WeightsChoice(None, "el.weights=none: training AlexNet from scratch (random initialisation)")
    if spec in ("auto", "imagenet"):
        cached = hub_checkpoint_dir() / Path(url).name
        if cached.is_file():
            return WeightsChoice(cached, f"loading ImageNet weights from the torch hub cache: {cached}")
        try:
            download(url, cached)
        except (OSError, RuntimeError) as exc:  # URLError and timeouts are OSErrors; a bad hash is a RuntimeError
            where = f"put {cached.name} (torchvision AlexNet IMAGENET1K_V1, from {url}) into {cached.parent}"
            if spec == "imagenet":
                raise FileNotFoundError(f"config key 'el.weights'=imagenet: no ImageNet AlexNet weights at {cached} "
                                        f"and the download failed ({exc}); {where}, or set el.weights to its path"
                                        ) from exc
            return WeightsChoice(None, f"el.weights=auto: no ImageNet weights at {cached} and the download failed "
                                       f"({exc}); training AlexNet from scratch (pretrained=false). To fine-tune as "
                                       f"the paper did, {where}")
        return WeightsChoice(cached, f"downloaded ImageNet weights from {url} (hash checked) to {cached}")
    path = Path(os.path.expanduser(spec))
    if not path.is_file():
        raise FileNotFoundError(f"config key 'el.weights': weights file {path} does not exist")
    return WeightsChoice(path, f"loading ImageNet weights from {path}")


def build_alexnet(weights: WeightsChoice, n_classes: int = 2) -> torch.nn.Module:
    """torchvision AlexNet with a fresh ``n_classes`` head; transferred layers loaded strictly from file."""
    model = torchvision.models.alexnet(weights=None)
    if weights.path is not None:
        state = torch.load(weights.path, map_location="cpu", weights_only=True)
        state = {k: v for k, v in state.items() if not k.startswith(HEAD + ".")}
        try:
            missing, unexpected = model.load_state_dict(state, strict=False)
        except RuntimeError as exc:  # shape mismatches
            raise ValueError(f"{weights.path} is not an AlexNet state_dict: {exc}") from exc
        if unexpected or set(missing) != {f"{HEAD}.weight", f"{HEAD}.bias"}:
            raise ValueError(f"{weights.path} is not an AlexNet state_dict: missing {missing}, unexpected {unexpected}")
    model.classifier[6] = torch.nn.Linear(model.classifier[6].in_features, n_classes)
    return model


def transfer_optimizer(model: torch.nn.Module, lr: float, head_lr_factor: float, momentum: float,
                       weight_decay: float) -> torch.optim.SGD:
    """SGD with momentum; the new head learns ``head_lr_factor`` times faster than the transferred layers
    (MATLAB's WeightLearnRateFactor/BiasLearnRateFactor recipe that the paper follows)."""
    head = [p for n, p in model.named_parameters() if n.startswith(HEAD + ".")]
    body = [p for n, p in model.named_parameters() if not n.startswith(HEAD + ".")]
    return torch.optim.SGD([{"params": body, "lr": lr}, {"params": head, "lr": lr * head_lr_factor}],
                           lr=lr, momentum=momentum, weight_decay=weight_decay)
