"""How far each user's power travels, measured on the network alone (not from any charge), so that
'MW-mile charges grow with distance' can be tested without circularity."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import shortest_path


def path_lengths(branches: pd.DataFrame) -> tuple[np.ndarray, dict[int, int]]:
    """All-pairs shortest path length (branch ``length`` units) between system buses."""
    buses = sorted(set(branches.from_bus) | set(branches.to_bus))
    pos = {b: i for i, b in enumerate(buses)}
    i = branches.from_bus.map(pos).to_numpy()
    j = branches.to_bus.map(pos).to_numpy()
    w = branches.length.to_numpy(float) + 1e-9  # zero-length transformers still connect
    g = coo_matrix((w, (i, j)), shape=(len(buses), len(buses))).tocsr()
    return shortest_path(g, directed=False), pos


def counterpart_distance(branches: pd.DataFrame, users: pd.DataFrame) -> np.ndarray:
    """Per user, the MW-weighted mean shortest-path length to the users of the other side
    (generators to loads, loads to generators)."""
    d, pos = path_lengths(branches)
    out = np.empty(len(users))
    for n, u in enumerate(users.itertuples(index=False)):
        other = users[users.side != u.side]
        dist = d[pos[u.bus], other.bus.map(pos).to_numpy()]
        out[n] = np.average(dist, weights=other.p_mw.to_numpy(float))
    return out
