"""The Kazarlis data, its N-unit copies and the grouping of identical copies into types."""

import numpy as np
import pytest

from energyrepro.uc.system import load_base, make_system, scale, unit_types


def test_kazarlis_data_and_scaling():
    base = load_base()
    assert base.n == 10 and base.t == 24
    assert base.pmax.sum() == 1662 and base.load.max() == 1500
    big = scale(base, 40)
    assert big.n == 40 and np.allclose(big.load, 4 * base.load) and np.allclose(big.pmax[10:20], base.pmax)
    with pytest.raises(ValueError, match="multiple"):
        scale(base, 15)


def test_bad_unit_file_names_file_and_column(tmp_path):
    bad = tmp_path / "units.csv"
    bad.write_text("unit,pmax\n1,10\n")
    with pytest.raises(ValueError, match="units.csv.*missing columns"):
        load_base(units_csv=bad)


def test_copies_are_grouped_into_types():
    types = unit_types(make_system(30))
    assert len(types.rows) == 10 and (types.count == 3).all()
    assert (types.of_unit[:10] == types.of_unit[10:20]).all() and (types.of_unit[:10] == types.of_unit[20:]).all()
