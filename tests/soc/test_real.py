"""The real-cell evaluation on the shared LG HG2 cycles (skipped when ../shared is absent)."""

import copy
from pathlib import Path

import numpy as np
import pytest
import torch

from energyrepro.config import load_config
from energyrepro.soc.models import build_model
from energyrepro.soc.readers import lg_capacity_from_raw, read_lg_hg2
from energyrepro.soc.real import real_table, sim_to_real_rows, transfer_rows

LG = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "lg_hg2"
pytestmark = pytest.mark.skipif(not LG.is_dir(), reason="../shared/data/lg_hg2 not present")


@pytest.fixture(scope="module")
def cycles():
    cap = lg_capacity_from_raw(LG / "LG_HG2_25degC_551_Cap_1C_raw.csv")
    return {"lg_25": read_lg_hg2(LG / "LG_HG2_25degC_551_US06_parsed.csv", cap),
            "lg_0": read_lg_hg2(LG / "LG_HG2_0degC_589_US06_parsed.csv", None, 0.95)}


def test_transfer_25_to_0_and_back(cycles):
    cfg = copy.deepcopy(load_config("config/test.yaml")["soc"])
    cfg["train"].update(seeds=1, epochs=1)
    rows, arrays = transfer_rows(cycles, [["lg_25", "lg_0"], ["lg_0", "lg_25"]], ["cnn"], cfg, 3.0, 42, "cpu")
    table = real_table(__import__("pandas").DataFrame(rows))
    assert set(table.setting) == {"lg_25 -> lg_0", "lg_0 -> lg_25"}
    assert set(table.method) == {"cnn", "coulomb", "ekf"}
    cc = table[(table.method == "coulomb") & (table.setting == "lg_25 -> lg_0")].iloc[0]
    # the LG labels come from the tester's own charge count, so Coulomb counting on its current is nearly exact
    assert cc.mae < 0.01
    assert len(arrays["lg_25 -> lg_0/y"]) == len(cycles["lg_0"]) - cfg["features"]["window"] + 1


def test_sim_model_applies_to_real_cycles(cycles):
    torch.manual_seed(0)
    model = build_model("cnn")
    ck = {"state_dict": model.state_dict(), "model": "cnn", "hidden": 16, "channels": 128, "window": 8, "ma_s": 10,
          "scaler": {"lo": [2.5, -5, 0, 2.5, -5, -20], "span": [1.7, 7, 45, 1.7, 7, 30]}}
    rows = sim_to_real_rows(cycles, {"cnn": ck}, 3.0, "cpu")
    assert {r["setting"] for r in rows} == {"simulated d2 -> lg_25", "simulated d2 -> lg_0"}
    assert all(np.isfinite(r["mae"]) for r in rows)
