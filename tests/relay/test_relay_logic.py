"""The sequential relay state machine on hand-made network outputs (paper section 5)."""

import numpy as np

from energyrepro.relay.relay_logic import RelaySettings, decide, run_relay, scan

# one response decides (the simplest reading): the window arithmetic of the sequential logic
S = RelaySettings(low=0.3, high=0.7, detect_from=-4, detect_windows=10, detect_votes=1, detect_of=1, class_start=2,
                  class_windows=5, class_votes=1, class_of=1, loc_start=5, loc_windows=5, loc_votes=1, loc_of=1)
# the paper's reading of section 5: a module answers when most of its recent responses agree
VOTES = RelaySettings(low=0.3, high=0.7, detect_from=-4, detect_windows=10, detect_votes=2, detect_of=3,
                      class_start=2, class_windows=8, class_votes=3, class_of=5, loc_start=5, loc_windows=10,
                      loc_votes=3, loc_of=5)


def test_decide_thresholds():
    assert decide([0.1, 0.95]) == (0, 1)
    assert decide([0.5, 0.9]) is None
    assert decide([0.29, 0.71]) == (0, 1)


def scripted(F, det, cls, loc):
    """Nets whose output depends only on the window start (relative to F), with a default."""
    def window_fn(start, order):
        x = np.zeros(24)
        x[0], x[1:4] = start - F, order
        return x

    def net(table, default):
        return lambda x: np.asarray(table.get(int(x[0]), default), float)

    return window_fn, {"ann1": net(det, [0.05, 0.0]), "ann2": net(cls, [0.5, 0.5, 0.5, 0.5]),
                       "ann3": net(loc, [0.5, 0.5, 0.5]), "ann4": net(loc, [0.5, 0.5, 0.5]),
                       "ann5": net(loc, [0.5, 0.5, 0.5])}


def test_normal_then_undecided_then_forward():
    F = 20
    wf, nets = scripted(F, {-2: [0.5, 0.1], -1: [0.9, 0.1]}, {3: [0.9, 0.1, 0.1, 0.8]}, {4: [0.2, 0.9, 0.1]})
    r = run_relay(wf, nets, F, 60, S)
    assert r["direction"] == "forward" and r["det_end"] == F + 2  # window [F-1, F+2]
    # F_hat = F + 1: classification windows start at F + 3; the first one decides AG
    assert r["ftype"] == "AG" and r["class_end"] == F + 6
    # location windows start at F_hat + 5 = F + 6: the scripted decision at start F + 4 is never seen
    assert r["zone"] is None


def test_location_after_classification_with_phase_order():
    F = 20
    seen = []
    wf, nets = scripted(F, {-2: [0.95, 0.0]}, {2: [0.1, 0.9, 0.1, 0.9]}, {6: [0.1, 0.1, 0.95]})
    base = nets["ann3"]
    nets["ann3"] = lambda x: (seen.append(tuple(x[1:4])), base(x))[1]
    r = run_relay(wf, nets, F, 60, S)
    assert r["direction"] == "forward" and r["det_end"] == F + 1
    assert r["ftype"] == "BG" and r["class_end"] == F + 5  # F_hat = F: windows start at F + 2
    assert r["zone"] == 3 and r["loc_end"] == F + 9
    assert seen[0] == (1, 0, 2)  # B, A, C presented to ann3


def test_never_detected_is_normal_and_invalid_class_waits():
    F = 20
    wf, nets = scripted(F, {}, {}, {})
    r = run_relay(wf, nets, F, 60, S)
    assert r["direction"] == "normal" and r["ftype"] is None
    wf, nets = scripted(F, {0: [0.1, 0.9]}, {4: [0.0, 0.0, 0.0, 1.0], 5: [1, 1, 1, 0]}, {7: [0.0, 0.0, 0.0]})
    r = run_relay(wf, nets, F, 60, S)
    assert r["direction"] == "reverse" and r["det_end"] == F + 3
    assert r["ftype"] == "ABC" and r["class_end"] == F + 8  # (0,0,0,1) is no fault type, the relay waits one window
    assert r["zone"] == 0  # all zero: beyond zone 3


def test_pre_fault_trip_is_reported_before_F():
    F = 20
    wf, nets = scripted(F, {-4: [0.9, 0.0]}, {}, {})
    r = run_relay(wf, nets, F, 60, S)
    assert r["det_end"] < F


def test_scan_needs_votes_among_the_last_responses():
    answers = {0: "x", 1: None, 2: "y", 3: "x", 4: "y", 5: "y"}
    assert scan(range(6), answers.get, 1, 1) == ("x", 0, 0)
    assert scan(range(6), answers.get, 2, 3) == ("y", 2, 4)  # x at 0 and 3 are four windows apart
    assert scan(range(6), answers.get, 3, 5) == ("y", 2, 5)
    assert scan(range(6), answers.get, 3, 3) is None


def test_votes_overrule_a_single_wrong_window():
    """An ABC fault whose first classification window reads ACG (seen at the paper profile) is still ABC."""
    F = 20
    abc, acg = [0.9, 0.9, 0.9, 0.1], [0.9, 0.1, 0.9, 0.9]
    wf, nets = scripted(F, {-2: [0.9, 0.0], -1: [0.9, 0.0]}, {2: acg, 3: abc, 4: abc, 5: abc, 6: abc},
                        {k: [0.9, 0.1, 0.1] for k in range(5, 14)})
    assert run_relay(wf, nets, F, 60, S)["ftype"] == "ACG"
    r = run_relay(wf, nets, F, 60, VOTES)
    assert r["direction"] == "forward" and r["det_end"] == F + 2  # two of three detection windows: 2 ms
    # F_hat = F (first agreeing detection window [F-2..F+1]): the third ABC vote is window [F+5..F+8]
    assert r["ftype"] == "ABC" and r["class_end"] == F + 8
    # location windows end after the classification: [F+6..F+9], [F+7..], [F+8..F+11] agree on zone 1
    assert r["zone"] == 1 and r["loc_end"] == F + 11
