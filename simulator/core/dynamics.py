"""End of turn: every relationship drifts and every unused tie decays, in a few numpy passes.

For each edge (``T`` trust, ``B`` baseline, ``S`` strength, ``X`` 1 if the tie crosses a
team border, ``W`` 1 if it lies inside a team, ``U`` 1 if it was used this turn)::

    T <- T + drift * (B - T)                       regression towards disposition
    T <- T - silo_erosion * X * (1 - S) * T         weak cross-team ties breed suspicion
    T <- T + team_cohesion * W * S * (1 - T)        strong ties inside a team grow trust
    S <- S * (1 - decay * (1 - U))                  unused ties weaken (faster across teams)
    scar <- scar * (1 - scar_heal)

Everything stays in [0, 1]. Reporting ties do not decay.
"""

from __future__ import annotations

import numpy as np

from .records import Cause, DriftSummary, TrustChanged
from .world import World

DRIFT = Cause("drift")


def end_of_turn_dynamics(
    world: World, watch: int | None
) -> tuple[list[TrustChanged], DriftSummary]:
    """Apply drift, erosion, cohesion, decay and healing to every edge.

    Returns records for the relationships that involve ``watch`` (the player) and a
    summary over the whole organisation.
    """
    p = world.params
    n = world.n_edges
    T = world.trust[:n]
    S = world.strength[:n]
    B = world.baseline[:n]
    X = world.cross_f[:n]
    W = world.within_f[:n]
    U = world.used[:n]

    watched: list[int] = []
    if watch is not None:
        watched = world.adjacency.edge_ids(watch)
    watched_before = T[watched].copy() if watched else None

    # every tie either crosses a team border (X) or not (W): two dot products give all
    # three sums of the summary, before and after
    before_cross = float(T @ X)
    before_within = float(T @ W)

    tmp = np.subtract(B, T)
    tmp *= p.drift
    T += tmp
    # erosion across teams: T -= e * X * (1 - S) * T
    np.subtract(1.0, S, out=tmp)
    tmp *= X
    tmp *= T
    tmp *= p.silo_erosion
    T -= tmp
    # cohesion inside teams: T += c * W * S * (1 - T)
    np.subtract(1.0, T, out=tmp)
    tmp *= W
    tmp *= S
    tmp *= p.team_cohesion
    T += tmp
    np.minimum(T, 1.0, out=T)  # (np.clip costs several times these two)
    np.maximum(T, 0.0, out=T)
    # decay of unused ties
    decay = world.decay[:n]
    unused = ~U
    np.multiply(decay, unused, out=tmp)
    weakened = int(np.count_nonzero(tmp * S))  # unused, decaying and not yet gone
    np.subtract(1.0, tmp, out=tmp)
    S *= tmp
    world.scar[:n] *= 1.0 - p.scar_heal
    U[:] = False

    n_cross = float(X.sum())
    n_within = n - n_cross
    change_cross = float(T @ X) - before_cross
    change_within = float(T @ W) - before_within
    summary = DriftSummary(
        edges=n,
        mean_trust_change=(change_cross + change_within) / n if n else 0.0,
        mean_within_change=change_within / n_within if n_within else 0.0,
        mean_cross_change=change_cross / n_cross if n_cross else 0.0,
        ties_weakened=weakened,
    )
    records: list[TrustChanged] = []
    if watched_before is not None:
        ids = world.ids
        src, dst = world.src, world.dst
        for e, before in zip(watched, watched_before.tolist(), strict=True):
            after = float(T[e])
            if abs(after - before) >= 1e-4:
                records.append(TrustChanged(ids[src[e]], ids[dst[e]], before, after, DRIFT))
    return records, summary
