"""AlexNet for two classes, ImageNet weights when they exist locally, and the transfer-learning optimiser.

Weights (config ``el.weights``): ``auto`` looks for torchvision's IMAGENET1K_V1 file in the local torch
hub cache; a path loads that file; ``none`` trains from scratch. Nothing is ever downloaded (the
pipeline runs offline): when ``auto`` finds no file the model trains from scratch and the caller
records the deviation ``pretrained=false``.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

import torch
import torchvision

log = logging.getLogger(__name__)

IMAGENET_FILE = "alexnet-owt-7be5be79.pth"  # torchvision AlexNet_Weights.IMAGENET1K_V1
HEAD = "classifier.6"  # the 1000-way layer the transfer-learning recipe replaces


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


def resolve_weights(spec: str | os.PathLike | None) -> WeightsChoice:
    """Decide the weights file for ``el.weights`` without touching the network."""
    spec = "none" if spec is None else str(spec)
    if spec == "none":
        return WeightsChoice(None, "el.weights=none: training AlexNet from scratch (random initialisation)")
    if spec == "auto":
        candidate = hub_checkpoint_dir() / IMAGENET_FILE
        if candidate.is_file():
            return WeightsChoice(candidate, f"loading ImageNet weights from the torch hub cache: {candidate}")
        return WeightsChoice(None, f"el.weights=auto: no ImageNet weights at {candidate} and no download is "
                                   "possible offline; training AlexNet from scratch (pretrained=false). Put "
                                   f"{IMAGENET_FILE} there or set el.weights to its path to fine-tune as the paper did")
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
