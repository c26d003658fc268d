"""Cascaded pi sections converge to the distributed line (the check behind max_section_km)."""

from energyrepro.relay.pisections import convergence_table


def test_error_falls_with_section_length_and_is_small_at_the_used_length(settings):
    net = settings[0]
    t = convergence_table(net.line, 150.0, [50, 15, 5, 1])
    for _, d in t.groupby(["sequence", "far_end"]):
        errs = d.sort_values("section_km", ascending=False).max_rel_err_1_300hz.to_numpy()
        assert all(errs[:-1] > errs[1:])
        assert errs[-1] < 1e-3
    used = t[t.section_km == 15]
    assert used.max_rel_err_1_300hz.max() < 0.05 and used.rel_err_60hz.max() < 1e-3
