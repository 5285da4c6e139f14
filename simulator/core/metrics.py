"""Silo metrics: pure functions, networkx style, with fast numpy twins.

The graph functions take a directed graph whose edges carry ``trust`` and ``strength``
and a mapping from node to team. A tie's weight is ``trust * strength``: how much one
person trusts another, times how much they actually interact. The ``*_arrays`` twins take
the same data as parallel edge arrays; the game uses those, so metrics cost a few numpy
passes even at 300,000 people.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:  # networkx is imported lazily: it costs 0.2 s of start-up
    import networkx as nx

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int32] | npt.NDArray[np.int64]


def tie_weight(data: Mapping[str, Any], weight: str | None = None) -> float:
    """The weight of one edge: ``data[weight]`` if given, else ``trust * strength``."""
    if weight is not None:
        return float(data.get(weight, 1.0))
    return float(data.get("trust", 0.0)) * float(data.get("strength", 0.0))


# -- E-I index -------------------------------------------------------------------------------


def ei_index(
    G: nx.DiGraph, team_of: Mapping[Hashable, Hashable], *, weight: str | None = None
) -> dict[Hashable, float]:
    """Krackhardt and Stern's E-I index per team over weighted outgoing ties.

    ``(E - I) / (E + I)`` where ``E`` sums the weights of ties from the team's members to
    people outside it and ``I`` to people inside it: -1 is a closed silo, +1 looks only
    outwards. A team with no weighted ties gets ``nan``.

    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_edge("a", "b", trust=1.0, strength=1.0)
    >>> G.add_edge("a", "c", trust=0.5, strength=1.0)
    >>> ei_index(G, {"a": "x", "b": "x", "c": "y"})["x"]
    -0.3333333333333333
    """
    external: dict[Hashable, float] = {}
    internal: dict[Hashable, float] = {}
    for team in set(team_of.values()):
        external[team] = 0.0
        internal[team] = 0.0
    for u, v, data in G.edges(data=True):
        w = tie_weight(data, weight)
        if team_of[u] == team_of[v]:
            internal[team_of[u]] += w
        else:
            external[team_of[u]] += w
    return {
        t: (external[t] - internal[t]) / (external[t] + internal[t])
        if external[t] + internal[t] > 0 else math.nan
        for t in external
    }


def ei_index_arrays(
    src_team: IntArray, dst_team: IntArray, weight: FloatArray, n_teams: int
) -> FloatArray:
    """E-I index per team from edge arrays (team of each edge's ends, and its weight).

    >>> ei_index_arrays(np.array([0, 0]), np.array([0, 1]), np.array([1.0, 0.5]), 2)
    array([-0.33333333,         nan])
    """
    cross = src_team != dst_team
    external = np.bincount(src_team, weights=weight * cross, minlength=n_teams)
    total = np.bincount(src_team, weights=weight, minlength=n_teams)
    internal = total - external
    with np.errstate(invalid="ignore", divide="ignore"):
        result: FloatArray = (external - internal) / total
    result[total <= 0] = np.nan
    return result


# -- modularity of the formal teams --------------------------------------------------------


def team_modularity(
    G: nx.DiGraph, team_of: Mapping[Hashable, Hashable], *, weight: str | None = None
) -> float:
    """Directed modularity of the formal teams on the weighted trust graph.

    High values mean trust stays inside the formal teams (silos); values near zero mean
    trust ignores team borders. Equal to ``nx.community.modularity`` with the same weights.

    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_edge("a", "b", trust=1.0, strength=1.0)
    >>> G.add_edge("c", "d", trust=1.0, strength=1.0)
    >>> round(team_modularity(G, {"a": 0, "b": 0, "c": 1, "d": 1}), 3)
    0.5
    """
    total = 0.0
    intra = 0.0
    out_w: dict[Hashable, float] = {}
    in_w: dict[Hashable, float] = {}
    for u, v, data in G.edges(data=True):
        w = tie_weight(data, weight)
        total += w
        out_w[team_of[u]] = out_w.get(team_of[u], 0.0) + w
        in_w[team_of[v]] = in_w.get(team_of[v], 0.0) + w
        if team_of[u] == team_of[v]:
            intra += w
    if total <= 0:
        return math.nan
    expected = sum(out_w[t] * in_w.get(t, 0.0) for t in out_w) / (total * total)
    return intra / total - expected


def team_modularity_arrays(
    src_team: IntArray, dst_team: IntArray, weight: FloatArray, n_teams: int
) -> float:
    """:func:`team_modularity` from edge arrays.

    >>> team_modularity_arrays(np.array([0, 1]), np.array([0, 1]), np.array([1.0, 1.0]), 2)
    0.5
    """
    total = float(weight.sum())
    if total <= 0:
        return math.nan
    intra = float(weight[src_team == dst_team].sum())
    out_w = np.bincount(src_team, weights=weight, minlength=n_teams)
    in_w = np.bincount(dst_team, weights=weight, minlength=n_teams)
    return intra / total - float(out_w @ in_w) / (total * total)


# -- mean trust inside and across teams ----------------------------------------------------


def mean_trust(
    G: nx.DiGraph, team_of: Mapping[Hashable, Hashable], *, cross_team: bool
) -> float:
    """Mean trust over ties (strength > 0) across team borders, or inside teams.

    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_edge("a", "b", trust=0.8, strength=1.0)
    >>> G.add_edge("a", "c", trust=0.2, strength=1.0)
    >>> mean_trust(G, {"a": 0, "b": 0, "c": 1}, cross_team=True)
    0.2
    """
    values = [
        float(d["trust"]) for u, v, d in G.edges(data=True)
        if d.get("strength", 0.0) > 0 and (team_of[u] != team_of[v]) == cross_team
    ]
    return sum(values) / len(values) if values else math.nan


def team_links_arrays(src_team: IntArray, dst_team: IntArray, trust: FloatArray,
                      n_teams: int, *, limit: int = 2
                      ) -> dict[int, list[tuple[int, float, int]]]:
    """Each team's strongest links to other teams: for every team, the ``limit`` teams it
    has the most ties to, each with the mean trust over those ties and their number.

    Sparse: a pair of teams with no tie costs nothing, so thousands of teams cost what a
    few do. Give it the ties that count (strength > 0).

    >>> import numpy as np
    >>> src, dst = np.array([0, 0, 0, 1]), np.array([1, 1, 2, 0])
    >>> team_links_arrays(src, dst, np.array([0.4, 0.6, 0.9, 0.3]), 3)
    {0: [(1, 0.5, 2), (2, 0.9, 1)], 1: [(0, 0.3, 1)]}
    """
    cross = src_team != dst_team
    if not cross.any():
        return {}
    pair = src_team[cross].astype(np.int64) * n_teams + dst_team[cross]
    pairs, inverse, counts = np.unique(pair, return_inverse=True, return_counts=True)
    sums = np.bincount(inverse, weights=trust[cross], minlength=len(pairs))
    source, target = pairs // n_teams, pairs % n_teams
    order = np.lexsort((target, -counts, source))  # per team: most ties first
    source, target, counts, sums = source[order], target[order], counts[order], sums[order]
    rank = np.arange(len(source)) - np.searchsorted(source, source)
    out: dict[int, list[tuple[int, float, int]]] = {}
    for idx in np.flatnonzero(rank < limit).tolist():
        out.setdefault(int(source[idx]), []).append(
            (int(target[idx]), round(float(sums[idx] / counts[idx]), 12), int(counts[idx])))
    return out


# -- emergent communities ------------------------------------------------------------------


def communities(G: nx.DiGraph, *, seed: int = 0, weight: str | None = None,
                resolution: float = 1.0) -> list[set[Hashable]]:
    """Emergent communities of the trust graph (seeded Louvain, networkx).

    Uses python-igraph's Leiden when it is installed and the graph is large
    (30,000 people or more); :func:`community_backend` says which one runs.

    >>> import networkx as nx
    >>> G = nx.DiGraph([(1, 2), (2, 1), (3, 4), (4, 3)])
    >>> nx.set_edge_attributes(G, 1.0, "trust"); nx.set_edge_attributes(G, 1.0, "strength")
    >>> sorted(sorted(c) for c in communities(G, seed=1))
    [[1, 2], [3, 4]]
    """
    import networkx as nx

    H = nx.Graph()
    H.add_nodes_from(G)
    for u, v, data in G.edges(data=True):
        w = tie_weight(data, weight)
        if w <= 0:
            continue
        if H.has_edge(u, v):
            H[u][v]["w"] += w
        else:
            H.add_edge(u, v, w=w)
    if community_backend(H.number_of_nodes()) == "igraph-leiden":
        nodes = list(H)
        index = {n: i for i, n in enumerate(nodes)}
        edges = list(H.edges(data="w"))
        membership = _leiden(len(nodes), [index[u] for u, _, _ in edges],
                             [index[v] for _, v, _ in edges], [w for _, _, w in edges],
                             seed=seed, resolution=resolution)
        groups: dict[int, set[Hashable]] = {}
        for node, community in zip(nodes, membership, strict=True):
            groups.setdefault(community, set()).add(node)
        return list(groups.values())
    found = nx.community.louvain_communities(H, weight="w", seed=seed, resolution=resolution)
    return [set(c) for c in found]


def communities_arrays(src: IntArray, dst: IntArray, weight: FloatArray, n_people: int, *,
                       seed: int = 0, resolution: float = 1.0,
                       backend: str | None = None) -> tuple[list[int], str]:
    """Community label per person from edge arrays, and the backend that found them.

    Ties are made undirected by adding both directions' weights. ``backend`` is
    ``"igraph-leiden"`` or ``"networkx-louvain"``; by default Leiden (python-igraph, the
    ``lab`` extra) from 30,000 people on when it is installed, else Louvain. Both are
    seeded, so the same graph and seed give the same communities.

    >>> labels, backend = communities_arrays(np.array([0, 1, 2, 3]), np.array([1, 0, 3, 2]),
    ...                                      np.ones(4), 4, seed=1)
    >>> labels[0] == labels[1] != labels[2] == labels[3], backend
    (True, 'networkx-louvain')
    """
    keep = weight > 0
    a = np.minimum(src[keep], dst[keep]).astype(np.int64)
    b = np.maximum(src[keep], dst[keep]).astype(np.int64)
    key = a * n_people + b
    unique, inverse = np.unique(key, return_inverse=True)
    summed = np.bincount(inverse, weights=weight[keep])
    ua, ub = (unique // n_people).tolist(), (unique % n_people).tolist()
    backend = backend or community_backend(n_people)
    if backend == "igraph-leiden":
        membership = _leiden(n_people, ua, ub, summed.tolist(), seed=seed,
                             resolution=resolution)
        found: list[list[int]] = [[] for _ in range(max(membership, default=-1) + 1)]
        for person, community in enumerate(membership):
            found[community].append(person)
    elif backend == "networkx-louvain":
        import networkx as nx

        H = nx.Graph()
        H.add_nodes_from(range(n_people))
        H.add_weighted_edges_from(zip(ua, ub, summed.tolist(), strict=True), weight="w")
        found = [[int(m) for m in c] for c in nx.community.louvain_communities(
            H, weight="w", seed=seed, resolution=resolution)]
    else:
        raise ValueError(f"unknown community backend {backend!r}")
    groups = sorted(sorted(c) for c in found if c)
    labels = [0] * n_people
    for label, members in enumerate(groups):
        for member in members:
            labels[member] = label
    return labels, backend


def community_backend(n_people: int) -> str:
    """``"igraph-leiden"`` for large graphs when python-igraph is installed, else networkx."""
    if n_people >= 30_000:
        try:
            import igraph  # noqa: F401
        except ImportError:
            return "networkx-louvain"
        return "igraph-leiden"
    return "networkx-louvain"


def _leiden(n: int, ua: list[int], ub: list[int], weights: list[float], *, seed: int,
            resolution: float) -> list[int]:
    """Leiden (modularity) with python-igraph, seeded; igraph's generator is put back."""
    import random as _random

    import igraph as ig

    graph = ig.Graph(n=n, edges=list(zip(ua, ub, strict=True)))
    graph.es["w"] = weights
    ig.set_random_number_generator(_random.Random(seed))
    try:
        # iterate to convergence (n_iterations < 0): the result no longer depends on
        # how many passes happened to be enough
        parts = graph.community_leiden(objective_function="modularity", weights="w",
                                       resolution=resolution, n_iterations=-1)
    finally:
        ig.set_random_number_generator(_random)
    return list(parts.membership)


def normalized_mutual_information(a: list[int], b: list[int]) -> float:
    """NMI (arithmetic mean normalisation) between two labelings of the same items.

    1.0 when emergent communities match the formal teams exactly, near 0 when unrelated.

    >>> normalized_mutual_information([0, 0, 1, 1], [5, 5, 7, 7])
    1.0
    """
    if len(a) != len(b) or not a:
        raise ValueError("labelings must be non-empty and of equal length")
    _, ai = np.unique(np.asarray(a), return_inverse=True)
    _, bi = np.unique(np.asarray(b), return_inverse=True)
    table = np.zeros((ai.max() + 1, bi.max() + 1))
    np.add.at(table, (ai, bi), 1)
    n = table.sum()
    pa = table.sum(axis=1) / n
    pb = table.sum(axis=0) / n
    pab = table / n
    nz = pab > 0
    mi = float((pab[nz] * np.log(pab[nz] / np.outer(pa, pb)[nz])).sum())
    ha = float(-(pa[pa > 0] * np.log(pa[pa > 0])).sum())
    hb = float(-(pb[pb > 0] * np.log(pb[pb > 0])).sum())
    if ha + hb == 0:
        return 1.0
    return round(2 * mi / (ha + hb), 12)


class TeamValues(Mapping[str, float]):
    """One value per team (team id -> value), read from an array without building a dict:
    an organisation of 40,000 teams is measured every turn.

    >>> values = TeamValues({"a": 0, "b": 1}, np.array([0.25, 0.5]))
    >>> values["b"], list(values), dict(values) == {"a": 0.25, "b": 0.5}
    (0.5, ['a', 'b'], True)
    """

    __slots__ = ("_index", "_values")

    def __init__(self, index: Mapping[str, int], values: npt.NDArray[np.float64]) -> None:
        self._index = index
        self._values = values

    def __getitem__(self, key: str) -> float:
        return float(self._values[self._index[key]])

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)

    def array(self) -> npt.NDArray[np.float64]:
        """The values in team order (a view: do not change it)."""
        return self._values

    def __repr__(self) -> str:
        return f"TeamValues({dict(self)!r})"
