"""End of turn: every relationship remembers, drifts and decays, in a few numpy passes.

For each edge (``T`` trust, ``B`` its anchor, ``S`` strength, ``C`` scar, ``X`` 1 if the
tie crosses a team border, ``W`` 1 if it joins two peers of one team (not a reporting
line), ``U`` 1 if it was used this
turn, ``E`` its embeddedness)::

    B <- B + memory * (T - B) * (1 - C if T > B)   the anchor learns from experience
    T <- T + drift * (B - T) * (1 - C if B > T)    trust returns towards the anchor
    T <- T - silo_erosion * X * (1 - S) * T         weak cross-team ties breed suspicion
    T <- T + team_cohesion * W * S * (1 - T)        strong ties between peers grow trust
    S <- S * (1 - rate * (1 - U) * (1 - strong_tie_slow * S))
                                                    unused ties weaken; rate by kind x
                                                    (1 - embedded_slow * E)
    S(a,b) <- min(closure_cap, S(a,b) + closure_rate * S(a,k) * S(k,b) * h)
                                                    triadic closure over open triads
    C <- C * (1 - scar_heal)

The three bases follow trust: when trust falls, each base keeps its share of trust; when
it rises, each base keeps its share of the gap to 1. So what an act damaged stays visible
in the bases while trust as a whole drifts. Everything stays in [0, 1]. Reporting ties do
not decay.
"""

from __future__ import annotations

import numpy as np

from .records import Cause, DriftSummary, TrustChanged
from .world import BASES, World

DRIFT = Cause("drift")


def end_of_turn_dynamics(
    world: World, watch: int | None
) -> tuple[list[TrustChanged], DriftSummary]:
    """Apply memory, drift, erosion, cohesion, decay, closure and healing to every edge.

    Returns records for the relationships that involve ``watch`` (the player) and a
    summary over the whole organisation.
    """
    p = world.params
    world.add_legs(world.strengthened)
    world.strengthened = set()
    n = world.n_edges
    T = world.trust[:n]
    S = world.strength[:n]
    B = world.baseline[:n]
    C = world.scar[:n]
    X = world.cross_f[:n]
    W = world.within_f[:n]
    U = world.used[:n]

    watched: list[int] = []
    if watch is not None:
        watched = world.adjacency.edge_ids(watch)
    watched_before = T[watched].copy() if watched else None
    bases_before = ([getattr(world, b)[watched].copy() for b in BASES]
                    if watched else None)

    cross = X > 0
    before_cross = float(T[cross].sum())
    before_all = float(T.sum())

    tmp = np.empty(n)
    slow = np.empty(n)
    # memory: the anchor moves towards trust (upwards slowed by the scar)
    np.subtract(T, B, out=tmp)
    np.multiply(C, tmp > 0, out=slow)
    np.subtract(1.0, slow, out=slow)
    tmp *= slow
    tmp *= p.memory
    B += tmp
    # drift: trust moves towards the anchor (upwards slowed by the scar)
    new = np.subtract(B, T)
    np.multiply(C, new > 0, out=slow)
    np.subtract(1.0, slow, out=slow)
    new *= slow
    new *= p.drift
    new += T
    # erosion across teams: T -= e * X * (1 - S) * T
    np.subtract(1.0, S, out=tmp)
    tmp *= X
    tmp *= new
    tmp *= p.silo_erosion
    new -= tmp
    # cohesion inside teams: T += c * W * S * (1 - T)
    np.subtract(1.0, new, out=tmp)
    tmp *= W
    tmp *= S
    tmp *= p.team_cohesion
    new += tmp
    np.minimum(new, 1.0, out=new)  # (np.clip costs several times these two)
    np.maximum(new, 0.0, out=new)
    # the bases follow: x' = x * g + c, with g = new/T, c = 0 where trust fell and
    # g = (1 - new)/(1 - T), c = 1 - g where it rose
    rose = new > T
    np.subtract(1.0, new, out=tmp)
    np.subtract(1.0, T, out=slow)
    gain = np.divide(tmp, slow, out=np.ones(n), where=rose & (slow > 0))
    fell = new < T
    np.divide(new, T, out=gain, where=fell & (T > 0))
    offset = np.subtract(1.0, gain)
    offset *= rose
    for name in BASES:
        base = getattr(world, name)[:n]
        base *= gain
        base += offset
        np.minimum(base, 1.0, out=base)
        np.maximum(base, 0.0, out=base)
    T[:] = new
    # decay of unused ties: strong and embedded ones more slowly
    np.multiply(world.decay[:n], ~U, out=tmp)
    np.multiply(S, p.strong_tie_slow, out=slow)
    np.subtract(1.0, slow, out=slow)
    tmp *= slow
    weakened = int(np.count_nonzero(tmp * S))  # unused, decaying and not yet gone
    np.subtract(1.0, tmp, out=tmp)
    S *= tmp
    formed, strengthened = _closure(world)
    C *= 1.0 - p.scar_heal
    U[:] = False
    if world.recognitions:
        keep = p.recognise_memory
        world.recognitions = {k: v * keep for k, v in world.recognitions.items()
                              if v * keep >= 1e-3}

    n_cross = int(np.count_nonzero(cross))
    n_within = n - n_cross
    change_cross = float(T[cross].sum()) - before_cross
    change_all = float(T.sum()) - before_all
    summary = DriftSummary(
        edges=n,
        mean_trust_change=change_all / n if n else 0.0,
        mean_within_change=(change_all - change_cross) / n_within if n_within else 0.0,
        mean_cross_change=change_cross / n_cross if n_cross else 0.0,
        ties_weakened=weakened,
        ties_formed=formed,
        ties_strengthened=strengthened,
    )
    records: list[TrustChanged] = []
    if watched_before is not None and bases_before is not None:
        ids = world.ids
        src, dst = world.src, world.dst
        after_bases = [getattr(world, b)[watched] for b in BASES]
        for j, (e, before) in enumerate(zip(watched, watched_before.tolist(), strict=True)):
            after = float(T[e])
            if abs(after - before) >= 1e-4:
                moved = tuple(float(after_bases[k][j] - bases_before[k][j]) for k in range(3))
                records.append(TrustChanged(ids[src[e]], ids[dst[e]], before, after, DRIFT,
                                            moved))  # type: ignore[arg-type]
    return records, summary


def _closure(world: World) -> tuple[int, int]:
    """Triadic closure over the open triads: strong ``a - k`` and ``k - b`` make the tie
    ``a -> b`` grow, by ``closure_rate x S(a,k) x S(k,b)``, halved (``closure_across``)
    between two teams, up to ``closure_cap``. Returns (pairs that became tied, ties that
    grew). A pair that becomes tied gains the contacts that closed it as shared contacts
    (and they gain it), which slows its decay."""
    p = world.params
    if p.closure_rate <= 0 or len(world.tri_ak) == 0:
        return 0, 0
    S = world.strength
    legs_ak, legs_kb = S[world.tri_ak], S[world.tri_kb]
    threshold = p.closure_threshold
    active = (legs_ak >= threshold) & (legs_kb >= threshold)
    target = world.tri_ab
    room = S[target] < p.closure_cap
    active &= room
    if not active.any():
        return 0, 0
    rows = np.flatnonzero(active)
    ab = target[rows]
    same = world.src_team[ab] == world.dst_team[ab]
    inc = p.closure_rate * legs_ak[rows] * legs_kb[rows] * np.where(same, 1.0,
                                                                     p.closure_across)
    edges, where = np.unique(ab, return_inverse=True)
    add = np.bincount(where, weights=inc, minlength=len(edges))
    before = S[edges].copy()
    back = S[world.tri_ba[rows]]
    S[edges] = np.minimum(p.closure_cap, before + add)
    # a pair became tied: this edge had no strength, and its reverse had none before
    formed_rows = rows[(before[where] <= 0.0) & (back <= 0.0)]
    if len(formed_rows):
        touched = np.concatenate([world.tri_ab[formed_rows], world.tri_ak[formed_rows],
                                  world.tri_kb[formed_rows]])
        np.add.at(world.shared, touched, 1)
        world._rates(np.unique(touched))
    formed_pairs = len(np.unique(np.minimum(world.tri_ab[formed_rows],
                                            world.tri_ba[formed_rows])))
    return formed_pairs, len(edges)
