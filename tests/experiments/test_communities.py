"""Emergent communities: seeded Louvain (networkx) and Leiden (python-igraph, the lab extra)."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.core.metrics import communities_arrays, community_backend
from simulator.core.simulation import Simulation
from simulator.experiments.generate import OrgOptions, generate_org


def _cliques(k: int = 4, size: int = 6) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    src, dst = [], []
    for c in range(k):
        members = range(c * size, (c + 1) * size)
        src += [a for a in members for b in members if a != b]
        dst += [b for a in members for b in members if a != b]
    # one weak bridge between neighbouring cliques
    for c in range(k - 1):
        src += [c * size, (c + 1) * size]
        dst += [(c + 1) * size, c * size]
    weight = np.where(np.arange(len(src)) >= len(src) - 2 * (k - 1), 0.05, 1.0)
    return np.array(src), np.array(dst), weight, k * size


@pytest.mark.parametrize("backend", ["networkx-louvain", "igraph-leiden"])
def test_both_backends_find_planted_cliques_the_same_way_every_time(backend: str) -> None:
    if backend == "igraph-leiden":
        pytest.importorskip("igraph", reason="the lab extra (python-igraph) is not installed")
    src, dst, weight, n = _cliques()
    labels, used = communities_arrays(src, dst, weight, n, seed=3, backend=backend)
    assert used == backend
    assert labels == [i // 6 for i in range(n)]  # labels are numbered by first member
    again, _ = communities_arrays(src, dst, weight, n, seed=3, backend=backend)
    assert again == labels


def test_unknown_backend_is_refused() -> None:
    src, dst, weight, n = _cliques()
    with pytest.raises(ValueError, match="unknown community backend"):
        communities_arrays(src, dst, weight, n, backend="magic")


def test_large_organisations_use_leiden_when_igraph_is_installed() -> None:
    pytest.importorskip("igraph", reason="the lab extra (python-igraph) is not installed")
    assert community_backend(29_999) == "networkx-louvain"
    assert community_backend(30_000) == "igraph-leiden"
    setup = generate_org(OrgOptions(people=30_000, seed=2)).setup()
    first = Simulation(setup, seed=5, undo=False).communities()
    assert first["backend"] == "igraph-leiden"
    # trust follows the org chart at the start: communities are unions of whole teams,
    # far from random (modularity merges small teams, so not 1.0 either)
    assert 0.5 < first["nmi"] < 1.0
    assert first["count"] >= 50
    second = Simulation(setup, seed=5, undo=False).communities()
    assert second["labels"] == first["labels"]
