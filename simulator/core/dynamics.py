"""End of turn: every relationship remembers, drifts and decays, in a few numpy passes.

For each edge (``T`` trust, ``B`` its anchor, ``S`` strength, ``C`` scar, ``X`` 1 if the
tie crosses a team border, ``W`` 1 if it joins two peers of one team (not a reporting
line), ``U`` 1 if it was used this turn, ``E`` its embeddedness)::

    B <- B + memory * (T - B) * (1 - C if T > B)   the anchor learns from experience
    T <- T + drift * (B - T) * (1 - C if B > T)    trust returns towards the anchor
    T <- T - silo_erosion * X * (1 - S) * T         weak cross-team ties breed suspicion
    T <- T + team_cohesion * W * S * (1 - T)        strong ties between peers grow trust
    S <- S * (1 - rate * (1 - U) * (1 - strong_tie_slow * S))
                                                    unused ties weaken; rate by kind x
                                                    (1 - embedded_slow * E)
    C <- C * (1 - scar_heal)

then triadic closure: each open triad a - k - b over strong peer ties introduces a and b
with chance ``closure_rate x S(a,k) x S(k,b)`` (halved between teams), drawn from the
turn's own stream. Trust moves as a whole; the three bases follow it
(:func:`simulator.core.world.follow`). Everything stays in [0, 1]. Reporting ties do not
decay.
"""

from __future__ import annotations

import numpy as np

from .chance import numpy_stream
from .records import Cause, DriftSummary, TrustChanged
from .world import World

DRIFT = Cause("drift")


def end_of_turn_dynamics(
    world: World, watch: int | None, turn: int = 0
) -> tuple[list[TrustChanged], DriftSummary]:
    """Apply memory, drift, erosion, cohesion, decay, healing and closure to every edge.

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
    before = [(T.item(e), world.bases_of(e)) for e in watched]

    # every tie either crosses a team border (X) or not: two dot products give the
    # summary's sums, before and after
    before_cross = float(T @ X)
    before_all = float(T.sum())

    tmp = np.empty(n)
    aux = np.empty(n)
    heal = np.subtract(1.0, C)
    # memory: the anchor moves towards trust (upwards slowed by the scar)
    np.subtract(T, B, out=tmp)
    np.multiply(tmp, heal, out=aux)
    np.copyto(tmp, aux, where=tmp > 0)
    tmp *= p.memory
    B += tmp
    # drift: trust moves towards the anchor (upwards slowed by the scar)
    np.subtract(B, T, out=tmp)
    np.multiply(tmp, heal, out=aux)
    np.copyto(tmp, aux, where=tmp > 0)
    tmp *= p.drift
    T += tmp
    # erosion across teams: T -= e * X * (1 - S) * T
    np.subtract(1.0, S, out=tmp)
    tmp *= X
    tmp *= T
    tmp *= p.silo_erosion
    T -= tmp
    # cohesion between peers: T += c * W * S * (1 - T)
    np.subtract(1.0, T, out=tmp)
    tmp *= W
    tmp *= S
    tmp *= p.team_cohesion
    T += tmp
    np.minimum(T, 1.0, out=T)  # (np.clip costs several times these two)
    np.maximum(T, 0.0, out=T)
    # decay of unused ties: strong and embedded ones more slowly
    np.multiply(S, p.strong_tie_slow, out=tmp)
    np.subtract(1.0, tmp, out=tmp)
    tmp *= world.decay[:n]
    tmp *= ~U
    np.multiply(tmp, S, out=aux)
    weakened = int(np.count_nonzero(aux))  # unused, decaying and not yet gone
    np.subtract(1.0, tmp, out=tmp)
    S *= tmp
    C *= 1.0 - p.scar_heal
    U[:] = False
    keep = p.repeat_memory
    world.recognitions = {k: v * keep for k, v in world.recognitions.items()
                          if v * keep >= 1e-3}
    world.feedbacks = {k: v * keep for k, v in world.feedbacks.items() if v * keep >= 1e-3}

    n_cross = float(X.sum())
    n_within = n - n_cross
    change_cross = float(T @ X) - before_cross
    change_all = float(T.sum()) - before_all
    formed = closure(world, turn)
    summary = DriftSummary(
        edges=n,
        mean_trust_change=change_all / n if n else 0.0,
        mean_within_change=(change_all - change_cross) / n_within if n_within else 0.0,
        mean_cross_change=change_cross / n_cross if n_cross else 0.0,
        ties_weakened=weakened,
        ties_formed=formed,
    )
    records: list[TrustChanged] = []
    ids = world.ids
    src, dst = world.src, world.dst
    for e, (t0, bases0) in zip(watched, before, strict=True):
        t1 = T.item(e)
        if abs(t1 - t0) >= 1e-4:
            bases1 = world.bases_of(e)
            moved = (bases1[0] - bases0[0], bases1[1] - bases0[1], bases1[2] - bases0[2])
            records.append(TrustChanged(ids[src[e]], ids[dst[e]], t0, t1, DRIFT, moved))
    return records, summary


def closure(world: World, turn: int) -> int:
    """Triadic closure: each open triad ``a -> k -> b`` whose legs are both at least
    ``closure_threshold`` introduces ``a`` and ``b`` with chance ``closure_rate x S(a,k)
    x S(k,b)``, times ``closure_across`` when ``a`` and ``b`` are in different teams.
    An introduced pair gets a tie both ways at ``closure_strength``, and the contacts
    that closed it become its shared contacts (and it theirs), which slows its decay.
    The draws come from the turn's own stream, one per triad, whatever else happened.
    Returns how many pairs became tied."""
    p = world.params
    rows = len(world.tri_ak)
    if p.closure_rate <= 0 or rows == 0:
        return 0
    S = world.strength
    legs_ak, legs_kb = S[world.tri_ak], S[world.tri_kb]
    threshold = p.closure_threshold
    active = world.pair_open[world.tri_pair] & (legs_ak >= threshold) & (legs_kb >= threshold)
    if not active.any():
        return 0
    luck = numpy_stream(world.seed, "closure", turn).random(rows)
    team = world.team
    across = np.where(team[world.tri_a] == team[world.tri_b], 1.0, p.closure_across)
    chance = p.closure_rate * legs_ak * legs_kb * across
    fired = active & (luck < chance)
    if not fired.any():
        return 0
    pairs = np.unique(world.tri_pair[fired])
    # the two people of each formed pair, from its first row that fired
    first: dict[int, int] = {}
    for row in np.flatnonzero(fired).tolist():
        first.setdefault(int(world.tri_pair[row]), row)
    ends = np.asarray([first[pair] for pair in pairs.tolist()], np.int64)
    a, b = world.tri_a[ends], world.tri_b[ends]
    eids = world.form_ties(a, b, p.closure_strength)
    world.pair_open[pairs] = False
    # shared contacts: every strong pivot of a formed pair is one for the new tie, and the
    # new tie's ends become shared contacts of that pivot's ties
    k = len(pairs)
    edge = {(x, y): eids[i] for i, (x, y) in enumerate(zip(a.tolist(), b.tolist(),
                                                          strict=True))}
    edge.update({(y, x): eids[k + i] for i, (x, y) in enumerate(zip(a.tolist(), b.tolist(),
                                                                   strict=True))})
    touched: list[int] = []
    for row in np.flatnonzero(active & np.isin(world.tri_pair, pairs)).tolist():
        new_tie = edge[(int(world.tri_a[row]), int(world.tri_b[row]))]
        touched += [new_tie, int(world.tri_ak[row]), int(world.tri_kb[row])]
    if touched:
        ids = np.asarray(touched, np.int64)
        np.add.at(world.shared, ids, 1)
        world._rates(np.unique(ids))
    return k
