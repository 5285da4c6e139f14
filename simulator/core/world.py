"""The mutable state of one organisation, and the rules everything else uses.

Topology lives in an :class:`~simulator.core.adjacency.Adjacency` over person indices,
built once; each tie has an edge id. Per-edge state lives in numpy arrays indexed by that
id, so spread walks the graph locally and the end of a turn runs as whole-array
operations. :meth:`World.graph` gives the same organisation as a networkx ``DiGraph`` for
analysis and export. Edges are only ever appended (hearsay creates an opinion where none
existed, ``connect`` creates a tie), which keeps snapshots cheap: restoring one drops the
edges whose id is past the snapshot's count.

An edge ``a -> b`` is ``a``'s relationship with ``b``. It holds ``a``'s view of ``b`` on
three bases (Mayer, Davis and Schoorman 1995): ability (can ``b`` do the job?),
benevolence (does ``b`` mean well by me?) and integrity (does ``b`` keep their word?).
``trust`` is their weighted mean (:attr:`Params.base_weights`). Acts and news move the
bases; the end of a turn moves trust as a whole, and the bases follow it (:func:`follow`):
so the edge stores the bases as the last act left them (``ref_*``) with the trust of that
moment (``ref_trust``), and the bases now are derived from them and trust. ``strength``
is how much ``a`` interacts with ``b``; ``baseline`` the anchor trust returns to; ``scar``
what is left of violations. News about ``b`` that ``a`` holds flows to the people who
listen to ``a``: the predecessors of ``a``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from .adjacency import Adjacency
from .params import Params
from .records import Cause, Promise, TieChanged, TrustChanged
from .setup import CROSS, REPORTING, WITHIN, PersonSetup, Role, Setup, TieDefaults
from .structure import open_triads, shared_contacts

if TYPE_CHECKING:
    import networkx as nx

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: A signal on the three bases: (ability, benevolence, integrity), each in [-1, 1].
Signal = tuple[float, float, float]
BASES = ("ability", "benevolence", "integrity")
#: the bases as the last act on the edge left them, and the trust of that moment
_REF = ("ref_ability", "ref_benevolence", "ref_integrity", "ref_trust")

_EDGE_FLOAT = ("trust", *_REF, "strength", "baseline", "scar", "cross_f", "within_f", "decay")
#: per-edge arrays a snapshot keeps besides the floats (src and dst never change)
_EDGE_STATE = ("kind", "used", "src_team", "dst_team", "team_slot", "shared", *_EDGE_FLOAT)
_PEOPLE = ("team", "manager", "competence", "openness", "propensity")
#: the closure rows, one per open triad a -> k -> b: the edge ids of its legs, its ends,
#: and the index of the pair {a, b} (pair_open says whether it is still open)
_TRIADS = ("tri_ak", "tri_kb", "tri_a", "tri_b", "tri_pair")


@dataclass(frozen=True, slots=True)
class Task:
    """Something set in motion this turn and settled at its end, when its outcome happens
    in the story: work delegated (``act`` "delegate": ``manager`` handed ``report`` the
    work), or a quick win's delivery (``act`` "quick_win": ``manager`` is the actor,
    ``report`` the person or team it was for, ``receivers`` and ``signals`` who gets how
    much)."""

    manager: str
    report: str
    turn: int
    ordinal: int  # the n-th such act of its actor this turn (0-based): names its draw
    act: str = "delegate"
    receivers: tuple[str, ...] = ()
    signals: tuple[float, ...] = ()


@dataclass(slots=True)
class Snapshot:
    """Everything needed to put a :class:`World` back exactly as it was."""

    n_people: int
    n_edges: int
    arrays: dict[str, np.ndarray[Any, Any]]
    people_arrays: dict[str, np.ndarray[Any, Any]]
    triads: dict[str, np.ndarray[Any, Any]]
    promises: dict[str, Promise]
    small: dict[str, Any]
    rng_state: object


def follow(x_ref: float, t_ref: float, t: float) -> float:
    """A base now, from the base ``x_ref`` and trust ``t_ref`` the last act left, and
    trust ``t`` now. Below ``t_ref`` the base keeps its share of trust; above, its share
    of the gap to 1. Either way the weighted mean of the three bases is ``t``.

    >>> follow(0.2, 0.4, 0.2), follow(0.6, 0.5, 0.75)
    (0.1, 0.8)
    """
    if t <= t_ref:
        return x_ref * t / t_ref if t_ref > 0.0 else 0.0
    return 1.0 - (1.0 - x_ref) * (1.0 - t) / (1.0 - t_ref)


def follow_array(x_ref: FloatArray, t_ref: FloatArray, t: FloatArray) -> FloatArray:
    """:func:`follow` over arrays."""
    below = t <= t_ref
    down = np.divide(x_ref * t, t_ref, out=np.zeros_like(t), where=below & (t_ref > 0))
    up = 1.0 - np.divide((1.0 - x_ref) * (1.0 - t), 1.0 - t_ref, out=np.ones_like(t),
                         where=~below)
    return np.where(below, down, up)


def moved(x: float, s: float, scar: float, asymmetry: float) -> float:
    """One base ``x`` after signal ``s`` (the rule of docs/model.md, section 2).

    Good news closes a share ``s`` of the gap to 1, slowed by the scar; bad news takes
    ``asymmetry x |s|`` times the larger of ``x`` and ``1 - x``, so it always weighs at
    least ``asymmetry`` times good news of the same size, until nothing is left.

    >>> round(moved(0.5, 0.2, 0.0, 3.0), 3), round(moved(0.5, -0.2, 0.0, 3.0), 3)
    (0.6, 0.2)
    >>> round(moved(0.1, 0.1, 0.0, 3.0), 3), round(moved(0.1, -0.1, 0.0, 3.0), 3)
    (0.19, 0.0)
    """
    if s > 0.0:
        return x + s * (1.0 - x) * (1.0 - scar)
    if s < 0.0:
        loss = -s * asymmetry * (x if x > 0.5 else 1.0 - x)
        return x - loss if loss < x else 0.0
    return x


#: Worlds built the slow way, kept as templates: (people, teams, tie arrays) -> world.
#: The key objects are held too, so an id is never reused while its entry lives.
_PROTOTYPES: dict[tuple[object, ...], tuple[tuple[object, ...], World]] = {}
_MAX_PROTOTYPES = 4
_MAX_PROTOTYPE_PEOPLE = 50_000  # above this a template's memory outweighs the copy saved


def _prototype(setup: Setup) -> World | None:
    """A pristine world of the same organisation as ``setup`` to copy from (built and
    kept on first use), or ``None`` for organisations too large to keep twice.

    Setups are treated as immutable: one changed in place is only seen as a new
    organisation if its people list or tie arrays are new objects. The structure of
    closure depends on one parameter, which is part of the key."""
    if len(setup.people) > _MAX_PROTOTYPE_PEOPLE:
        return None
    parts = (setup.people, setup.teams, setup.tie_src, setup.tie_dst, setup.tie_strength)
    key = (*(id(x) for x in parts), setup.params.closure_threshold)
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
    shared: npt.NDArray[np.int32]  # people tied to both ends (embeddedness)
    trust: FloatArray
    ref_ability: FloatArray
    ref_benevolence: FloatArray
    ref_integrity: FloatArray
    ref_trust: FloatArray
    strength: FloatArray
    baseline: FloatArray  # the anchor trust drifts back to
    scar: FloatArray
    cross_f: FloatArray  # 1.0 on cross-team edges
    within_f: FloatArray  # 1.0 between peers of one team (not a reporting line)
    decay: FloatArray  # strength decay when unused, before the strength factor
    tri_ak: IntArray
    tri_kb: IntArray
    tri_a: IntArray
    tri_b: IntArray
    tri_pair: IntArray
    pair_open: npt.NDArray[np.bool_]
    pair_index: dict[tuple[int, int], int]
    _row_keys: set[int] | None  # closure rows already known (built on first need)
    adjacency: Adjacency

    def __init__(self, setup: Setup, seed: int) -> None:
        self.params: Params = setup.params
        self.within_defaults: TieDefaults | None = setup.within_team
        self.reporting_defaults: TieDefaults = setup.reporting
        self.seed = seed
        self.rng = random.Random(seed)
        self.promises: dict[str, Promise] = {
            p.id: Promise(p.id, p.by, p.to, p.what, p.due) for p in setup.promises
        }
        self._reset_small()
        proto = _prototype(setup)
        if proto is None:
            self._build(setup)
        else:
            self._copy(proto, setup)

    def _reset_small(self) -> None:
        #: quick wins given, per (actor, receiver)
        self.quick_wins: dict[tuple[int, int], int] = {}
        #: recent recognitions per (actor, receiver); fades at each end of turn
        self.recognitions: dict[tuple[int, int], float] = {}
        #: recent feedback that landed, per (giver, receiver); fades at each end of turn
        self.feedbacks: dict[tuple[int, int], float] = {}
        #: what the trustee's own failures cost the truster's view, per base (for apology)
        self.damage: dict[tuple[int, int], Signal] = {}
        #: the last turn each (manager, report) pair had support (coaching, landed feedback)
        self.support: dict[tuple[int, int], int] = {}
        #: delegated work waiting for the end of the turn
        self.tasks: list[Task] = []
        #: how many times each (actor, act) happened this turn: names chance draws
        self.turn_counts: dict[tuple[int, str], int] = {}
        self.promise_counter = 0
        #: strength changes of the current command that are not direct (gossip); drained by
        #: the simulation into the command's records
        self.tie_records: list[TieChanged] = []
        #: edges whose strength rose during this turn (new legs for closure)
        self.strengthened: set[int] = set()

    def _copy(self, proto: World, setup: Setup) -> None:
        """Start from the structure of a world built earlier from the same people and ties
        (a sweep builds hundreds of games of one organisation): copies, not recomputation.
        Only what the setup may change between games (trust, the rates that come from the
        parameters) is taken from ``setup``."""
        self.team_ids, self.team_names = proto.team_ids, proto.team_names
        self.team_index = proto.team_index
        self.ids, self.names = list(proto.ids), list(proto.names)
        self.roles, self.index = list(proto.roles), dict(proto.index)
        for name in _PEOPLE:
            setattr(self, name, getattr(proto, name).copy())
        m = proto.n_edges
        self.n_edges = m
        capacity = len(proto.src)
        for name in ("src", "dst", *_EDGE_STATE):
            arr = np.zeros(capacity, getattr(proto, name).dtype)
            arr[:m] = getattr(proto, name)[:m]
            setattr(self, name, arr)
        for name in (*_TRIADS, "pair_open"):
            setattr(self, name, getattr(proto, name).copy())
        self.pair_index = dict(proto.pair_index)
        self._row_keys = None
        m0 = len(setup.tie_trust)
        self._set_trust(0, m0, setup.tie_trust)
        self.scar[:m] = 0.0
        self.used[:m] = False
        self._rates(np.arange(m))
        self.adjacency = proto.adjacency.fork()

    def _set_trust(self, start: int, stop: int, values: npt.ArrayLike) -> None:
        """Trust ``values`` on edges ``start..stop``: every base and the anchor alike."""
        for name in ("trust", *_REF, "baseline"):
            getattr(self, name)[start:stop] = values

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

        src = np.asarray(setup.tie_src, np.int64)
        dst = np.asarray(setup.tie_dst, np.int64)
        strength = np.asarray(setup.tie_strength, np.float64)
        m = len(src)
        capacity = max(16, int(m * 1.25) + 64)
        self.n_edges = m
        self.src = np.zeros(capacity, np.int32)
        self.dst = np.zeros(capacity, np.int32)
        self.kind = np.zeros(capacity, np.int8)
        self.used = np.zeros(capacity, np.bool_)
        self.src_team = np.zeros(capacity, np.intp)
        self.dst_team = np.zeros(capacity, np.intp)
        self.team_slot = np.zeros(capacity, np.intp)
        self.shared = np.zeros(capacity, np.int32)
        for name in _EDGE_FLOAT:
            setattr(self, name, np.zeros(capacity, np.float64))
        self.src[:m] = src
        self.dst[:m] = dst
        self._set_trust(0, m, setup.tie_trust)
        self.strength[:m] = strength
        self.adjacency = Adjacency(n, self.src[:m], self.dst[:m])
        self.shared[:m] = shared_contacts(n, self.src[:m], self.dst[:m], self.strength[:m])
        self._classify(np.arange(m))
        # open triads of strong peer ties (reporting lines introduce nobody)
        peer = (self.manager[src] != dst) & (self.manager[dst] != src)
        a, k, b = open_triads(n, src, dst, strength, self.params.closure_threshold, peer)
        ids = self.adjacency.base_eids
        self.tri_ak, self.tri_kb = ids(a, k), ids(k, b)
        self.tri_a, self.tri_b = a, b
        pair_keys = np.minimum(a, b) * n + np.maximum(a, b)
        unique, self.tri_pair = np.unique(pair_keys, return_inverse=True)
        self.tri_pair = self.tri_pair.astype(np.int64)
        self.pair_open = np.ones(len(unique), np.bool_)
        self.pair_index = {(int(key // n), int(key % n)): i
                           for i, key in enumerate(unique.tolist())}
        self._row_keys = None

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
            self.tie(i, j, d.trust, d.strength)
        if mgr >= 0 and self.team[mgr] != team:
            d = self.reporting_defaults
            self.tie(i, mgr, d.trust, d.strength)
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

    def bases_value(self, a: int, b: int) -> Signal:
        """``a``'s view of ``b``'s (ability, benevolence, integrity); a stranger's bases are
        all ``a``'s propensity to trust."""
        e = self.eid(a, b)
        if e is None:
            p = float(self.propensity[a])
            return (p, p, p)
        return self.bases_of(e)

    def bases_of(self, e: int) -> Signal:
        """The three bases of edge ``e`` now (see :func:`follow`)."""
        t, t_ref = self.trust.item(e), self.ref_trust.item(e)
        return (follow(self.ref_ability.item(e), t_ref, t),
                follow(self.ref_benevolence.item(e), t_ref, t),
                follow(self.ref_integrity.item(e), t_ref, t))

    def bases_arrays(self) -> dict[str, FloatArray]:
        """The three bases of every edge now, as arrays (copies)."""
        n = self.n_edges
        t, t_ref = self.trust[:n], self.ref_trust[:n]
        return {name: follow_array(getattr(self, f"ref_{name}")[:n], t_ref, t)
                for name in BASES}

    def _store_bases(self, e: int, a: float, b: float, i: float) -> float:
        """Set the bases of edge ``e`` (as an act leaves them); returns the new trust."""
        wa, wb, wi = self.params.base_weights
        after = wa * a + wb * b + wi * i
        self.ref_ability[e], self.ref_benevolence[e], self.ref_integrity[e] = a, b, i
        self.ref_trust[e] = self.trust[e] = after
        return after

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
        self.trust[e] = self.baseline[e] = value
        self.ref_ability[e] = self.ref_benevolence[e] = self.ref_integrity[e] = value
        self.ref_trust[e] = value
        self.strength[e] = 0.0
        self.scar[e] = 0.0
        self.used[e] = False
        self.shared[e] = 0
        self.n_edges += 1
        self._classify_one(e, a, b)
        self.adjacency.add(a, b, e)
        if strength > 0:
            self.set_strength(e, strength)
        return e

    def tie(self, a: int, b: int, trust: float, strength: float) -> None:
        """A working tie both ways between ``a`` and ``b`` (a new hire's, say)."""
        for x, y in ((a, b), (b, a)):
            e = self.ensure_edge(x, y, trust)
            if self.strength[e] < strength:
                self.set_strength(e, strength)

    def set_strength(self, e: int, value: float) -> None:
        """Set the strength of edge ``e``, keeping shared contacts and closure up to date
        when a pair becomes tied (strength above 0 for the first time either way)."""
        before = float(self.strength[e])
        a, b = int(self.src[e]), int(self.dst[e])
        if before <= 0.0 < value:
            back = self.eid(b, a)
            was_tied = back is not None and self.strength[back] > 0
            self.strength[e] = value
            if not was_tied:
                self._pair_tied(a, b)
        else:
            self.strength[e] = value
        if value > before:
            self.strengthened.add(e)

    def contacts(self, i: int) -> set[int]:
        """The people ``i`` is tied to (strength above 0, either way)."""
        strength = self.strength
        found = {b for b, e in self.adjacency.out_edges(i) if strength[e] > 0}
        found.update(o for o, e in self.adjacency.listeners(i) if strength[e] > 0)
        found.discard(i)
        return found

    def _pair_tied(self, a: int, b: int) -> None:
        """``a`` and ``b`` just became tied: each common contact ``k`` is now a shared
        contact of a - b, and ``a`` (``b``) a shared contact of b - k (a - k)."""
        common = (self.contacts(a) & self.contacts(b)) - {a, b}
        touched: list[int] = []
        for x, y in ((a, b), (b, a)):
            e = self.eid(x, y)
            if e is not None:
                self.shared[e] = len(common)
                touched.append(e)
        for k in common:
            for x, y in ((a, k), (k, a), (b, k), (k, b)):
                e = self.eid(x, y)
                if e is not None:
                    self.shared[e] += 1
                    touched.append(e)
        if touched:
            self._rates(np.asarray(touched, np.int64))
        pair = self.pair_index.get((min(a, b), max(a, b)))
        if pair is not None:
            self.pair_open[pair] = False

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
        self.within_f[e] = 1.0 if kind == WITHIN else 0.0
        p = self.params
        rate = (p.cross_team_decay if kind == CROSS
                else p.within_team_decay if kind == WITHIN else 0.0)
        embedded = min(1.0, int(self.shared[e]) / p.embedded_contacts)
        self.decay[e] = rate * (1.0 - p.embedded_slow * embedded)

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
        self.within_f[eids] = kind == WITHIN  # peers: a reporting line is not a peer tie
        self._rates(eids)

    def _rates(self, eids: npt.NDArray[np.int64] | npt.NDArray[np.intp]) -> None:
        """Strength decay of ``eids`` when unused: by kind (bridges fastest, reporting lines
        never), slowed by embeddedness (shared contacts, Burt 2002)."""
        p = self.params
        kind = self.kind[eids]
        rate = np.where(kind == CROSS, p.cross_team_decay,
                        np.where(kind == WITHIN, p.within_team_decay, 0.0))
        embedded = np.minimum(1.0, self.shared[eids] / p.embedded_contacts)
        self.decay[eids] = rate * (1.0 - p.embedded_slow * embedded)

    def edge_view(self) -> dict[str, np.ndarray[Any, Any]]:
        """Read-only views of the live edge arrays (no copy)."""
        n = self.n_edges
        views: dict[str, np.ndarray[Any, Any]] = {}
        for name in ("src", "dst", "kind", "trust", "strength", "baseline", "scar", "shared"):
            view = getattr(self, name)[:n].view()
            view.flags.writeable = False
            views[name] = view
        views.update(self.bases_arrays())
        return views

    # -- the rules -----------------------------------------------------------------------

    def apply_signal(self, e: int, signal: Signal) -> tuple[float, float, Signal]:
        """Move the three bases of edge ``e`` by a signal (:func:`moved` on each) and trust
        with them. Returns (trust before, trust after, the change of each base)."""
        scar = float(self.scar[e])
        asymmetry = self.params.asymmetry
        a0, b0, i0 = self.bases_of(e)
        a1 = moved(a0, signal[0], scar, asymmetry)
        b1 = moved(b0, signal[1], scar, asymmetry)
        i1 = moved(i0, signal[2], scar, asymmetry)
        before = float(self.trust[e])
        after = self._store_bases(e, a1, b1, i1)
        return before, after, (a1 - a0, b1 - b0, i1 - i0)

    def combined(self, signal: Signal) -> float:
        """The weighted size of a signal: its effect on trust, before the rule's shape."""
        wa, wb, wi = self.params.base_weights
        return wa * signal[0] + wb * signal[1] + wi * signal[2]

    def direct(self, truster: int, trustee: int, signal: Signal, cause: Cause,
               *, spread: bool = True, mark_used: bool = True, scar: float = 0.0,
               failure: bool = False) -> list[TrustChanged]:
        """Apply a signal to ``truster``'s view of ``trustee`` and pass the news on.

        ``scar`` (0 to 1) is the share of a full scar the blow leaves (a broken promise 1,
        feedback that backfires less). ``failure`` marks a blow that is the trustee's own
        doing, which an apology can later repair in part (the damage is remembered).
        """
        e = self.ensure_edge(truster, trustee)
        before, after, change = self.apply_signal(e, signal)
        p = self.params
        if scar > 0.0:
            worst = max(-s for s in signal)
            if worst > 0.0:
                felt = p.asymmetry * worst
                self.scar[e] = min(1.0, float(self.scar[e]) + p.scar_weight * felt * scar)
        if failure:
            old = self.damage.get((truster, trustee), (0.0, 0.0, 0.0))
            self.damage[(truster, trustee)] = (old[0] - min(0.0, change[0]),
                                               old[1] - min(0.0, change[1]),
                                               old[2] - min(0.0, change[2]))
        if mark_used:
            self.used[e] = True
            back = self.eid(trustee, truster)
            if back is not None:
                self.used[back] = True
        records = [TrustChanged(self.ids[truster], self.ids[trustee], before, after, cause,
                                change)]
        if spread:
            records.extend(self.spread(truster, trustee, signal, cause))
        return records

    def restore_bases(self, e: int, gains: Signal) -> tuple[float, float, Signal]:
        """Add ``gains`` to the bases of edge ``e`` (each kept at most 1), as an apology
        does: a repair of what was lost, not news."""
        a0, b0, i0 = self.bases_of(e)
        a1, b1, i1 = (min(1.0, a0 + gains[0]), min(1.0, b0 + gains[1]),
                      min(1.0, i0 + gains[2]))
        before = float(self.trust[e])
        after = self._store_bases(e, a1, b1, i1)
        return before, after, (a1 - a0, b1 - b0, i1 - i0)

    def spread(self, teller: int, trustee: int, signal: Signal,
               cause: Cause) -> list[TrustChanged]:
        """Pass ``teller``'s news about ``trustee`` to the people who listen to the teller.

        Breadth first, hop by hop. A listener ``o`` of teller ``t`` takes the news with
        factor ``f(o) = f(t) x spread x strength(o,t) x trust(o,t)`` (``f`` of the first
        teller is 1, so factors compound along the path), times ``cross_team_damping``
        when ``o`` and ``t`` are in different teams, times ``cross_team_damping`` again
        when ``o`` is in another team than ``trustee`` and barely knows them (strength
        below ``outsider_tie``), times ``hop_decay`` after the first hop and
        ``bad_news_boost`` when the news is bad; capped at 1. ``o`` then receives the
        signal ``signal x f(o)`` on each base. Each person hears it once, from the teller
        with the strongest factor (ties go to the first found). Bad news (a negative
        weighted signal) travels ``bad_news_hops``, good news ``max_hops``. A listener
        whose weighted signal would be weaker than ``min_change`` hears nothing and passes
        nothing on. News that crosses a team border uses the tie it crossed (no decay this
        turn) and strengthens it by ``gossip_strength x |weighted signal x f(o)|``.
        """
        p = self.params
        size = self.combined(signal)
        bad = size < 0
        hops = int(p.bad_news_hops if bad else p.max_hops)
        if hops <= 0 or size == 0:
            return []
        base = p.spread * (p.bad_news_boost if bad else 1.0)
        damping = p.cross_team_damping
        outsider = p.outsider_tie
        gossip = p.gossip_strength
        threshold = p.min_change
        team_of = self.team.item
        listeners = self.adjacency.listeners
        eid = self.adjacency.eid
        asymmetry = p.asymmetry
        wa, wb, wi = p.base_weights
        sa, sb, si = signal
        ids = self.ids
        trustee_id = ids[trustee]
        team_trustee = team_of(trustee)
        visited = {teller, trustee}
        frontier: dict[int, tuple[float, Cause]] = {teller: (1.0, cause)}
        records: list[TrustChanged] = []
        abs_size = abs(size)
        barely_known: dict[int, bool] = {}  # outsiders' ties to the trustee, looked up once
        for hop in range(1, hops + 1):
            step = base * (p.hop_decay if hop > 1 else 1.0)
            # (re)bound every hop: ensure_edge may have grown, so replaced, the arrays
            trust_of, strength_of = self.trust.item, self.strength.item
            nxt: dict[int, tuple[float, int, int]] = {}
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
                    team_o = team_of(o)
                    if team_o != team_t:
                        f *= damping
                    if team_o != team_trustee:
                        far = barely_known.get(o)
                        if far is None:
                            known = eid(o, trustee)
                            far = barely_known[o] = (known is None
                                                     or strength_of(known) < outsider)
                        if far:
                            f *= damping
                    if f > 1.0:
                        f = 1.0
                    if abs_size * f < threshold:
                        continue
                    best = nxt.get(o)
                    if best is None or f > best[0]:
                        nxt[o] = (f, t, e)
            if not nxt:
                break
            new_frontier: dict[int, tuple[float, Cause]] = {}
            told: dict[int, Cause] = {}  # one cause object per teller, shared by listeners
            for o, (f, t, e_ot) in nxt.items():
                heard = told.get(t)
                if heard is None:
                    heard = told[t] = frontier[t][1].heard_from(ids[t])
                e = self.ensure_edge(o, trustee)
                # apply_signal, inlined (this is the hot loop of every act)
                scar = self.scar.item(e)
                before, t_ref = self.trust.item(e), self.ref_trust.item(e)
                a0 = follow(self.ref_ability.item(e), t_ref, before)
                b0 = follow(self.ref_benevolence.item(e), t_ref, before)
                i0 = follow(self.ref_integrity.item(e), t_ref, before)
                a1 = moved(a0, sa * f, scar, asymmetry)
                b1 = moved(b0, sb * f, scar, asymmetry)
                i1 = moved(i0, si * f, scar, asymmetry)
                after = wa * a1 + wb * b1 + wi * i1
                self.ref_ability[e], self.ref_benevolence[e], self.ref_integrity[e] = a1, b1, i1
                self.ref_trust[e] = self.trust[e] = after
                records.append(TrustChanged(ids[o], trustee_id, before, after, heard,
                                            (a1 - a0, b1 - b0, i1 - i0)))
                if team_of(o) != team_of(t) and gossip > 0.0:
                    self._gossip(o, t, e_ot, gossip * abs_size * f, heard)
                new_frontier[o] = (f, heard)
                visited.add(o)
            frontier = new_frontier
        return records

    def _gossip(self, listener: int, teller: int, e: int, gain: float, cause: Cause) -> None:
        """News carried over a tie between two teams: the tie is used, and grows."""
        self.used[e] = True
        back = self.eid(teller, listener)
        if back is not None:
            self.used[back] = True
        before = float(self.strength[e])
        after = min(1.0, before + gain)
        if after > before:
            self.set_strength(e, after)
            self.tie_records.append(TieChanged(self.ids[listener], self.ids[teller], before,
                                               after, cause))

    def raise_anchor(self, e: int, gain: float) -> None:
        """Raise the anchor of edge ``e`` by ``gain``, but never above trust plus
        ``anchor_headroom``: what an act builds lasts, and nothing ratchets to 1."""
        ceiling = min(1.0, float(self.trust[e]) + self.params.anchor_headroom)
        anchor = float(self.baseline[e])
        if anchor < ceiling:
            self.baseline[e] = min(ceiling, anchor + gain)

    def lower_anchor(self, e: int, drop: float) -> None:
        """Lower the anchor of edge ``e`` by ``anchor_drop x drop`` (a broken promise)."""
        self.baseline[e] = max(0.0, float(self.baseline[e]) - self.params.anchor_drop * drop)

    # -- closure ---------------------------------------------------------------------------

    def add_legs(self, edges: set[int]) -> None:
        """Closure rows for the open triads through ``edges`` that have become strong peer
        ties (strength at least ``closure_threshold``, not reporting lines)."""
        p = self.params
        threshold = p.closure_threshold
        if not edges:
            return
        strength, kind = self.strength, self.kind
        found: set[tuple[int, int, int]] = set()
        for e in sorted(edges):
            if kind[e] == REPORTING or strength[e] < threshold:
                continue
            x, y = int(self.src[e]), int(self.dst[e])
            # x -> y is a leg a -> k (k = y) and a leg k -> b (k = x)
            for b, e2 in self.adjacency.out_edges(y):
                if b != x and kind[e2] != REPORTING and strength[e2] >= threshold:
                    found.add((x, y, b))
            for a, e0 in self.adjacency.listeners(x):
                if a != y and kind[e0] != REPORTING and strength[e0] >= threshold:
                    found.add((a, x, y))
        n = max(self.n_people, 1)
        if self._row_keys is None:
            self._row_keys = set(((self.tri_a * n + self.tri_b) * n
                                  + self._pivots()).tolist())
        rows: list[tuple[int, int, int, int, int]] = []
        for a, k, b in sorted(found):
            key = (a * n + b) * n + k
            if key in self._row_keys or self._tied(a, b):
                continue
            e_ak, e_kb = self.eid(a, k), self.eid(k, b)
            assert e_ak is not None and e_kb is not None
            pair_key = (min(a, b), max(a, b))
            pair = self.pair_index.get(pair_key)
            if pair is None:
                pair = self.pair_index[pair_key] = len(self.pair_open)
                self.pair_open = np.append(self.pair_open, True)
            self._row_keys.add(key)
            rows.append((e_ak, e_kb, a, b, pair))
        if rows:
            cols = np.asarray(rows, np.int64).T
            for name, col in zip(_TRIADS, cols, strict=True):
                setattr(self, name, np.concatenate([getattr(self, name), col]))

    def _pivots(self) -> IntArray:
        """The pivot ``k`` of each closure row (the head of its first leg)."""
        return self.dst[self.tri_ak].astype(np.int64)

    def form_ties(self, a: IntArray, b: IntArray, strength: float) -> list[int]:
        """New acquaintances: ties both ways between ``a[i]`` and ``b[i]`` at ``strength``
        (at least), created in bulk where no edge exists yet (trust at the holder's
        propensity). Returns the edge ids, a -> b then b -> a for each pair."""
        src = np.concatenate([a, b])
        dst = np.concatenate([b, a])
        found = [self.eid(int(x), int(y)) for x, y in zip(src.tolist(), dst.tolist(),
                                                          strict=True)]
        missing = [i for i, e in enumerate(found) if e is None]
        if missing:
            new_src, new_dst = src[missing], dst[missing]
            k = len(missing)
            while self.n_edges + k > len(self.src):
                self._grow()
            first = self.n_edges
            eids = np.arange(first, first + k)
            self.src[eids], self.dst[eids] = new_src, new_dst
            self.trust[eids] = self.propensity[new_src]
            for name in (*_REF, "baseline"):
                getattr(self, name)[eids] = self.trust[eids]
            for name in ("strength", "scar", "shared"):
                getattr(self, name)[eids] = 0
            self.used[eids] = False
            self.n_edges += k
            self._classify(eids)
            for e, x, y in zip(eids.tolist(), new_src.tolist(), new_dst.tolist(), strict=True):
                self.adjacency.add(x, y, e)
            it = iter(eids.tolist())
            found = [next(it) if e is None else e for e in found]
        ids = np.asarray(found, np.int64)
        self.strength[ids] = np.maximum(self.strength[ids], strength)
        return [int(e) for e in ids.tolist()]

    def count(self, actor: int, act: str) -> int:
        """How many times ``actor`` did ``act`` before, this turn (and count this one)."""
        n = self.turn_counts.get((actor, act), 0)
        self.turn_counts[(actor, act)] = n + 1
        return n

    def _tied(self, a: int, b: int) -> bool:
        for x, y in ((a, b), (b, a)):
            e = self.eid(x, y)
            if e is not None and self.strength[e] > 0:
                return True
        return False

    # -- snapshots -----------------------------------------------------------------------

    def _small(self) -> dict[str, Any]:
        return {"quick_wins": dict(self.quick_wins), "recognitions": dict(self.recognitions),
                "feedbacks": dict(self.feedbacks),
                "damage": dict(self.damage), "support": dict(self.support),
                "tasks": list(self.tasks), "turn_counts": dict(self.turn_counts),
                "promise_counter": self.promise_counter}

    def snapshot(self, small: dict[str, Any]) -> Snapshot:
        n = self.n_edges
        arrays = {name: getattr(self, name)[:n].copy() for name in _EDGE_STATE}
        people = {name: getattr(self, name).copy() for name in _PEOPLE}
        triads = {name: getattr(self, name).copy() for name in (*_TRIADS, "pair_open")}
        return Snapshot(
            n_people=self.n_people, n_edges=n, arrays=arrays, people_arrays=people,
            triads=triads, promises=dict(self.promises),
            small={**small, "world": self._small(), "pair_index": dict(self.pair_index)},
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
        for name, arr in snap.triads.items():
            setattr(self, name, arr.copy())
        self._row_keys = None
        self.promises = dict(snap.promises)
        small = dict(snap.small)
        self.pair_index = dict(small.pop("pair_index"))
        mine = small.pop("world")
        self.quick_wins = dict(mine["quick_wins"])
        self.recognitions = dict(mine["recognitions"])
        self.feedbacks = dict(mine["feedbacks"])
        self.damage = dict(mine["damage"])
        self.support = dict(mine["support"])
        self.tasks = list(mine["tasks"])
        self.turn_counts = dict(mine["turn_counts"])
        self.promise_counter = mine["promise_counter"]
        self.tie_records = []
        self.strengthened = set()
        self.rng.setstate(snap.rng_state)  # type: ignore[arg-type]
        return small

    def graph(self, *, state: bool = True) -> nx.DiGraph:
        """The organisation as a networkx ``DiGraph`` (nodes are person ids).

        Nodes carry ``name``, ``team``, ``role`` and the traits; edges carry ``trust``,
        its three bases (``ability``, ``benevolence``, ``integrity``), ``strength``,
        ``baseline`` (the anchor), ``scar``, ``shared`` (shared contacts) and ``kind``
        (within, cross, reporting) when ``state`` is true. Built on demand: analysis and
        export, not the hot path.
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
            names = ("trust", *BASES, "strength", "baseline", "scar", "shared")
            bases = self.bases_arrays()
            columns = [(bases[name] if name in bases else getattr(self, name)[:n]).tolist()
                       for name in names]
            kind = self.kind[:n].tolist()
            for e, (a, b) in enumerate(zip(self.src[:n].tolist(), self.dst[:n].tolist(),
                                           strict=True)):
                attrs: dict[str, Any] = {name: col[e] for name, col in
                                         zip(names, columns, strict=True)}
                attrs["kind"] = kinds[kind[e]]
                G.add_edge(ids[a], ids[b], **attrs)
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
        for name in ("src", "dst", *_EDGE_STATE):
            h.update(getattr(self, name)[:n].tobytes())
        for name in _PEOPLE:
            h.update(getattr(self, name).tobytes())
        for name in (*_TRIADS, "pair_open"):
            h.update(getattr(self, name).tobytes())
        h.update(repr(sorted(self.promises.items())).encode())
        h.update(repr(sorted(self._small().items())).encode())
        h.update(repr(self.rng.getstate()).encode())
        return h.hexdigest()
