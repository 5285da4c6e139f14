"""Synthetic organisations of any size, grown with numpy from one seed.

Structure: a management tree whose managers have ``span_min``..``span_max`` direct
reports; a team is a manager's direct reports (the manager leads it from the team above);
departments are the subtrees under the top executive's reports. Ties: each pair inside a
team with probability ``density``, both reporting directions, and ``cross_ties`` mutual
ties per person to people in other teams, a share ``homophily`` of them inside the same
department. Initial trust is drawn from Beta distributions around ``trust_within``,
``trust_cross`` and ``trust_reporting``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ..core.params import Params
from ..core.setup import PersonSetup, Setup, TeamSetup

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class OrgOptions:
    people: int = 300
    seed: int = 0
    span_min: int = 5
    span_max: int = 8
    density: float = 0.9
    cross_ties: int = 2
    homophily: float = 0.7
    trust_within: float = 0.6
    trust_cross: float = 0.45
    trust_reporting: float = 0.6
    strength_within: float = 0.6
    strength_cross: float = 0.25
    turns: int = 20
    capacity: int = 3

    def check(self) -> None:
        if self.people < 3:
            raise ValueError("people must be at least 3")
        if not 2 <= self.span_min <= self.span_max:
            raise ValueError("need 2 <= span_min <= span_max")
        for name in ("density", "homophily", "trust_within", "trust_cross", "trust_reporting",
                     "strength_within", "strength_cross"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be in [0, 1]")
        if self.cross_ties < 0:
            raise ValueError("cross_ties must be >= 0")


@dataclass(slots=True)
class Org:
    """A generated organisation as arrays (the compact format's content)."""

    options: OrgOptions
    manager: IntArray
    team: IntArray
    department: IntArray
    role: npt.NDArray[np.int8]
    competence: npt.NDArray[np.float64]
    openness: npt.NDArray[np.float64]
    propensity: npt.NDArray[np.float64]
    tie_src: npt.NDArray[np.int32]
    tie_dst: npt.NDArray[np.int32]
    tie_trust: npt.NDArray[np.float64]
    tie_strength: npt.NDArray[np.float64]
    team_lead: IntArray
    player: int

    @property
    def n(self) -> int:
        return len(self.manager)

    def ids(self) -> list[str]:
        width = len(str(self.n - 1))
        return [f"p{i:0{width}d}" for i in range(self.n)]

    def team_ids(self) -> list[str]:
        width = len(str(len(self.team_lead) - 1))
        return [f"t{i:0{width}d}" for i in range(len(self.team_lead))]

    def meta(self) -> dict[str, Any]:
        ids = self.ids()
        return {
            "title": f"Generated organisation ({self.n:,} people)",
            "summary": f"{self.n:,} people in {len(self.team_lead):,} teams, seed "
                       f"{self.options.seed}",
            "brief": "A synthetic organisation for exploration.",
            "seed": self.options.seed, "turns": self.options.turns,
            "capacity": self.options.capacity, "player": ids[self.player],
            "teams": [{"id": t, "name": f"Team of {ids[lead]}"}
                      for t, lead in zip(self.team_ids(), self.team_lead.tolist(), strict=True)],
            "generator": asdict(self.options),
        }

    def arrays(self) -> dict[str, np.ndarray[Any, Any]]:
        return {
            "role": self.role, "team": self.team.astype(np.int32),
            "manager": self.manager.astype(np.int32), "competence": self.competence,
            "openness": self.openness, "propensity": self.propensity,
            "tie_src": self.tie_src, "tie_dst": self.tie_dst, "tie_trust": self.tie_trust,
            "tie_strength": self.tie_strength,
        }

    def people(self) -> list[tuple[str, str]]:
        return [(pid, f"Person {i}") for i, pid in enumerate(self.ids())]

    def setup(self) -> Setup:
        """The organisation as a core setup, without going through a file."""
        ids, team_ids = self.ids(), self.team_ids()
        roles = ("executive", "manager", "employee")
        people = [
            PersonSetup(ids[i], f"Person {i}", roles[r], team_ids[t],  # type: ignore[arg-type]
                        ids[m] if m >= 0 else None, c, o, p)
            for i, (r, t, m, c, o, p) in enumerate(zip(
                self.role.tolist(), self.team.tolist(), self.manager.tolist(),
                self.competence.tolist(), self.openness.tolist(), self.propensity.tolist(),
                strict=True))
        ]
        meta = self.meta()
        return Setup(
            title=meta["title"], language="en", seed=self.options.seed,
            turns=self.options.turns, player=ids[self.player], capacity=self.options.capacity,
            params=Params(), teams=[TeamSetup(t["id"], t["name"]) for t in meta["teams"]],
            people=people, tie_src=self.tie_src, tie_dst=self.tie_dst,
            tie_trust=self.tie_trust, tie_strength=self.tie_strength, summary=meta["summary"],
        )


def _beta(rng: np.random.Generator, mean: float, size: int, concentration: float = 12.0
          ) -> npt.NDArray[np.float64]:
    mean = min(max(mean, 1e-3), 1 - 1e-3)
    return rng.beta(mean * concentration, (1 - mean) * concentration, size)


def generate_org(options: OrgOptions | None = None, **kwargs: Any) -> Org:
    """Grow an organisation. Same options and seed, same organisation.

    >>> org = generate_org(people=50, seed=1)
    >>> org.n, int((org.manager < 0).sum())
    (50, 1)
    """
    opts = options or OrgOptions(**kwargs)
    opts.check()
    n = opts.people
    rng = np.random.default_rng(opts.seed)

    # -- management tree, breadth first: person 0 is the top executive --------------------
    manager = np.full(n, -1, np.int64)
    spans = rng.integers(opts.span_min, opts.span_max + 1, size=n)
    next_person, boss = 1, 0
    while next_person < n:
        take = min(int(spans[boss]), n - next_person)
        manager[next_person:next_person + take] = boss
        next_person += take
        boss += 1
    has_reports = np.zeros(n, np.bool_)
    has_reports[manager[manager >= 0]] = True
    # teams: one per manager, holding that manager's direct reports; the top executive
    # sits in the team they lead
    leads = np.flatnonzero(has_reports)
    team_of_lead = np.full(n, -1, np.int64)
    team_of_lead[leads] = np.arange(len(leads))
    team = np.where(manager >= 0, team_of_lead[np.maximum(manager, 0)], team_of_lead[0])
    # departments: subtrees under the top executive's direct reports
    department = np.full(n, -1, np.int64)
    top = np.flatnonzero(manager == 0)
    department[0] = 0
    department[top] = np.arange(len(top))
    for i in range(1, n):  # parents come before children in breadth-first order
        if department[i] < 0:
            department[i] = department[manager[i]]
    role = np.where(has_reports, 1, 2).astype(np.int8)
    role[0] = 0

    # -- ties inside teams ----------------------------------------------------------------
    order = np.argsort(team, kind="stable")
    sizes = np.bincount(team, minlength=len(leads))
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    per_person = sizes[team[order]]
    src = np.repeat(order, per_person)
    offsets = np.arange(len(src)) - np.repeat(np.cumsum(per_person) - per_person, per_person)
    dst = order[np.repeat(starts[team[order]], per_person) + offsets]
    keep = (src != dst) & (rng.random(len(src)) < opts.density)
    within_src, within_dst = src[keep], dst[keep]

    # -- reporting lines, both ways -----------------------------------------------------
    reports = np.flatnonzero(manager >= 0)
    rep_src = np.concatenate((reports, manager[reports]))
    rep_dst = np.concatenate((manager[reports], reports))

    # -- cross-team ties, mutual, with homophily by department ---------------------------
    k = opts.cross_ties
    people_idx = np.repeat(np.arange(n), k)
    partner = rng.integers(0, n, size=len(people_idx))
    same_dept = rng.random(len(people_idx)) < opts.homophily
    if same_dept.any():
        dept_order = np.argsort(department, kind="stable")
        dept_sizes = np.bincount(department)
        dept_starts = np.concatenate(([0], np.cumsum(dept_sizes)[:-1]))
        d = department[people_idx[same_dept]]
        pick = dept_starts[d] + (rng.random(len(d)) * dept_sizes[d]).astype(np.int64)
        partner[same_dept] = dept_order[pick]
    ok = team[people_idx] != team[partner]
    cross_src = np.concatenate((people_idx[ok], partner[ok]))
    cross_dst = np.concatenate((partner[ok], people_idx[ok]))

    # -- merge (later kinds win on duplicates: reporting over cross over within) -----------
    all_src = np.concatenate((within_src, cross_src, rep_src))
    all_dst = np.concatenate((within_dst, cross_dst, rep_dst))
    kind = np.concatenate((np.zeros(len(within_src), np.int8), np.ones(len(cross_src), np.int8),
                           np.full(len(rep_src), 2, np.int8)))
    keys = all_src * n + all_dst
    rev = np.arange(len(keys))[::-1]
    _, first_from_end = np.unique(keys[::-1], return_index=True)
    chosen = np.sort(rev[first_from_end])
    src_final = all_src[chosen].astype(np.int32)
    dst_final = all_dst[chosen].astype(np.int32)
    kind = kind[chosen]
    m = len(chosen)
    trust = np.empty(m)
    strength = np.empty(m)
    for code, t_mean, s_mean in ((0, opts.trust_within, opts.strength_within),
                                 (1, opts.trust_cross, opts.strength_cross),
                                 (2, opts.trust_reporting, 0.8)):
        mask = kind == code
        count = int(mask.sum())
        trust[mask] = _beta(rng, t_mean, count)
        strength[mask] = _beta(rng, s_mean, count)

    # -- the player: a first-line manager (leads a team of employees only) ----------------
    manager_reports = np.bincount(manager[has_reports & (manager >= 0)], minlength=n)
    first_line = np.flatnonzero(has_reports & (manager_reports == 0) & (np.arange(n) != 0))
    player = int(first_line[0]) if len(first_line) else int(leads[0])

    return Org(
        options=opts, manager=manager, team=team, department=department, role=role,
        competence=_beta(rng, 0.55, n, 8.0), openness=_beta(rng, 0.5, n, 8.0),
        propensity=_beta(rng, 0.5, n, 8.0), tie_src=src_final, tie_dst=dst_final,
        tie_trust=trust, tie_strength=strength, team_lead=leads.astype(np.int64),
        player=player,
    )


def write_org(org: Org, path: str) -> None:
    """Save as a compact ``.npz`` organisation that ``load_scenario`` reads."""
    from ..scenario.compact import save_compact

    save_compact(path, org.meta(), org.people(), org.arrays())
