"""The real LG HG2 cells shipped with the package: checksums, clear errors, labels, and the rebuild from source."""

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from energyrepro.soc import lg_hg2

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "lg_hg2"


def test_every_shipped_file_matches_its_checksum_and_the_catalog():
    man = lg_hg2.manifest()
    assert set(man.index) == {e.name for e in lg_hg2.CATALOG}
    for name in man.index:
        assert lg_hg2.sha256(lg_hg2.DATA_DIR / man.loc[name, "file"]) == man.loc[name, "sha256"]
    assert sum((lg_hg2.DATA_DIR / f).stat().st_size for f in man.file) < 5 * 2**20  # compact: a few MB


def test_drive_cycles_start_full_and_end_at_95_percent_of_their_1c_capacity():
    # the tests stop when 95 % of the series' 1C capacity is discharged (data README), where the series matches
    for name in ("us06_25", "us06_0", "us06_n20", "mixed3_n20", "la92_n20"):
        c = lg_hg2.cycle(name)
        assert np.all(np.diff(c.time_s) >= 1)
        assert c.soc.iloc[0] == pytest.approx(1.0, abs=1e-4)
        assert c.soc.iloc[-1] == pytest.approx(0.05, abs=2e-3), name
    assert lg_hg2.cycle("us06_25").attrs["capacity_ah"] == pytest.approx(2.72639, abs=1e-4)  # 551_Cap_1C
    assert lg_hg2.capacity_test_for(lg_hg2.BY_NAME["us06_10"]).name == "cap1c_10_571"  # nearest test number


def test_pseudo_ocv_rises_with_soc():
    soc, v = lg_hg2.pseudo_ocv(25)
    assert soc[0] == pytest.approx(0, abs=1e-3) and soc[-1] == pytest.approx(1, abs=1e-3)
    assert v[-1] > 4.1 and v[0] < 3.0 and np.corrcoef(soc, v)[0, 1] > 0.9


def test_a_corrupt_or_missing_file_names_itself_and_its_checksum(tmp_path, monkeypatch):
    copy = tmp_path / "lg_hg2"
    shutil.copytree(lg_hg2.DATA_DIR, copy)
    monkeypatch.setattr(lg_hg2, "DATA_DIR", copy)
    expected = lg_hg2.manifest().loc["us06_0", "sha256"]
    data = bytearray((copy / "us06_0.csv.gz").read_bytes())
    data[100] ^= 0xFF
    (copy / "us06_0.csv.gz").write_bytes(bytes(data))
    with pytest.raises(lg_hg2.DataError,
                       match=rf"us06_0\.csv\.gz is corrupt or altered: SHA-256 \w+, expected {expected}"):
        lg_hg2.cycle("us06_0")
    (copy / "us06_0.csv.gz").unlink()
    with pytest.raises(lg_hg2.DataError, match=rf"us06_0\.csv\.gz is missing \(expected SHA-256 {expected}\)"):
        lg_hg2.read("us06_0")


def test_full_files_are_checked_against_the_source_checksums(tmp_path):
    expected = lg_hg2.manifest().loc["us06_25", "source_sha256"]
    with pytest.raises(lg_hg2.DataError, match=rf"LG_HG2_25degC_551_US06_parsed\.csv is missing \(expected "
                                               rf"SHA-256 {expected}\)"):
        lg_hg2.read("us06_25", tmp_path)
    (tmp_path / "LG_HG2_25degC_551_US06_parsed.csv").write_text("Time [min],Voltage [V]\n0,4.1\n")
    with pytest.raises(lg_hg2.DataError, match="corrupt or altered"):
        lg_hg2.read("us06_25", tmp_path)


def test_one_second_bins_average_the_tenth_second_samples():
    t = np.arange(25) / 600.0  # 0.1 s steps in minutes
    parsed = pd.DataFrame({"Time [min]": t, "Voltage [V]": np.arange(25.0), "Current [A]": 1.0,
                           "Temperature [degC]": 20.0, "Capacity [Ah]": -t})
    out = lg_hg2.to_seconds(parsed)
    assert list(out.time_s) == [0, 1, 2] and list(out.voltage_v) == [4.5, 14.5, 22.0]


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data/lg_hg2 (the parsed source files) not present")
def test_rebuild_from_the_source_files_gives_the_shipped_bytes_and_the_full_files_read_the_same(tmp_path):
    man = lg_hg2.build(SHARED, tmp_path)
    shipped = lg_hg2.manifest()
    assert (man.set_index("name").sha256 == shipped.sha256).all()
    full = lg_hg2.cycle("us06_n10", SHARED)
    pd.testing.assert_frame_equal(full, lg_hg2.cycle("us06_n10"), check_exact=False, atol=1e-5)
