"""The SOC figures keep a readable axis when a network diverges, and say what they leave outside it."""

import numpy as np

from energyrepro.soc.figures import SOC_AXIS, fig_soc


def test_a_diverged_network_is_counted_outside_the_axis_not_allowed_to_flatten_the_others():
    t = np.arange(100.0)
    soc = np.linspace(1.0, 0.0, 100)
    end = np.arange(10, 100)
    data = {"shown_setting": "paper", "d2/random/cycle": "dst_0", "d2/random/time_s": t, "d2/random/soc": soc,
            "d2/random/end": end, "d2/random/pred/cnn": soc[end] + 0.05,
            "d2/random/pred/lstm": np.where(end % 3 == 0, 30.0, soc[end])}  # 30 of 90 at 3000 % SOC
    fig = fig_soc("dataset 2", 7, data, "d2")
    ax = fig.axes[0]
    assert ax.get_ylim() == SOC_AXIS
    notes = [t.get_text() for t in ax.texts]
    assert notes == ["outside the axis: LSTM 30 estimates"]
