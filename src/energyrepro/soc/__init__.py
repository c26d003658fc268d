"""Study `soc`: CNN vs LSTM vs CNN-LSTM battery state-of-charge estimation (Liu et al., Electric Drive 2024)."""
