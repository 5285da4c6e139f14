"""The shape of the tie graph: shared contacts and open triads, computed with numpy.

Two rules of the model depend on who shares contacts with whom:

* **embeddedness** (Burt 2002): a tie between two people who have friends in common decays
  more slowly than an isolated bridge. :func:`shared_contacts` counts, for every directed
  edge ``a -> b``, the people tied to both ``a`` and ``b``;
* **triadic closure** (Granovetter 1973): when ``a - k`` and ``k - b`` are strong, ``a``
  and ``b`` come to know each other. :func:`open_triads` lists the two-paths
  ``a -> k -> b`` over strong ties whose ends are not (yet) tied.

A *tie* here is a pair of people with strength above 0 in at least one direction (an
opinion formed by hearsay, strength 0, is not a tie). Both functions run once when a
game starts (a few hundred milliseconds at 300,000 people) and are then kept up to date
as ties form, so the end of a turn never recomputes them.

>>> import numpy as np
>>> src = np.array([0, 1, 1, 2, 0, 2]); dst = np.array([1, 0, 2, 1, 2, 0])
>>> shared_contacts(3, src, dst, np.ones(6)).tolist()   # a triangle: one shared contact each
[1, 1, 1, 1, 1, 1]
>>> a, k, b = open_triads(3, src[:4], dst[:4], np.ones(4), 0.5)
>>> sorted(zip(a.tolist(), k.tolist(), b.tolist()))     # 0 - 1 - 2 is open both ways
[(0, 1, 2), (2, 1, 0)]
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]


def _pairs(n: int, src: npt.NDArray[Any], dst: npt.NDArray[Any],
           keep: npt.NDArray[np.bool_]) -> tuple[IntArray, IntArray]:
    """Sorted unique keys ``lo * n + hi`` of the pairs with at least one kept edge, and
    for every edge the position of its pair in those keys (-1 for a dropped edge)."""
    s = src.astype(np.int64)
    d = dst.astype(np.int64)
    pair = np.minimum(s, d) * n + np.maximum(s, d)
    valid = keep & (s != d)
    idx = np.flatnonzero(valid)
    order = idx[np.argsort(pair[idx], kind="stable")]
    ordered = pair[order]
    new = np.empty(len(ordered), np.bool_)
    if len(ordered):
        new[0] = True
        np.not_equal(ordered[1:], ordered[:-1], out=new[1:])
    keys = ordered[new]
    where = np.full(len(src), -1, np.int64)
    where[order] = np.cumsum(new) - 1
    return keys, where


def _undirected(n: int, src: npt.NDArray[Any], dst: npt.NDArray[Any],
                keep: npt.NDArray[np.bool_]) -> IntArray:
    """Sorted unique keys ``lo * n + hi`` of the pairs with at least one kept edge."""
    return _pairs(n, src, dst, keep)[0]


def _csr(n: int, keys: IntArray) -> tuple[IntArray, IntArray]:
    """Neighbour lists (both directions) of the undirected pairs in ``keys``."""
    lo, hi = keys // n, keys % n
    nodes = np.concatenate([lo, hi])
    nbrs = np.concatenate([hi, lo])
    order = np.lexsort((nbrs, nodes))
    nodes, nbrs = nodes[order], nbrs[order]
    ptr = np.searchsorted(nodes, np.arange(n + 1)).astype(np.int64)
    return ptr, nbrs


def _wedges(ptr: IntArray, nbrs: IntArray) -> tuple[IntArray, IntArray, IntArray]:
    """Every pair of neighbours ``(u, w)``, ``u < w``, of every pivot ``k``: (u, k, w)."""
    deg = np.diff(ptr)
    # for each neighbour position p of pivot k: the later positions of the same list
    later = np.repeat(ptr[1:], deg) - np.arange(len(nbrs)) - 1
    total = int(later.sum())
    if total == 0:
        empty = np.zeros(0, np.int64)
        return empty, empty, empty
    first_pos = np.repeat(np.arange(len(nbrs)), later)
    # offsets 1..later[p] for each p, as one flat array
    starts = np.cumsum(later) - later
    offset = np.arange(total) - np.repeat(starts, later) + 1
    second_pos = first_pos + offset
    pivot = np.repeat(np.repeat(np.arange(len(deg)), deg), later)
    return nbrs[first_pos], pivot, nbrs[second_pos]


def shared_contacts(n: int, src: npt.NDArray[Any], dst: npt.NDArray[Any],
                    strength: npt.NDArray[np.float64]) -> npt.NDArray[np.int32]:
    """For each directed edge ``src[e] -> dst[e]``: how many people are tied to both ends.

    Counted with the edges of strength above 0 (in either direction) as the ties. Each
    triangle of ties is listed once, from its lowest-ranked corner (ties point from the
    lower to the higher degree), and adds one shared contact to each of its three sides.
    """
    m = len(src)
    out = np.zeros(m, np.int32)
    keys, where = _pairs(n, src, dst, strength > 0)
    if len(keys) == 0:
        return out
    lo, hi = keys // n, keys % n
    degree = np.bincount(np.concatenate([lo, hi]), minlength=n)
    rank = np.empty(n, np.int64)
    rank[np.lexsort((np.arange(n), degree))] = np.arange(n)
    flip = rank[lo] > rank[hi]
    tail = np.where(flip, hi, lo)
    head = np.where(flip, lo, hi)
    order = np.lexsort((head, tail))
    tail, head = tail[order], head[order]
    ptr = np.searchsorted(tail, np.arange(n + 1)).astype(np.int64)
    u, k, w = _wedges(ptr, head)
    if len(u):
        a, b = np.minimum(u, w), np.maximum(u, w)
        wedge_keys = a * n + b
        pos = np.searchsorted(keys, wedge_keys)
        pos[pos >= len(keys)] = 0
        closed = keys[pos] == wedge_keys
        u, k, w = u[closed], k[closed], w[closed]

        def key_pos(x: IntArray, y: IntArray) -> IntArray:
            return np.searchsorted(keys, np.minimum(x, y) * n + np.maximum(x, y))

        sides = np.concatenate([pos[closed], key_pos(k, u), key_pos(k, w)])
        counts = np.bincount(sides, minlength=len(keys))
    else:
        counts = np.zeros(len(keys), np.int64)
    # every directed edge between a tied pair reads its pair's count (an opinion whose
    # reverse is a tie belongs to the pair too)
    found = where >= 0
    out[found] = counts[where[found]]
    s, d = src.astype(np.int64), dst.astype(np.int64)
    rest = np.flatnonzero(~found & (s != d))
    if len(rest):
        rest_keys = np.minimum(s[rest], d[rest]) * n + np.maximum(s[rest], d[rest])
        pos = np.searchsorted(keys, rest_keys)
        pos[pos >= len(keys)] = 0
        hit = keys[pos] == rest_keys
        out[rest[hit]] = counts[pos[hit]]
    return out


def open_triads(n: int, src: npt.NDArray[Any], dst: npt.NDArray[Any],
                strength: npt.NDArray[np.float64], leg_min: float,
                legs: npt.NDArray[np.bool_] | None = None
                ) -> tuple[IntArray, IntArray, IntArray]:
    """Directed two-paths ``a -> k -> b`` over strong ties whose ends are not tied.

    A leg qualifies when its strength is at least ``leg_min`` (and, if ``legs`` is given,
    it is marked there: the game passes its peer ties, as reporting lines do not introduce
    people). ``a`` and ``b`` must have no edge of strength above 0 either way. Returns
    three arrays ``(a, k, b)``, sorted by ``a``, then ``b``, then ``k``.
    """
    empty = np.zeros(0, np.int64)
    if leg_min <= 0 or len(src) == 0:
        # every two-path would qualify: not a useful setting for closure
        return empty, empty, empty
    strong = strength >= leg_min
    if legs is not None:
        strong &= legs
    if not strong.any():
        return empty, empty, empty
    s64, d64 = src.astype(np.int64), dst.astype(np.int64)
    # a directed strong leg each way is needed: a -> k and k -> b
    directed = s64[strong] * n + d64[strong]
    directed.sort()
    keys = _undirected(n, src, dst, strong)
    ptr, nbrs = _csr(n, keys)
    u, k, w = _wedges(ptr, nbrs)
    if len(u) == 0:
        return empty, empty, empty
    tied = _undirected(n, src, dst, strength > 0)
    pair = u * n + w
    pos = np.searchsorted(tied, pair)
    pos[pos >= len(tied)] = 0
    is_open = tied[pos] != pair
    u, k, w = u[is_open], k[is_open], w[is_open]
    a = np.concatenate([u, w])
    b = np.concatenate([w, u])
    kk = np.concatenate([k, k])

    def has(x: IntArray, y: IntArray) -> npt.NDArray[np.bool_]:
        key = x * n + y
        pos = np.searchsorted(directed, key)
        pos[pos >= len(directed)] = 0
        return directed[pos] == key  # type: ignore[no-any-return]

    keep = has(a, kk) & has(kk, b)
    a, kk, b = a[keep], kk[keep], b[keep]
    order = np.lexsort((kk, b, a))
    return a[order], kk[order], b[order]


__all__ = ["open_triads", "shared_contacts"]
