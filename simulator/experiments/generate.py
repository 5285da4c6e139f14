"""Synthetic organisations of any size, grown with numpy from one seed.

Structure: a management tree whose managers have ``span_min``..``span_max`` direct
reports, grown breadth first from the top executive (person 0).

Teams, by ``manager_team``:

``own`` (the default)
    A manager belongs to the team they lead: a first-line manager and their direct
    reports are one team, so the reporting lines between them are ties inside the team.
    A manager who leads only managers (a head of department, say) has no team of
    employees: they sit with their peers in the team their own manager leads, and the top
    executive leads and sits in the top team. Every other manager's line to their own
    manager crosses a team border: the management tree links teams, and those reporting
    lines are external ties (about one line each way per team, not one per person).
``above`` (the layout of earlier versions)
    A team is one manager's direct reports; the manager sits in the team above, among
    their own peers. Every reporting line except those to the top executive is then
    external, and the silo measures mostly measure the org chart.

Departments group whole teams: by default (``departments=0``) the branches under the top
executive's direct reports; with ``departments=N``, N branches of the tree (or runs of
neighbouring branches) of about equal headcount.

Ties: each pair inside a team with probability ``density``; both directions of every
reporting line; ``cross_ties`` mutual ties per person to people in other teams, a share
``homophily`` of them to another team of the same department and the rest to another
department (so ``cross_ties * homophily`` per person inside the department and
``cross_ties * (1 - homophily)`` between departments). Initial trust is drawn from Beta
distributions around ``trust_within``, ``trust_cross`` and ``trust_reporting``.

The options are recorded in the file (``meta.generator``): :func:`read_options` reads
them back and :func:`regenerate` grows the same kind of organisation with another seed.
"""

from __future__ import annotations

import heapq
import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from ..core.params import Params
from ..core.setup import PersonSetup, Setup, TeamSetup

IntArray = npt.NDArray[np.int64]

#: Which team a manager belongs to (see the module's docstring).
MANAGER_TEAMS = ("own", "above")
#: How finely the team tree is cut before merging branches into departments: no branch
#: holds more than ``1 / BRANCHES_PER_DEPARTMENT`` of a department's share of people.
BRANCHES_PER_DEPARTMENT = 4


@dataclass(frozen=True, slots=True)
class OrgOptions:
    """Everything :func:`generate_org` grows an organisation from."""

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
    #: ``own``: a manager sits in the team they lead; ``above``: in their manager's team
    manager_team: str = "own"
    #: 0: one department per branch under the top executive; N: N departments
    departments: int = 0

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
        if self.manager_team not in MANAGER_TEAMS:
            raise ValueError(f"manager_team must be one of {', '.join(MANAGER_TEAMS)} "
                             f"(got {self.manager_team!r})")
        if self.departments < 0:
            raise ValueError("departments must be >= 0")

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> OrgOptions:
        """Options back from what a file recorded (``meta.generator``).

        A file written before ``manager_team`` existed was grown with the ``above`` layout.

        >>> OrgOptions.from_record({"people": 40, "seed": 3}).manager_team
        'above'
        >>> OrgOptions.from_record(asdict(OrgOptions(departments=4))).departments
        4
        """
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(record) - known)
        if unknown:
            raise ValueError(f"unknown generator options: {', '.join(unknown)} (a file "
                             "from a newer trustsim?)")
        try:
            options = cls(**{"manager_team": "above", **record})
            options.check()
        except TypeError as exc:
            raise ValueError(f"invalid generator options: {exc}") from None
        return options


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
    >>> player = org.player  # a first-line manager, in the team they lead
    >>> bool(org.team[player] == org.team[org.manager == player][0])
    True
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
    role = np.where(has_reports, 1, 2).astype(np.int8)
    role[0] = 0

    # -- teams: each person sits in the team of one lead ----------------------------------
    # "own": a manager with employees among their reports sits in the team they lead; a
    # manager of managers only sits with their peers in their own manager's team.
    # "above": every manager sits in their own manager's team. The top executive always
    # sits in the team they lead.
    if opts.manager_team == "own":
        sits_own = np.zeros(n, np.bool_)
        sits_own[manager[~has_reports & (manager >= 0)]] = True
    else:
        sits_own = np.zeros(n, np.bool_)
    sits_own[0] = True
    home = np.where(sits_own, np.arange(n), manager)
    leads = np.unique(home)
    team_of_lead = np.full(n, -1, np.int64)
    team_of_lead[leads] = np.arange(len(leads))
    team = team_of_lead[home]
    team_department = _departments(opts.departments, manager, team, leads,
                                   np.bincount(team, minlength=len(leads)))
    department = team_department[team]

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

    # -- cross-team ties, mutual: a share homophily inside one's department --------------
    people_idx = np.repeat(np.arange(n), opts.cross_ties)
    partner = _cross_partners(rng, people_idx, team, department, opts.homophily)
    ok = partner >= 0
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


def _departments(count: int, manager: IntArray, team: IntArray, leads: IntArray,
                 sizes: IntArray) -> IntArray:
    """The department of every team (teams in the order of ``leads``).

    ``count`` 0: the branch under one of the top executive's direct reports that holds the
    team's lead (the top executive's own team goes with the first branch).

    ``count`` N: branches of the *team tree* (a team's parent is the team its lead sits in,
    or for a lead sitting in their own team, their manager's team). Starting from the top
    team, the branch with the most people is split into its child teams' branches until
    none holds more than a quarter of a department's share; neighbouring branches (in
    depth-first order) are then merged into N departments of about equal headcount, and a
    team whose branch was split goes with the first department below it. So a department
    is a stretch of the tree, and its reporting lines leave it only near its top.
    """
    n = len(manager)
    if count == 0:
        branch = np.zeros(n, np.int64)
        top = np.flatnonzero(manager == 0)
        branch[top] = np.arange(len(top))
        for i in range(int(top[-1]) + 1 if len(top) else n, n):  # parents come first
            branch[i] = branch[manager[i]]
        result: IntArray = branch[leads]
        return result
    teams = len(leads)
    # the team tree: leads are sorted, and a parent team's lead comes before its children's
    own = team[leads] == np.arange(teams)
    parent = np.where(own, team[np.maximum(manager[leads], 0)], team[leads])
    parent[leads == 0] = -1
    up = parent.tolist()
    # branches: split the largest branch into its child teams' branches (its own team
    # then leads them) until none holds more than a share of the headcount
    children: list[list[int]] = [[] for _ in range(teams)]
    for t in range(1, teams):
        children[up[t]].append(t)
    held = sizes.astype(np.float64).tolist()
    for t in range(teams - 1, 0, -1):
        held[up[t]] += held[t]
    most = held[0] / (BRANCHES_PER_DEPARTMENT * count)
    heap = [(-held[0], 0)]
    leaves: list[int] = []  # branches that cannot be split
    while heap and (-heap[0][0] > most or len(heap) + len(leaves) < count):
        _, t = heapq.heappop(heap)
        if children[t]:
            for child in children[t]:
                heapq.heappush(heap, (-held[child], child))
        else:
            leaves.append(t)
    found = [t for _, t in heap] + leaves
    if len(found) < count:
        raise ValueError(f"departments: {count} asked for, but the organisation has at most "
                         f"{len(found)} branches of teams to make them from")
    # depth-first (pre-order) position of every person: children of a manager are a
    # contiguous run of indices in the breadth-first tree, parents before children
    boss = manager.tolist()
    subtree = [1] * n
    for i in range(n - 1, 0, -1):
        subtree[boss[i]] += subtree[i]
    position = [0] * n
    for i in range(1, n):
        position[i] = (position[boss[i]] + 1 if boss[i] != boss[i - 1]
                       else position[i - 1] + subtree[i - 1])
    roots = np.array(sorted(found, key=lambda t: position[int(leads[t])]), np.int64)
    branch_of = np.full(teams, -1, np.int64)
    branch_of[roots] = np.arange(len(roots))
    for t in range(1, teams):  # parents come first
        if branch_of[t] < 0:
            branch_of[t] = branch_of[up[t]]
    below = branch_of >= 0
    headcount = np.cumsum([held[t] for t in roots.tolist()])
    cuts = [0]
    for k in range(1, count):
        target = k * headcount[-1] / count
        at = int(np.searchsorted(headcount, target))  # first branch reaching the target
        if at > 0 and target - headcount[at - 1] < headcount[at] - target:
            at -= 1  # cutting before that branch lands nearer the target
        cuts.append(min(max(at + 1, cuts[-1] + 1), len(roots) - (count - k)))
    of_branch = np.zeros(len(roots), np.int64)
    for k, cut in enumerate(cuts[1:], start=1):
        of_branch[cut:] = k
    department = np.full(teams, count, np.int64)
    department[below] = of_branch[branch_of[below]]
    for t in range(teams - 1, 0, -1):  # split teams: the first department below them
        if not below[up[t]]:
            department[up[t]] = min(department[up[t]], department[t])
    return department


def _cross_partners(rng: np.random.Generator, people_idx: IntArray, team: IntArray,
                    department: IntArray, homophily: float) -> IntArray:
    """A partner for each cross-team draw: with probability ``homophily`` someone of the
    same department in another team, else someone of another department (uniformly);
    when one of the two has nobody to offer, the other. -1 when neither has anyone."""
    n = len(team)
    # people sorted by department, then team: a department, and a team inside it, are
    # contiguous runs, so "in my department but not my team" is one range minus another
    order = np.lexsort((team, department))
    n_dept = int(department.max()) + 1
    n_team = int(team.max()) + 1
    dept_size = np.bincount(department, minlength=n_dept)
    dept_start = np.concatenate(([0], np.cumsum(dept_size)[:-1]))
    team_size = np.bincount(team, minlength=n_team)
    team_start = np.empty(n_team, np.int64)
    sorted_team = team[order]
    firsts = np.flatnonzero(np.r_[True, sorted_team[1:] != sorted_team[:-1]])
    team_start[sorted_team[firsts]] = firsts
    d, t = department[people_idx], team[people_idx]
    inside = dept_size[d] - team_size[t]  # others of my department, outside my team
    outside = n - dept_size[d]  # people of other departments
    want_inside = rng.random(len(people_idx)) < homophily
    use_inside = (want_inside & (inside > 0)) | (outside == 0)
    u = rng.random(len(people_idx))
    pick = np.where(use_inside, (u * inside).astype(np.int64),
                    (u * outside).astype(np.int64))
    at = np.where(use_inside, dept_start[d] + pick, pick)
    skip_from = np.where(use_inside, team_start[t], dept_start[d])
    skip = np.where(use_inside, team_size[t], dept_size[d])
    at = at + np.where(at >= skip_from, skip, 0)
    partner = np.where(np.where(use_inside, inside, outside) > 0,
                       order[np.minimum(at, n - 1)], -1)
    result: IntArray = partner.astype(np.int64)
    return result


def write_org(org: Org, path: str) -> None:
    """Save as a compact ``.npz`` organisation that ``load_scenario`` reads; the options it
    was grown with go in ``meta.generator``."""
    from ..scenario.compact import save_compact

    save_compact(path, org.meta(), org.people(), org.arrays())


def read_options(path: str | os.PathLike[str]) -> OrgOptions:
    """The options a compact file was generated with (``ValueError`` if it records none:
    a file not made by :func:`write_org`)."""
    from ..scenario.compact import read_meta

    record = read_meta(os.fspath(path)).get("generator") or {}
    if not isinstance(record, Mapping) or not record:
        raise ValueError(f"{os.fspath(path)}: not a generated organisation (no generator "
                         "options recorded)")
    return OrgOptions.from_record(record)


def regenerate(source: str | os.PathLike[str] | Org | OrgOptions, seed: int) -> Org:
    """The organisation ``source`` was generated as, grown again with another seed.

    ``source`` is a compact file, an :class:`Org` or its options. Everything but the seed
    is kept (size, spans, densities, layout, departments, turns, capacity); the seed is
    also the new organisation's scenario seed. The same seed gives back the same
    organisation (for files written since the options were recorded in full).

    >>> org = generate_org(people=60, seed=1)
    >>> other = regenerate(org, 2)
    >>> other.n, other.options.seed, np.array_equal(other.tie_trust, org.tie_trust)
    (60, 2, False)
    >>> np.array_equal(regenerate(other, 1).tie_trust, org.tie_trust)
    True
    """
    if isinstance(source, Org):
        options = source.options
    elif isinstance(source, OrgOptions):
        options = source
    else:
        options = read_options(source)
    return generate_org(replace(options, seed=seed))
