"""Network measures of the trust graph, per turn on request (``--measures``).

The silo metrics of every row (E-I, modularity, mean trust) are cheap; these are not, so a
run computes them only when asked: ``trustsim run ... --measures constraint,nmi`` or
``--measures all``. Each is a pure function of the *tie graph*, networkx style, and each
is the networkx (or python-igraph) algorithm itself; this module only chooses the graph
and aggregates.

The tie graph (:func:`tie_graph`) holds the ties that count in the silo metrics: every
directed relationship with strength > 0 (an opinion of someone one no longer works with,
strength 0, is not a tie), weighted by ``trust * strength``. Every measure is registered
by name in :data:`MEASURES`, which docs/lab.md shows as a table.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..core.metrics import communities, tie_weight

if TYPE_CHECKING:  # networkx costs 0.2 s of start-up: imported where used
    import networkx as nx

    from ..core.simulation import Simulation

#: Strength a tie needs to count as kept in :func:`tie_persistence`.
PERSISTENCE_THRESHOLD = 0.1


def tie_graph(G: nx.DiGraph, *, weight: str | None = None) -> nx.DiGraph:
    """The ties of ``G`` (edges with ``strength`` > 0), each with ``weight`` = trust x
    strength (or ``data[weight]``) and its ``strength``; every node is kept.

    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_edge("a", "b", trust=0.5, strength=0.4)
    >>> G.add_edge("b", "a", trust=0.9, strength=0.0)
    >>> H = tie_graph(G)
    >>> list(H.edges(data="weight")), sorted(H)
    ([('a', 'b', 0.2)], ['a', 'b'])
    """
    import networkx as nx

    H = nx.DiGraph()
    H.add_nodes_from(G.nodes(data=True))
    H.add_edges_from(
        (u, v, {"weight": tie_weight(data, weight), "strength": float(data["strength"])})
        for u, v, data in G.edges(data=True) if float(data.get("strength", 0.0)) > 0)
    return H


def _team_means(values: Mapping[Hashable, float], team_of: Mapping[Hashable, Hashable]
                ) -> dict[Hashable, float]:
    """The mean of ``values`` over each team's members (NaN left out; NaN if none)."""
    sums: dict[Hashable, float] = dict.fromkeys(team_of.values(), 0.0)
    counts: dict[Hashable, int] = dict.fromkeys(team_of.values(), 0)
    for node, value in values.items():
        if not math.isnan(value):
            sums[team_of[node]] += value
            counts[team_of[node]] += 1
    return {t: sums[t] / counts[t] if counts[t] else math.nan for t in sums}


def constraint_by_team(G: nx.DiGraph, team_of: Mapping[Hashable, Hashable], *,
                       weight: str | None = "weight") -> dict[Hashable, float]:
    """Burt's constraint (:func:`networkx.constraint`), mean over each team's members.

    Near 1: a person whose contacts all know each other (a closed group); low: a broker
    whose contacts are otherwise unconnected. People without ties are left out.

    >>> import networkx as nx
    >>> G = nx.DiGraph([("a", "b"), ("b", "a"), ("a", "c"), ("c", "a")])
    >>> nx.set_edge_attributes(G, 1.0, "weight")
    >>> constraint_by_team(G, {"a": "x", "b": "y", "c": "y"})
    {'x': 0.5, 'y': 1.0}
    """
    import networkx as nx

    return _team_means(nx.constraint(G, weight=weight), team_of)


def effective_size_by_team(G: nx.DiGraph, team_of: Mapping[Hashable, Hashable], *,
                           weight: str | None = "weight") -> dict[Hashable, float]:
    """Burt's effective size (:func:`networkx.effective_size`), mean over each team's
    members: how many non-redundant contacts a person has. People without ties are left
    out.

    >>> import networkx as nx
    >>> G = nx.DiGraph([("a", "b"), ("b", "a"), ("a", "c"), ("c", "a")])
    >>> nx.set_edge_attributes(G, 1.0, "weight")
    >>> effective_size_by_team(G, {"a": "x", "b": "y", "c": "y"})
    {'x': 2.0, 'y': 1.0}
    """
    import networkx as nx

    return _team_means(nx.effective_size(G, weight=weight), team_of)


def cross_team_betweenness(G: nx.DiGraph, team_of: Mapping[Hashable, Hashable], *,
                           weight: str | None = "weight") -> float:
    """The share of all edge betweenness carried by ties between teams.

    Edge betweenness (:func:`networkx.edge_betweenness_centrality`) counts, for every
    tie, the shortest paths between pairs of people that run over it; a tie's length is
    ``1 / weight`` (a strong, trusted tie is short; ``weight=None``: every tie has length
    1; ties of weight 0 are left out). The result is the cross-team ties' part of the
    total: near 0 when paths stay inside teams, high when the teams' few links carry the
    organisation's traffic. NaN without paths. Computed with python-igraph when it is
    installed (the same numbers, much faster), else with networkx.

    >>> import networkx as nx
    >>> G = nx.DiGraph([("a", "b"), ("b", "a"), ("b", "c"), ("c", "b")])
    >>> nx.set_edge_attributes(G, 1.0, "weight")
    >>> cross_team_betweenness(G, {"a": 0, "b": 0, "c": 1})
    0.5
    """
    edges = [(u, v, 1.0 if weight is None else float(d.get(weight, 1.0)))
             for u, v, d in G.edges(data=True)]
    edges = [(u, v, 1.0 / w if weight is not None else 1.0) for u, v, w in edges if w > 0]
    betweenness = _edge_betweenness(list(G), edges)
    total = sum(betweenness)
    if total <= 0:
        return math.nan
    cross = sum(b for (u, v, _), b in zip(edges, betweenness, strict=True)
                if team_of[u] != team_of[v])
    return cross / total


def _edge_betweenness(nodes: list[Hashable], edges: list[tuple[Hashable, Hashable, float]]
                      ) -> list[float]:
    """Normalised directed edge betweenness of ``edges`` (u, v, length), in their order:
    python-igraph if installed, else networkx (equal to 1e-15; a test checks)."""
    try:
        import igraph as ig
    except ImportError:
        import networkx as nx

        H = nx.DiGraph()
        H.add_nodes_from(nodes)
        H.add_weighted_edges_from(edges, weight="length")
        found = nx.edge_betweenness_centrality(H, weight="length")
        return [found[(u, v)] for u, v, _ in edges]
    index = {node: i for i, node in enumerate(nodes)}
    graph = ig.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v, _ in edges],
                     directed=True)
    raw = graph.edge_betweenness(directed=True, weights=[length for *_, length in edges])
    n = len(nodes)
    scale = 1.0 / (n * (n - 1)) if n > 1 else 1.0  # networkx's normalisation (directed)
    return [b * scale for b in raw]


def reciprocity(G: nx.DiGraph) -> float:
    """The share of ties that are returned (:func:`networkx.overall_reciprocity`): 1.0 when
    everyone who has a tie to someone also has one back. NaN for a graph without ties.

    >>> import networkx as nx
    >>> reciprocity(nx.DiGraph([("a", "b"), ("b", "a"), ("a", "c")]))
    0.6666666666666666
    """
    import networkx as nx

    if G.number_of_edges() == 0:
        return math.nan
    return float(nx.overall_reciprocity(G))


def tie_persistence(first: nx.DiGraph, now: nx.DiGraph, *,
                    threshold: float = PERSISTENCE_THRESHOLD,
                    strength: str = "strength") -> float:
    """The share of the ties of ``first`` with strength >= ``threshold`` whose strength in
    ``now`` is still >= ``threshold`` (1.0 at the start; ties formed since do not count).
    NaN when ``first`` has no such tie.

    >>> import networkx as nx
    >>> first = nx.DiGraph([("a", "b", {"strength": 0.5}), ("b", "a", {"strength": 0.5})])
    >>> now = nx.DiGraph([("a", "b", {"strength": 0.4}), ("b", "a", {"strength": 0.05})])
    >>> tie_persistence(first, now)
    0.5
    """
    kept = [(u, v) for u, v, s in first.edges(data=strength, default=0.0) if s >= threshold]
    if not kept:
        return math.nan
    still = sum(1 for u, v in kept
                if now.has_edge(u, v) and now[u][v].get(strength, 0.0) >= threshold)
    return still / len(kept)


def community_team_nmi(G: nx.DiGraph, team_of: Mapping[Hashable, Hashable], *,
                       seed: int = 0, weight: str | None = "weight") -> float:
    """Normalised mutual information between the emergent communities of ``G`` and the
    formal teams: 1.0 when trust follows the org chart exactly, near 0 when unrelated.

    Communities as :func:`simulator.core.metrics.communities` finds them (seeded Louvain,
    or Leiden on large graphs); NMI by ``igraph.compare_communities(method="nmi")``
    (python-igraph, the ``lab`` extra).

    >>> import networkx as nx
    >>> G = nx.DiGraph([(1, 2), (2, 1), (3, 4), (4, 3)])
    >>> nx.set_edge_attributes(G, 1.0, "weight")
    >>> community_team_nmi(G, {1: "x", 2: "x", 3: "y", 4: "y"}, seed=1)
    1.0
    """
    ig = _igraph("the nmi measure")
    nodes = list(G)
    label = {}
    for number, members in enumerate(communities(G, seed=seed, weight=weight)):
        label.update(dict.fromkeys(members, number))
    teams: dict[Hashable, int] = {}
    formal = [teams.setdefault(team_of[node], len(teams)) for node in nodes]
    return float(ig.compare_communities([label[node] for node in nodes], formal,
                                        method="nmi"))


def _igraph(what: str) -> Any:
    try:
        import igraph
    except ImportError:
        raise RuntimeError(f"{what} needs python-igraph: pip install 'trustsim[lab]'") \
            from None
    return igraph


# -- the registry -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Turn:
    """What a measure sees at one turn of a run."""

    graph: nx.DiGraph  #: the tie graph now
    team_of: Mapping[Hashable, Hashable]  #: person -> team
    first: nx.DiGraph  #: the tie graph at turn 0
    seed: int  #: the run's seed (for seeded community detection)


@dataclass(frozen=True, slots=True)
class Measure:
    """A measure the lab computes on request: one value per team, or one for the whole
    organisation (repeated on every team's row, as ``modularity`` is)."""

    name: str
    per_team: bool
    summary: str
    compute: Callable[[Turn], float | Mapping[Hashable, float]]


MEASURES: dict[str, Measure] = {m.name: m for m in (
    Measure("constraint", True,
            "Burt's constraint (`networkx.constraint`, ties weighted by trust x strength), "
            "mean over the team's members: near 1 in a closed group, low for brokers",
            lambda t: constraint_by_team(t.graph, t.team_of)),
    Measure("effective_size", True,
            "Burt's effective size (`networkx.effective_size`, same weights), mean over the "
            "team's members: how many non-redundant contacts a person has",
            lambda t: effective_size_by_team(t.graph, t.team_of)),
    Measure("cross_betweenness", False,
            "share of all edge betweenness (`networkx.edge_betweenness_centrality`, a tie's "
            "length 1 / (trust x strength)) carried by ties between teams",
            lambda t: cross_team_betweenness(t.graph, t.team_of)),
    Measure("reciprocity", False,
            "share of ties that are returned (`networkx.overall_reciprocity`)",
            lambda t: reciprocity(t.graph)),
    Measure("persistence", False,
            f"share of the turn-0 ties with strength >= {PERSISTENCE_THRESHOLD} that still "
            "have it (1.0 at turn 0)",
            lambda t: tie_persistence(t.first, t.graph)),
    Measure("nmi", False,
            "normalised mutual information between the emergent communities (seeded "
            "Louvain, as `game.communities()`) and the formal teams "
            "(`igraph.compare_communities`): 1.0 when trust follows the org chart",
            lambda t: community_team_nmi(t.graph, t.team_of, seed=t.seed)),
)}


def parse_measures(text: str | Iterable[str]) -> tuple[str, ...]:
    """``constraint,nmi`` (or a list of names) as registered names, in the registry's
    order; ``all`` for every measure. Unknown names are refused.

    >>> parse_measures("nmi, constraint")
    ('constraint', 'nmi')
    >>> parse_measures("all") == tuple(MEASURES)
    True
    """
    names = [n.strip() for n in (text.split(",") if isinstance(text, str) else text)]
    names = [n for n in names if n]
    if "all" in names:
        return tuple(MEASURES)
    unknown = [n for n in names if n not in MEASURES]
    if unknown:
        raise ValueError(f"unknown measure{'s' if len(unknown) > 1 else ''}: "
                         f"{', '.join(unknown)} (known: {', '.join(MEASURES)}, or all)")
    if "nmi" in names:
        try:
            _igraph("the nmi measure")
        except RuntimeError as exc:
            raise ValueError(str(exc)) from None
    return tuple(n for n in MEASURES if n in names)


def measure_table() -> list[str]:
    """The registry as the Markdown table docs/lab.md shows (a test keeps them equal)."""
    rows = ["| measure | per | what it is |", "| --- | --- | --- |"]
    rows += [f"| `{m.name}` | {'team' if m.per_team else 'organisation'} | {m.summary} |"
             for m in MEASURES.values()]
    return rows


def measure_columns(names: Sequence[str]) -> list[str]:
    """The table's columns for the measures ``names``, in the registry's order."""
    return [n for n in MEASURES if n in names]


def game_tie_graph(game: Simulation) -> nx.DiGraph:
    """The tie graph of a game now (people by id; ``weight``, ``strength``), straight
    from the game's arrays."""
    import networkx as nx

    w = game.world
    n = w.n_edges
    tie = (w.strength[:n] > 0).nonzero()[0]
    ids = w.ids
    src, dst = w.src[:n][tie].tolist(), w.dst[:n][tie].tolist()
    strength = w.strength[:n][tie]
    weight = (w.trust[:n][tie] * strength).tolist()
    G = nx.DiGraph()
    G.add_nodes_from(ids)
    G.add_edges_from(
        (ids[a], ids[b], {"weight": x, "strength": s})
        for a, b, x, s in zip(src, dst, weight, strength.tolist(), strict=True))
    return G


def record_measures(game: Simulation, names: Sequence[str], cols: dict[str, list[Any]],
                    memo: dict[str, Any]) -> None:
    """Append the measures ``names`` of the game now to ``cols``: one value per team, in
    the order of the game's teams (the order of the row's other columns). ``memo`` keeps
    what a run needs between turns (the turn-0 tie graph); give the same dict every turn.
    """
    if not names:
        return
    w = game.world
    G = game_tie_graph(game)
    memo.setdefault("first", G)
    team_of: dict[Hashable, Hashable] = {
        pid: w.team_ids[t] for pid, t in zip(w.ids, w.team.tolist(), strict=True)}
    turn = Turn(G, team_of, memo["first"], game.seed)
    teams = w.team_ids
    for name in measure_columns(names):
        measure = MEASURES[name]
        value = measure.compute(turn)
        if isinstance(value, Mapping):
            cols[name] += [float(value.get(t, math.nan)) for t in teams]
        else:
            cols[name] += [float(value)] * len(teams)


__all__ = [
    "MEASURES", "PERSISTENCE_THRESHOLD", "Measure", "Turn", "community_team_nmi",
    "constraint_by_team", "cross_team_betweenness", "effective_size_by_team",
    "game_tie_graph", "measure_columns", "measure_table", "parse_measures", "reciprocity",
    "record_measures", "tie_graph", "tie_persistence",
]
