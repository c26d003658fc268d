"""The paper's values as printed, the deviations of a config, Table 2's paper columns (only what the text states)."""

import pandas as pd
import pytest

from energyrepro.config import load_config
from energyrepro.relay.paper import deviations, paper, printed, table2_paper_columns


def test_printed_values_keep_their_digits():
    assert printed("0.10") == (0.1, 2) and printed("98") == (98.0, 0) and printed("0.0569") == (0.0569, 4)
    assert printed(paper()["values"]["validation_rms"]["ann2"]) == (0.1, 2)


@pytest.mark.parametrize("profile,thinned", [("paper", False), ("config", True), ("test", True)])
def test_grid_deviation_only_away_from_the_paper_grids(profile, thinned):
    cfg = load_config(f"config/{profile}.yaml")["relay"]
    keys = {k for k, _, _ in deviations(cfg)}
    assert {"simulator", "line_model", "optimizer"} <= keys  # the method's departures, always
    assert ("grid" in keys) == thinned
    assert ("normal_patterns" in keys) == (profile != "paper")


def test_a_job_slice_reports_only_what_it_holds():
    cfg = load_config("config/config.yaml")["relay"]
    keys = {k for k, _, _ in deviations({"datasets": {"test": cfg["datasets"]["test"]}})}
    assert "grid" in keys and "normal_patterns" not in keys and "val_frac" not in keys
    bad = {"nets": {"ann1": {"lr": 0.9, "momentum": 0.5}}}
    assert {"ann1.lr", "ann1.momentum"} <= {k for k, _, _ in deviations(bad)}


def test_table2_paper_columns_hold_only_stated_values():
    t2 = pd.DataFrame({"ftype": ["AB", "AB", "LL", "all", "all", "all"],
                       "module": ["detection", "location", "location", "detection", "classification", "location"]})
    out = table2_paper_columns(t2)
    assert out.paper_correct_pct[:2].isna().all()  # no per-type value in the paper
    assert out.paper_correct_pct[2] == 88.78 and out.paper_correct_bands_pct[2] == 93.78
    assert out.paper_correct_pct[3] == 100.0 and pd.isna(out.paper_correct_pct[5])
    assert out.paper_time_ms.tolist() == ["", "", "", "<= 3", "4-9", "8-15"]
