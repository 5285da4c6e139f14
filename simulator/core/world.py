"""The mutable state of one organisation, and the two rules everything else uses.

Topology lives in an :class:`~simulator.core.adjacency.Adjacency` over person indices,
built once; each tie has an edge id. Per-edge state (trust, strength, baseline, scar,
kind, used) lives in numpy arrays indexed by that id, so spread walks the graph locally
and the end of a turn runs as whole-array operations. :meth:`World.graph` gives the same
organisation as a networkx ``DiGraph`` for analysis and export. Edges are only ever
appended (hearsay creates an opinion where none existed, ``connect`` creates a tie), which
keeps snapshots cheap: restoring one drops the edges whose id is past the snapshot's count.

An edge ``a -> b`` is ``a``'s relationship with ``b``: ``trust`` is how much ``a`` trusts
``b``, ``strength`` how much ``a`` interacts with ``b``. News about ``b`` that ``a`` holds
flows to the people who listen to ``a``: the predecessors of ``a``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from .adjacency import Adjacency
from .params import Params
from .records import Cause, Promise, TrustChanged
from .setup import CROSS, REPORTING, WITHIN, PersonSetup, Role, Setup, TieDefaults

if TYPE_CHECKING:
    import networkx as nx

FloatArray = npt.NDArray[np.float64]

_EDGE_FLOAT = ("trust", "strength", "baseline", "scar", "cross_f", "within_f", "decay")
#: per-edge arrays a snapshot keeps besides the floats (src and dst never change)
_EDGE_STATE = ("kind", "used", "src_team", "dst_team", "team_slot", *_EDGE_FLOAT)


@dataclass(slots=True)
class Snapshot:
    """Everything needed to put a :class:`World` back exactly as it was."""

    n_people: int
    n_edges: int
    arrays: dict[str, np.ndarray[Any, Any]]
    people_arrays: dict[str, np.ndarray[Any, Any]]
    promises: dict[str, Promise]
    small: dict[str, Any]
    rng_state: object


#: Worlds built the slow way, kept as templates: (people, teams, tie arrays) -> world.
#: The key objects are held too, so an id is never reused while its entry lives.
_PROTOTYPES: dict[tuple[int, ...], tuple[tuple[object, ...], World]] = {}
_MAX_PROTOTYPES = 4
_MAX_PROTOTYPE_PEOPLE = 50_000  # above this a template's memory outweighs the copy saved


def _prototype(setup: Setup) -> World | None:
    """A pristine world of the same organisation as ``setup`` to copy from (built and
    kept on first use), or ``None`` for organisations too large to keep twice.

    Setups are treated as immutable: one changed in place is only seen as a new
    organisation if its people list or tie arrays are new objects."""
    if len(setup.people) > _MAX_PROTOTYPE_PEOPLE:
        return None
    parts = (setup.people, setup.teams, setup.tie_src, setup.tie_dst)
    key = tuple(id(x) for x in parts)
    hit = _PROTOTYPES.get(key)
    if hit is not None and all(a is b for a, b in zip(hit[0], parts, strict=True)):
        return hit[1]
    proto = object.__new__(World)
    proto.params = setup.params
    proto.within_defaults = setup.within_team
    proto.reporting_defaults = setup.reporting
    proto._build(setup)
    if len(_PROTOTYPES) >= _MAX_PROTOTYPES:
        del _PROTOTYPES[next(iter(_PROTOTYPES))]
    _PROTOTYPES[key] = (parts, proto)
    return proto


class World:
    """People, teams, ties and promises of one organisation, plus the game's RNG."""

    team_ids: list[str]
    team_names: list[str]
    team_index: dict[str, int]
    ids: list[str]
    names: list[str]
    roles: list[Role]
    index: dict[str, int]
    team: npt.NDArray[np.int32]
    manager: npt.NDArray[np.int32]
    competence: FloatArray
    openness: FloatArray
    propensity: FloatArray
    n_edges: int
    src: npt.NDArray[np.int32]
    dst: npt.NDArray[np.int32]
    kind: npt.NDArray[np.int8]
    used: npt.NDArray[np.bool_]
    src_team: npt.NDArray[np.intp]  # intp: what bincount indexes with
    dst_team: npt.NDArray[np.intp]
    team_slot: npt.NDArray[np.intp]  # 2 x source team, + 1 if the tie leaves the team
    trust: FloatArray
    strength: FloatArray
    baseline: FloatArray
    scar: FloatArray
    cross_f: FloatArray  # 1.0 on cross-team edges
    within_f: FloatArray  # 1.0 inside a team
    decay: FloatArray  # strength decay when unused
    adjacency: Adjacency

    def __init__(self, setup: Setup, seed: int) -> None:
        self.params: Params = setup.params
        self.within_defaults: TieDefaults | None = setup.within_team
        self.reporting_defaults: TieDefaults = setup.reporting
        self.rng = random.Random(seed)
        self.promises: dict[str, Promise] = {
            p.id: Promise(p.id, p.by, p.to, p.what, p.due) for p in setup.promises
        }
        self.quick_wins: dict[tuple[int, int], int] = {}
        self.promise_counter = 0
        proto = _prototype(setup)
        if proto is None:
            self._build(setup)
        else:
            self._copy(proto, setup)

    def _copy(self, proto: World, setup: Setup) -> None:
        """Start from the structure of a world built earlier from the same people and ties
        (a sweep builds hundreds of games of one organisation): copies, not recomputation.
        Only what the setup may change between games (trust, strength, the rates that
        come from the parameters) is taken from ``setup``."""
        self.team_ids, self.team_names = proto.team_ids, proto.team_names
        self.team_index = proto.team_index
        self.ids, self.names = list(proto.ids), list(proto.names)
        self.roles, self.index = list(proto.roles), dict(proto.index)
        for name in ("team", "manager", "competence", "openness", "propensity"):
            setattr(self, name, getattr(proto, name).copy())
        m = proto.n_edges
        self.n_edges = m
        capacity = len(proto.src)
        for name in ("src", "dst", *_EDGE_STATE):
            arr = np.zeros(capacity, getattr(proto, name).dtype)
            arr[:m] = getattr(proto, name)[:m]
            setattr(self, name, arr)
        self.trust[:m] = setup.tie_trust
        self.strength[:m] = setup.tie_strength
        self.baseline[:m] = setup.tie_trust
        self.scar[:m] = 0.0
        self.used[:m] = False
        p = self.params
        kind = self.kind[:m]
        self.decay[:m] = np.where(kind == CROSS, p.cross_team_decay,
                                  np.where(kind == WITHIN, p.within_team_decay, 0.0))
        self.adjacency = proto.adjacency.fork()

    def _build(self, setup: Setup) -> None:
        self.team_ids = [t.id for t in setup.teams]
        self.team_names = [t.name for t in setup.teams]
        self.team_index = {t: i for i, t in enumerate(self.team_ids)}

        people = setup.people
        n = len(people)
        self.ids = [p.id for p in people]
        self.names = [p.name for p in people]
        self.roles = [p.role for p in people]
        self.index = {pid: i for i, pid in enumerate(self.ids)}
        self.team = np.fromiter((self.team_index[p.team] for p in people), np.int32, n)
        self.manager = np.fromiter(
            (self.index[p.manager] if p.manager else -1 for p in people), np.int32, n)
        self.competence = np.fromiter((p.competence for p in people), np.float64, n)
        self.openness = np.fromiter((p.openness for p in people), np.float64, n)
        self.propensity = np.fromiter((p.propensity for p in people), np.float64, n)

        m = len(setup.tie_src)
        capacity = max(16, int(m * 1.25) + 64)
        self.n_edges = m
        self.src = np.zeros(capacity, np.int32)
        self.dst = np.zeros(capacity, np.int32)
        self.kind = np.zeros(capacity, np.int8)
        self.used = np.zeros(capacity, np.bool_)
        self.src_team = np.zeros(capacity, np.intp)  # intp: what bincount indexes with
        self.dst_team = np.zeros(capacity, np.intp)
        self.team_slot = np.zeros(capacity, np.intp)
        self.trust = np.zeros(capacity, np.float64)
        self.strength = np.zeros(capacity, np.float64)
        self.baseline = np.zeros(capacity, np.float64)
        self.scar = np.zeros(capacity, np.float64)
        self.cross_f = np.zeros(capacity, np.float64)  # 1.0 on cross-team edges
        self.within_f = np.zeros(capacity, np.float64)  # 1.0 inside a team
        self.decay = np.zeros(capacity, np.float64)  # strength decay when unused
        self.src[:m] = setup.tie_src
        self.dst[:m] = setup.tie_dst
        self.trust[:m] = setup.tie_trust
        self.strength[:m] = setup.tie_strength
        self.baseline[:m] = setup.tie_trust
        self._classify(np.arange(m))

        self.adjacency = Adjacency(n, self.src[:m], self.dst[:m])

    # -- people --------------------------------------------------------------------------

    @property
    def n_people(self) -> int:
        return len(self.ids)

    def pid(self, i: int) -> str:
        return self.ids[i]

    def name_map(self) -> dict[str, str]:
        return dict(zip(self.ids, self.names, strict=True))

    def members(self, team: int) -> list[int]:
        return [int(i) for i in np.flatnonzero(self.team == team)]

    def reports(self, manager: int) -> list[int]:
        return [int(i) for i in np.flatnonzero(self.manager == manager)]

    def add_person(self, person: PersonSetup) -> int:
        """A new hire: a node, ties to their team and a reporting line, both ways."""
        i = len(self.ids)
        self.ids.append(person.id)
        self.names.append(person.name)
        self.roles.append(person.role)
        self.index[person.id] = i
        team = self.team_index[person.team]
        mgr = self.index[person.manager] if person.manager else -1
        self.team = np.append(self.team, np.int32(team))
        self.manager = np.append(self.manager, np.int32(mgr))
        self.competence = np.append(self.competence, person.competence)
        self.openness = np.append(self.openness, person.openness)
        self.propensity = np.append(self.propensity, person.propensity)
        for j in self.members(team):
            if j == i:
                continue
            d = self.reporting_defaults if j == mgr else self.within_defaults
            if d is None:
                continue
            self.ensure_edge(i, j, d.trust, d.strength)
            self.ensure_edge(j, i, d.trust, d.strength)
        if mgr >= 0 and self.team[mgr] != team:
            d = self.reporting_defaults
            self.ensure_edge(i, mgr, d.trust, d.strength)
            self.ensure_edge(mgr, i, d.trust, d.strength)
        return i

    def move_person(self, person: int, team: int, manager: int | None) -> None:
        self.team[person] = team
        if manager is not None:
            self.manager[person] = manager
        self._classify(np.asarray(self.adjacency.edge_ids(person), dtype=np.int64))

    # -- edges ---------------------------------------------------------------------------

    def eid(self, a: int, b: int) -> int | None:
        """The edge id of ``a -> b`` (``a``'s relationship with ``b``), or ``None``."""
        return self.adjacency.eid(a, b)

    def trust_value(self, a: int, b: int) -> float:
        """``a``'s trust in ``b``; a stranger is trusted at ``a``'s propensity to trust."""
        e = self.eid(a, b)
        return float(self.propensity[a]) if e is None else float(self.trust[e])

    def ensure_edge(self, a: int, b: int, trust: float | None = None,
                    strength: float = 0.0) -> int:
        """The id of edge ``a -> b``, creating it (as an opinion, strength 0) if needed."""
        e = self.eid(a, b)
        if e is not None:
            return e
        if self.n_edges == len(self.src):
            self._grow()
        e = self.n_edges
        value = float(self.propensity[a]) if trust is None else trust
        self.src[e] = a
        self.dst[e] = b
        self.trust[e] = value
        self.baseline[e] = value
        self.strength[e] = strength
        self.scar[e] = 0.0
        self.used[e] = False
        self.n_edges += 1
        self._classify_one(e, a, b)
        self.adjacency.add(a, b, e)
        return e

    def _classify_one(self, e: int, a: int, b: int) -> None:
        """:meth:`_classify` for one new edge, without numpy's per-call overhead."""
        ta, tb = int(self.team[a]), int(self.team[b])
        reporting = int(self.manager[a]) == b or int(self.manager[b]) == a
        kind = REPORTING if reporting else (WITHIN if ta == tb else CROSS)
        self.kind[e] = kind
        self.src_team[e] = ta
        self.team_slot[e] = 2 * ta + (ta != tb)
        self.dst_team[e] = tb
        self.cross_f[e] = 0.0 if ta == tb else 1.0
        self.within_f[e] = 1.0 if ta == tb else 0.0
        p = self.params
        self.decay[e] = (p.cross_team_decay if kind == CROSS
                         else p.within_team_decay if kind == WITHIN else 0.0)

    def _grow(self) -> None:
        new = max(16, len(self.src) * 2)
        for name in ("src", "dst", *_EDGE_STATE):
            old = getattr(self, name)
            arr = np.zeros(new, old.dtype)
            arr[: len(old)] = old
            setattr(self, name, arr)

    def _classify(self, eids: npt.NDArray[np.int64] | npt.NDArray[np.intp]) -> None:
        """Recompute kind (within, cross, reporting) and the per-edge rates of ``eids``."""
        if len(eids) == 0:
            return
        s, d = self.src[eids], self.dst[eids]
        reporting = (self.manager[s] == d) | (self.manager[d] == s)
        self.src_team[eids] = self.team[s]
        self.dst_team[eids] = self.team[d]
        same = self.src_team[eids] == self.dst_team[eids]
        self.team_slot[eids] = 2 * self.src_team[eids] + ~same
        kind = np.where(reporting, REPORTING, np.where(same, WITHIN, CROSS)).astype(np.int8)
        self.kind[eids] = kind
        # team borders, not edge kinds: a reporting line between two teams crosses a border
        # for the silo metrics, erosion and spread alike (it just does not decay)
        self.cross_f[eids] = ~same
        self.within_f[eids] = same
        p = self.params
        self.decay[eids] = np.where(kind == CROSS, p.cross_team_decay,
                                    np.where(kind == WITHIN, p.within_team_decay, 0.0))

    def edge_view(self) -> dict[str, np.ndarray[Any, Any]]:
        """Read-only views of the live edge arrays (no copy)."""
        n = self.n_edges
        views: dict[str, np.ndarray[Any, Any]] = {}
        for name in ("src", "dst", "kind", "trust", "strength", "baseline", "scar"):
            view = getattr(self, name)[:n].view()
            view.flags.writeable = False
            views[name] = view
        return views

    # -- the two rules -----------------------------------------------------------------

    def apply_signal(self, e: int, signal: float) -> tuple[float, float]:
        """Move trust on edge ``e`` by a signal, with bounded, asymmetric updates.

        Positive signals close a share of the gap to 1 (so they move low trust most), slowed
        by the edge's scar; negative ones take a share of what is there, times the
        asymmetry (trust is quick to destroy). Returns (before, after).
        """
        before = float(self.trust[e])
        if signal >= 0:
            after = before + signal * (1.0 - before) * (1.0 - float(self.scar[e]))
        else:
            after = before + max(-1.0, signal * self.params.asymmetry) * before
        after = float(min(1.0, max(0.0, after)))
        self.trust[e] = after
        return before, after

    def direct(self, truster: int, trustee: int, signal: float, cause: Cause,
               *, spread: bool = True, mark_used: bool = True,
               scar: bool = False) -> list[TrustChanged]:
        """Apply a signal to ``truster``'s trust in ``trustee`` and pass the news on."""
        e = self.ensure_edge(truster, trustee)
        before, after = self.apply_signal(e, signal)
        if scar and after < before:
            scarred = float(self.scar[e]) + self.params.scar_weight * (before - after)
            self.scar[e] = min(1.0, scarred)
        if mark_used:
            self.used[e] = True
            back = self.eid(trustee, truster)
            if back is not None:
                self.used[back] = True
        records = [TrustChanged(self.ids[truster], self.ids[trustee], before, after, cause)]
        if spread:
            records.extend(self.spread(truster, trustee, signal, cause))
        return records

    def spread(self, teller: int, trustee: int, signal: float,
               cause: Cause) -> list[TrustChanged]:
        """Pass ``teller``'s news about ``trustee`` to the people who listen to the teller.

        Breadth first, hop by hop. A listener ``o`` of teller ``t`` takes the news with
        factor ``f(o) = f(t) x spread x strength(o,t) x trust(o,t)`` (``f`` of the first
        teller is 1, so factors compound along the path), times ``cross_team_damping``
        when ``o`` and ``t`` are in different teams, times ``hop_decay`` after the first
        hop and ``bad_news_boost`` when the news is bad; capped at 1. ``o`` then receives
        the signal ``signal x f(o)``. Each person hears it once, from the teller with the
        strongest factor (ties go to the first found). Bad news travels ``bad_news_hops``,
        good news ``max_hops``. A listener whose signal ``|signal x f(o)|`` is below
        ``min_change`` hears nothing and passes nothing on.
        """
        p = self.params
        bad = signal < 0
        hops = int(p.bad_news_hops if bad else p.max_hops)
        if hops <= 0 or signal == 0:
            return []
        base = p.spread * (p.bad_news_boost if bad else 1.0)
        damping = p.cross_team_damping
        threshold = p.min_change
        team_of = self.team.item
        listeners = self.adjacency.listeners
        asymmetry = p.asymmetry
        ids = self.ids
        trustee_id = ids[trustee]
        visited = {teller, trustee}
        frontier: dict[int, tuple[float, Cause]] = {teller: (1.0, cause)}
        records: list[TrustChanged] = []
        abs_signal = abs(signal)
        for hop in range(1, hops + 1):
            step = base * (p.hop_decay if hop > 1 else 1.0)
            # (re)bound every hop: ensure_edge may have grown, so replaced, the arrays
            trust = self.trust
            trust_of, strength_of, scar_of = trust.item, self.strength.item, self.scar.item
            nxt: dict[int, tuple[float, int]] = {}
            for t, (factor_t, _) in frontier.items():
                team_t = team_of(t)
                for o, e in listeners(t):
                    if o in visited:
                        continue
                    # .item() gives Python floats: scalar numpy arithmetic is several times
                    # slower in this hot loop
                    w = strength_of(e) * trust_of(e)
                    if w <= 0.0:
                        continue
                    f = factor_t * step * w
                    if team_of(o) != team_t:
                        f *= damping
                    if f > 1.0:
                        f = 1.0
                    if abs_signal * f < threshold:
                        continue
                    best = nxt.get(o)
                    if best is None or f > best[0]:
                        nxt[o] = (f, t)
            if not nxt:
                break
            new_frontier: dict[int, tuple[float, Cause]] = {}
            told: dict[int, Cause] = {}  # one cause object per teller, shared by listeners
            for o, (f, t) in nxt.items():
                heard = told.get(t)
                if heard is None:
                    heard = told[t] = frontier[t][1].heard_from(ids[t])
                e = self.ensure_edge(o, trustee)
                if self.trust is not trust:
                    trust = self.trust
                    trust_of, scar_of = trust.item, self.scar.item
                # apply_signal, inlined (this is the hot loop of every act)
                before = trust_of(e)
                s = signal * f
                if s >= 0:
                    after = before + s * (1.0 - before) * (1.0 - scar_of(e))
                else:
                    after = before + max(-1.0, s * asymmetry) * before
                after = 1.0 if after > 1.0 else 0.0 if after < 0.0 else after
                trust[e] = after
                records.append(TrustChanged(ids[o], trustee_id, before, after, heard))
                new_frontier[o] = (f, heard)
                visited.add(o)
            frontier = new_frontier
        return records

    # -- snapshots -----------------------------------------------------------------------

    def snapshot(self, small: dict[str, Any]) -> Snapshot:
        n = self.n_edges
        arrays = {name: getattr(self, name)[:n].copy()
                  for name in _EDGE_STATE}
        people = {name: getattr(self, name).copy()
                  for name in ("team", "manager", "competence", "openness", "propensity")}
        return Snapshot(
            n_people=self.n_people, n_edges=n, arrays=arrays, people_arrays=people,
            promises=dict(self.promises),
            small={**small, "quick_wins": dict(self.quick_wins),
                   "promise_counter": self.promise_counter},
            rng_state=self.rng.getstate(),
        )

    def restore(self, snap: Snapshot) -> dict[str, Any]:
        """Put the world back as it was at ``snap``; returns the caller's small state."""
        self.adjacency.drop_from(snap.n_edges)
        self.n_edges = snap.n_edges
        for name, arr in snap.arrays.items():
            getattr(self, name)[: snap.n_edges] = arr
        for i in range(snap.n_people, self.n_people):
            del self.index[self.ids[i]]
        del self.ids[snap.n_people:], self.names[snap.n_people:], self.roles[snap.n_people:]
        for name, arr in snap.people_arrays.items():
            setattr(self, name, arr.copy())
        self.promises = dict(snap.promises)
        small = dict(snap.small)
        self.quick_wins = dict(small.pop("quick_wins"))
        self.promise_counter = small.pop("promise_counter")
        self.rng.setstate(snap.rng_state)  # type: ignore[arg-type]
        return small

    def graph(self, *, state: bool = True) -> nx.DiGraph:
        """The organisation as a networkx ``DiGraph`` (nodes are person ids).

        Nodes carry ``name``, ``team``, ``role`` and the traits; edges carry ``trust``,
        ``strength``, ``baseline``, ``scar`` and ``kind`` (within, cross, reporting) when
        ``state`` is true. Built on demand: analysis and export, not the hot path.
        """
        import networkx as nx

        G = nx.DiGraph()
        kinds = ("within", "cross", "reporting")
        for i, pid in enumerate(self.ids):
            G.add_node(pid, name=self.names[i], team=self.team_ids[int(self.team[i])],
                       role=self.roles[i], competence=float(self.competence[i]),
                       openness=float(self.openness[i]),
                       propensity=float(self.propensity[i]))
        n = self.n_edges
        ids = self.ids
        if state:
            rows = zip(self.src[:n].tolist(), self.dst[:n].tolist(), self.trust[:n].tolist(),
                       self.strength[:n].tolist(), self.baseline[:n].tolist(),
                       self.scar[:n].tolist(), self.kind[:n].tolist(), strict=True)
            G.add_edges_from(
                (ids[a], ids[b], {"trust": t, "strength": st, "baseline": bl, "scar": sc,
                                  "kind": kinds[k]})
                for a, b, t, st, bl, sc, k in rows)
        else:
            G.add_edges_from((ids[a], ids[b]) for a, b in zip(self.src[:n].tolist(),
                                                                self.dst[:n].tolist(),
                                                                strict=True))
        return G

    def fingerprint(self) -> str:
        """A digest of the whole state, to check that two worlds are bit for bit equal."""
        import hashlib

        h = hashlib.sha256()
        n = self.n_edges
        for name in ("src", "dst", "kind", "used", *_EDGE_FLOAT):
            h.update(getattr(self, name)[:n].tobytes())
        for name in ("team", "manager", "competence", "openness", "propensity"):
            h.update(getattr(self, name).tobytes())
        h.update(repr(sorted(self.promises.items())).encode())
        h.update(repr(sorted(self.quick_wins.items())).encode())
        h.update(repr(self.rng.getstate()).encode())
        return h.hexdigest()
