"""Shared contacts and open triads (simulator.core.structure) against a brute-force count."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.core.structure import open_triads, shared_contacts
from simulator.experiments.generate import generate_org


@pytest.mark.parametrize("seed", [1, 7])
def test_shared_contacts_and_open_triads_match_a_brute_force_count(seed: int) -> None:
    org = generate_org(people=150, seed=seed)
    src, dst, strength = org.tie_src, org.tie_dst, org.tie_strength.copy()
    strength[::7] = 0.0  # some opinions (strength 0) among the ties
    n = org.n
    tied: list[set[int]] = [set() for _ in range(n)]
    directed: dict[tuple[int, int], float] = {}
    for a, b, s in zip(src.tolist(), dst.tolist(), strength.tolist(), strict=True):
        directed[(a, b)] = s
        if s > 0:
            tied[a].add(b)
            tied[b].add(a)
    shared = shared_contacts(n, src, dst, strength)
    expected = [len(tied[a] & tied[b]) if b in tied[a] else 0
                for a, b in zip(src.tolist(), dst.tolist(), strict=True)]
    assert shared.tolist() == expected
    assert max(expected) > 0

    managers = org.manager
    peer = (managers[src] != dst) & (managers[dst] != src)
    legs = {(a, b) for (a, b), s, ok in zip(directed, strength.tolist(), peer.tolist(),
                                            strict=True) if s >= 0.5 and ok}
    a, k, b = open_triads(n, src, dst, strength, 0.5, peer)
    brute = sorted((x, p, y) for (x, p) in legs for (q, y) in legs
                   if q == p and y != x and y not in tied[x])
    assert sorted(zip(a.tolist(), k.tolist(), b.tolist(), strict=True)) == brute
    assert brute, "the organisation should have open triads to find"
    assert list(zip(a.tolist(), b.tolist(), k.tolist(), strict=True)) == sorted(
        zip(a.tolist(), b.tolist(), k.tolist(), strict=True))  # rows in (a, b, k) order


def test_no_strong_legs_no_triads() -> None:
    src = np.array([0, 1, 1, 2])
    dst = np.array([1, 0, 2, 1])
    a, _, _ = open_triads(3, src, dst, np.full(4, 0.3), 0.5)
    assert len(a) == 0
