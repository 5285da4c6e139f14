"""Small ready-made setups for doctests, tests and notebooks (no files involved)."""

from __future__ import annotations

import itertools

import numpy as np

from .params import Params
from .setup import ObjectiveSetup, PersonSetup, PromiseSetup, Setup, TeamSetup


def tiny_setup(*, seed: int = 1, turns: int = 6, capacity: int = 2,
               params: Params | None = None) -> Setup:
    """Two teams of three: Ana (the player) leads Ben and Cas; Dan leads Eli and Fay.

    Everyone is tied to everyone inside their team (trust 0.5, strength 0.6), Ana and Dan
    know each other across teams (0.45, 0.3), and Ben and Eli have a weak cross-team tie.
    """
    people = [
        PersonSetup("ana", "Ana", "manager", "dev"),
        PersonSetup("ben", "Ben", "employee", "dev", "ana", competence=0.8),
        PersonSetup("cas", "Cas", "employee", "dev", "ana", competence=0.3),
        PersonSetup("dan", "Dan", "manager", "ops"),
        PersonSetup("eli", "Eli", "employee", "ops", "dan"),
        PersonSetup("fay", "Fay", "employee", "ops", "dan", openness=0.8),
    ]
    index = {p.id: i for i, p in enumerate(people)}
    ties: dict[tuple[int, int], tuple[float, float]] = {}
    for team in ("dev", "ops"):
        members = [index[p.id] for p in people if p.team == team]
        for a, b in itertools.permutations(members, 2):
            ties[(a, b)] = (0.5, 0.6)
    for x, y, t, s in (("ana", "dan", 0.45, 0.3), ("ben", "eli", 0.4, 0.2)):
        ties[(index[x], index[y])] = (t, s)
        ties[(index[y], index[x])] = (t, s)
    keys = sorted(ties)
    return Setup(
        title="Tiny", language="en", seed=seed, turns=turns, player="ana",
        capacity=capacity, params=params or Params(),
        teams=[TeamSetup("dev", "Development"), TeamSetup("ops", "Operations")],
        people=people,
        tie_src=np.array([a for a, _ in keys], np.int32),
        tie_dst=np.array([b for _, b in keys], np.int32),
        tie_trust=np.array([ties[k][0] for k in keys]),
        tie_strength=np.array([ties[k][1] for k in keys]),
        promises=[PromiseSetup("p1", "ana", "ben", "a day off after the release", 3)],
        objectives=[ObjectiveSetup("dev-trust", "trust_in_player", "Dev trusts Ana",
                                   turns, who="dev", at_least=0.6)],
    )
