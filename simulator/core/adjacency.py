"""Who is tied to whom: the topology the spread walks.

The ties a game starts with are frozen into compressed sparse rows (numpy arrays sorted by
source and by target, built in a few hundred milliseconds even for millions of ties).
Ties created during play (hearsay opinions, ``connect``, new hires) go into small dicts on
top. Each tie is known by its edge id, which indexes the per-edge state arrays.

Why not a networkx ``DiGraph`` for this? Measured on this project's machines, building one
with 3.3 million ties (300,000 people) takes about 9 s and 1.5 GB, because every edge needs
its own dict; the arrays below take 0.3 s and 60 MB, and walking a few hops from one person
costs the same. networkx stays the graph API for analysis and export:
:meth:`simulator.core.world.World.graph` builds a ``DiGraph`` on demand.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]


class Adjacency:
    """Directed adjacency over person indices with an edge id per tie."""

    def __init__(self, n: int, src: npt.NDArray[np.integer], dst: npt.NDArray[np.integer]
                 ) -> None:
        self.base_people = n
        self.base_edges = m = len(src)
        s = np.asarray(src, np.int64)
        d = np.asarray(dst, np.int64)
        key = s * n + d
        by_src = np.argsort(key, kind="stable")
        self._key = key[by_src]
        self._key_eid = by_src
        self._out_ptr = np.searchsorted(s[by_src], np.arange(n + 1))
        self._out_dst = d[by_src]
        by_dst = np.argsort(d, kind="stable")
        self._in_ptr = np.searchsorted(d[by_dst], np.arange(n + 1))
        self._in_src = s[by_dst]
        self._in_eid = by_dst
        self._extra_out: dict[int, dict[int, int]] = {}
        self._extra_in: dict[int, dict[int, int]] = {}
        self._in_cache: dict[int, list[tuple[int, int]]] = {}
        # base ties looked up so far, by key (-1: not a base tie): a binary search costs a
        # few microseconds, a dict lookup a tenth of that, and the same pairs come up again
        # and again (the base never changes, so this never goes stale)
        self._found: dict[int, int] = {}
        assert len(self._key) == m

    def fork(self) -> Adjacency:
        """A new adjacency over the same frozen base ties, with no added ties of its own.

        The base arrays and the lookup caches (which only ever hold base ties) are
        shared; games of one organisation fork the first one's instead of sorting again.
        """
        other = object.__new__(Adjacency)
        other.__dict__.update(self.__dict__)
        other._extra_out = {}
        other._extra_in = {}
        return other

    # -- reading ---------------------------------------------------------------------------

    def eid(self, a: int, b: int) -> int | None:
        """The edge id of ``a -> b``, or ``None``."""
        extra = self._extra_out.get(a)
        if extra is not None:
            e = extra.get(b)
            if e is not None:
                return e
        n = self.base_people
        if a >= n or b >= n or not self.base_edges:
            return None
        k = a * n + b
        found = self._found.get(k)
        if found is None:
            j = int(self._key.searchsorted(k))
            found = int(self._key_eid[j]) if j < self.base_edges and int(self._key[j]) == k \
                else -1
            self._found[k] = found
        return None if found < 0 else found

    def base_eids(self, a: IntArray, b: IntArray) -> IntArray:
        """Edge ids of the base ties ``a[i] -> b[i]`` (-1 where there is none), at once."""
        n = self.base_people
        if not self.base_edges or len(a) == 0:
            return np.full(len(a), -1, np.int64)
        k = np.asarray(a, np.int64) * n + np.asarray(b, np.int64)
        j = np.searchsorted(self._key, k)
        j[j >= self.base_edges] = 0
        return np.where(self._key[j] == k, self._key_eid[j], -1)

    def listeners(self, t: int) -> list[tuple[int, int]]:
        """``(o, e)`` for every tie ``o -> t``: the people who listen to ``t``."""
        cached = self._in_cache.get(t)
        if cached is None:
            if t < self.base_people:
                lo, hi = int(self._in_ptr[t]), int(self._in_ptr[t + 1])
                cached = list(zip(self._in_src[lo:hi].tolist(), self._in_eid[lo:hi].tolist(),
                                  strict=True))
            else:
                cached = []
            self._in_cache[t] = cached
        extra = self._extra_in.get(t)
        if extra:
            return cached + list(extra.items())
        return cached

    def listener_arrays(self, t: int) -> tuple[IntArray, IntArray]:
        """:meth:`listeners` as two arrays ``(o, e)``, for whole-array work."""
        if t < self.base_people:
            lo, hi = int(self._in_ptr[t]), int(self._in_ptr[t + 1])
            src, eid = self._in_src[lo:hi], self._in_eid[lo:hi]
        else:
            src = eid = np.zeros(0, np.int64)
        extra = self._extra_in.get(t)
        if extra:
            src = np.concatenate((src, np.fromiter(extra.keys(), np.int64, len(extra))))
            eid = np.concatenate((eid, np.fromiter(extra.values(), np.int64, len(extra))))
        return src, eid

    def out_edges(self, a: int) -> list[tuple[int, int]]:
        """``(b, e)`` for every tie ``a -> b``."""
        found: list[tuple[int, int]] = []
        if a < self.base_people:
            lo, hi = int(self._out_ptr[a]), int(self._out_ptr[a + 1])
            found = list(zip(self._out_dst[lo:hi].tolist(), self._key_eid[lo:hi].tolist(),
                             strict=True))
        extra = self._extra_out.get(a)
        if extra:
            found += list(extra.items())
        return found

    def edge_ids(self, a: int) -> list[int]:
        """Ids of every tie into or out of ``a``."""
        return [e for _, e in self.out_edges(a)] + [e for _, e in self.listeners(a)]

    # -- changing --------------------------------------------------------------------------

    def add(self, a: int, b: int, e: int) -> None:
        self._extra_out.setdefault(a, {})[b] = e
        self._extra_in.setdefault(b, {})[a] = e

    def drop_from(self, first: int) -> None:
        """Forget every added tie whose id is ``first`` or more (restoring a snapshot)."""
        for table in (self._extra_out, self._extra_in):
            for node in list(table):
                inner = table[node]
                for other in [o for o, e in inner.items() if e >= first]:
                    del inner[other]
                if not inner:
                    del table[node]
