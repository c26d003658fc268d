"""The paper's three networks (sections 1.2, 2.1, 2.2), window in, SOC of the window's last step out.

* CNN: 1x1 convolution with 128 channels (channel lifting, "升维"), ReLU, dropout 0.5, FC to 1.  A 1x1
  kernel sees one time step, so the CNN reads only the last step: it has no memory beyond the
  moving-average inputs, which is why it is the weakest model in the paper.
* LSTM: LSTM with ``hidden`` units (Table 1: 16; text: 300), dropout 0.5, FC to 1 (Table 1 rows 2-4).
* CNN-LSTM: conv with 128 filters of length 3, stride 1, ReLU, max-pool 2 stride 1, dropout 0.5,
  then the LSTM and FC (section 2.2).
"""

from __future__ import annotations

import torch
from torch import nn

MODELS = ("cnn", "lstm", "cnnlstm")


class CNN(nn.Module):
    def __init__(self, n_in: int = 6, channels: int = 128, dropout: float = 0.5):
        super().__init__()
        self.conv = nn.Conv1d(n_in, channels, kernel_size=1)
        self.drop = nn.Dropout(dropout)
        self.fc = nn.Linear(channels, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # x: (B, L, F)
        h = torch.relu(self.conv(x[:, -1:, :].transpose(1, 2)))  # (B, C, 1): the last step only
        return self.fc(self.drop(h[:, :, 0])).squeeze(-1)


class LSTM(nn.Module):
    def __init__(self, n_in: int = 6, hidden: int = 16, dropout: float = 0.5):
        super().__init__()
        self.lstm = nn.LSTM(n_in, hidden, batch_first=True)
        self.drop = nn.Dropout(dropout)
        self.fc = nn.Linear(hidden, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out, _ = self.lstm(x)
        return self.fc(self.drop(out[:, -1, :])).squeeze(-1)


class CNNLSTM(nn.Module):
    def __init__(self, n_in: int = 6, channels: int = 128, kernel: int = 3, hidden: int = 16,
                 dropout: float = 0.5):
        super().__init__()
        self.conv = nn.Conv1d(n_in, channels, kernel_size=kernel, stride=1)
        self.pool = nn.MaxPool1d(kernel_size=2, stride=1)
        self.drop = nn.Dropout(dropout)
        self.lstm = nn.LSTM(channels, hidden, batch_first=True)
        self.fc = nn.Linear(hidden, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.pool(torch.relu(self.conv(x.transpose(1, 2))))  # (B, C, L - kernel)
        out, _ = self.lstm(self.drop(h).transpose(1, 2))
        return self.fc(out[:, -1, :]).squeeze(-1)


def build_model(name: str, n_in: int = 6, hidden: int = 16, channels: int = 128, dropout: float = 0.5) -> nn.Module:
    if name == "cnn":
        return CNN(n_in, channels, dropout)
    if name == "lstm":
        return LSTM(n_in, hidden, dropout)
    if name == "cnnlstm":
        return CNNLSTM(n_in, channels, 3, hidden, dropout)
    raise ValueError(f"unknown soc model {name!r} (known: {', '.join(MODELS)})")
