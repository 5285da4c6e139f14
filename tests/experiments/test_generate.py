"""Generated organisations: the management tree, teams by layout, departments, ties, and the
options recorded in the file for growing the organisation again."""

from __future__ import annotations

import json
from dataclasses import asdict, replace
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from simulator.cli import app
from simulator.core.simulation import Simulation
from simulator.experiments.generate import (
    Org,
    OrgOptions,
    generate_org,
    read_options,
    regenerate,
    write_org,
)
from simulator.scenario.compact import save_compact

runner = CliRunner()


def _reporting(org: Org) -> tuple[np.ndarray, np.ndarray]:
    """Each person with a manager, and that manager."""
    people = np.flatnonzero(org.manager >= 0)
    return people, org.manager[people]


def _same(a: Org, b: Org) -> bool:
    return all(np.array_equal(x, y) for x, y in zip(
        (a.team, a.manager, a.department, a.tie_src, a.tie_dst, a.tie_trust, a.competence),
        (b.team, b.manager, b.department, b.tie_src, b.tie_dst, b.tie_trust, b.competence),
        strict=True))


def test_generate_structure_matches_its_options() -> None:
    org = generate_org(people=2000, seed=3, span_min=4, span_max=7, cross_ties=3,
                       homophily=0.5)
    reports = np.bincount(org.manager[org.manager >= 0], minlength=org.n)
    managers = np.flatnonzero(reports)
    # every manager but the last one filled has a span within the bounds
    spans = reports[managers][:-1]
    assert spans.min() >= 4 and spans.max() <= 7
    # cross-team ties: about 2 x cross_ties per person (mutual)
    src, dst = org.tie_src, org.tie_dst
    cross = org.team[src] != org.team[dst]
    is_reporting = (org.manager[src] == dst) | (org.manager[dst] == src)
    per_person = (cross & ~is_reporting).sum() / org.n
    assert 5.0 <= per_person <= 6.0
    # density inside teams close to the option (the lead's lines to their team are
    # reporting lines, not peer ties)
    within = (~cross) & ~is_reporting
    sizes = np.bincount(org.team)
    possible = float((sizes * (sizes - 1)).sum()) - float((~cross & is_reporting).sum())
    assert 0.85 <= within.sum() / possible <= 0.95


def test_a_manager_sits_in_the_team_they_lead() -> None:
    org = generate_org(people=3000, seed=1)
    people, bosses = _reporting(org)
    has_reports = np.bincount(bosses, minlength=org.n) > 0
    employee = ~has_reports[people]
    # every employee sits with their manager: those reporting lines are inside a team
    assert (org.team[people[employee]] == org.team[bosses[employee]]).all()
    # a manager with employees leads the team they sit in
    first_line = np.unique(bosses[employee])
    assert (org.team_lead[org.team[first_line]] == first_line).all()
    # a manager of managers only sits with their peers, in the team their manager leads
    only_managers = np.setdiff1d(np.flatnonzero(has_reports), first_line)
    only_managers = only_managers[only_managers != 0]
    assert len(only_managers) > 0
    assert (org.team_lead[org.team[only_managers]] == org.manager[only_managers]).all()
    # the top executive leads the top team and sits in it
    assert org.team_lead[org.team[0]] == 0
    # the reporting lines that cross a border are the managers' lines up the tree: one per
    # team (its lead's), never an employee's
    crossing = org.team[people] != org.team[bosses]
    assert not (crossing & employee).any()
    assert crossing.sum() < 0.2 * len(people)
    # the player is a first-line manager in the team of their own reports
    player = org.player
    assert org.team[player] == org.team[np.flatnonzero(org.manager == player)][0]


def test_the_above_layout_keeps_the_earlier_teams() -> None:
    org = generate_org(people=600, seed=2, manager_team="above")
    people, bosses = _reporting(org)
    # a team is one manager's direct reports; the manager sits in the team above
    assert (org.team_lead[org.team[people]] == bosses).all()
    assert org.team_lead[org.team[0]] == 0
    # so every reporting line crosses a border, except those to the top executive
    crossing = org.team[people] != org.team[bosses]
    assert (crossing == (bosses != 0)).all()


def _external_reporting_share(org: Org) -> float:
    """The share of external tie weight (trust x strength) carried by reporting lines."""
    w = Simulation(org.setup(), 1, undo=False, explain_drift=False).world
    n = w.n_edges
    cross = w.src_team[:n] != w.dst_team[:n]
    weight = w.trust[:n] * w.strength[:n]
    reporting = w.kind[:n] == 2
    return float(weight[cross & reporting].sum() / weight[cross].sum())


def test_the_measures_no_longer_mostly_measure_the_org_chart() -> None:
    own = generate_org(people=300, seed=1)
    above = generate_org(people=300, seed=1, manager_team="above")
    assert _external_reporting_share(above) > 0.6  # the 71% at turn 0
    assert _external_reporting_share(own) < 0.3


@pytest.mark.parametrize("layout", ["own", "above"])
def test_departments_hold_whole_teams_of_about_equal_headcount(layout: str) -> None:
    org = generate_org(people=3000, seed=4, departments=7, manager_team=layout)
    assert sorted(set(org.department.tolist())) == list(range(7))
    for team in range(len(org.team_lead)):
        assert len(set(org.department[org.team == team].tolist())) == 1
    headcount = np.bincount(org.department)
    assert headcount.max() / headcount.min() < 1.3
    # a department is a stretch of the tree: most reporting lines stay inside one
    people, bosses = _reporting(org)
    assert (org.department[people] == org.department[bosses]).mean() > 0.85


def test_default_departments_are_the_branches_under_the_top_executive() -> None:
    org = generate_org(people=400, seed=6)
    top = np.flatnonzero(org.manager == 0).tolist()
    assert org.department.max() + 1 == len(top)

    def branch(person: int) -> int:  # the top executive's team goes with the first
        while person != 0 and org.manager[person] != 0:
            person = int(org.manager[person])
        return top.index(person) if person else 0

    for person in range(org.n):
        assert org.department[person] == branch(int(org.team_lead[org.team[person]]))


@pytest.mark.parametrize("homophily", [0.0, 0.7, 1.0])
def test_homophily_is_the_share_of_cross_team_ties_inside_the_department(
        homophily: float) -> None:
    org = generate_org(people=3000, seed=5, departments=6, homophily=homophily)
    src, dst = org.tie_src, org.tie_dst
    reporting = (org.manager[src] == dst) | (org.manager[dst] == src)
    cross = (org.team[src] != org.team[dst]) & ~reporting
    inside = (org.department[src] == org.department[dst])[cross].mean()
    assert inside == pytest.approx(homophily, abs=0.02)
    # every draw finds a partner: cross_ties mutual ties per person, less duplicates
    assert cross.sum() / org.n == pytest.approx(4.0, abs=0.1)


def test_more_departments_than_teams_is_refused() -> None:
    with pytest.raises(ValueError, match=r"at most \d+ branches"):
        generate_org(people=60, departments=40)
    with pytest.raises(ValueError, match="manager_team"):
        generate_org(people=60, manager_team="inside")


def test_the_file_records_its_options_and_regenerates(tmp_path: Path) -> None:
    options = OrgOptions(people=250, seed=8, departments=3, homophily=0.6, cross_ties=3)
    org = generate_org(options)
    path = tmp_path / "org.npz"
    write_org(org, str(path))
    assert read_options(path) == options
    assert _same(regenerate(path, 8), org)  # the same seed: the same organisation
    other = regenerate(path, 9)
    assert other.options == replace(options, seed=9)
    assert _same(other, generate_org(replace(options, seed=9)))
    assert not np.array_equal(other.tie_trust[:100], org.tie_trust[:100])
    assert _same(regenerate(org, 9), other) and _same(regenerate(options, 9), other)


def test_files_from_before_the_layout_option_regenerate_with_the_earlier_layout(
        tmp_path: Path) -> None:
    org = generate_org(people=80, seed=1, manager_team="above")
    meta = org.meta()
    old = {k: v for k, v in meta["generator"].items()
           if k not in ("manager_team", "departments")}
    path = tmp_path / "old.npz"
    save_compact(str(path), {**meta, "generator": old}, org.people(), org.arrays())
    assert read_options(path).manager_team == "above"
    assert _same(regenerate(path, 1), org)


def test_files_without_generator_options_cannot_be_regenerated(tmp_path: Path) -> None:
    org = generate_org(people=40, seed=1)
    path = tmp_path / "plain.npz"
    meta = {k: v for k, v in org.meta().items() if k != "generator"}
    save_compact(str(path), meta, org.people(), org.arrays())
    with pytest.raises(ValueError, match="not a generated organisation"):
        regenerate(path, 2)
    with pytest.raises(ValueError, match="unknown generator options: colour"):
        OrgOptions.from_record({**asdict(OrgOptions()), "colour": "red"})
    with pytest.raises(ValueError, match="people must be"):
        OrgOptions.from_record({"people": 1})


def test_generate_command_takes_the_layout_and_departments(tmp_path: Path) -> None:
    out = tmp_path / "org.npz"
    result = runner.invoke(app, ["generate", "--people", "300", "--seed", "2", "--departments",
                                 "4", "--manager-team", "above", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "4 departments" in result.output
    recorded = read_options(out)
    assert (recorded.departments, recorded.manager_team, recorded.seed) == (4, "above", 2)
    with np.load(out) as archive:
        meta = json.loads(archive["meta"].tobytes().decode())
    assert meta["generator"]["manager_team"] == "above"
    bad = runner.invoke(app, ["generate", "--manager-team", "inside", "-o", str(out)])
    assert bad.exit_code == 2 and "--manager-team" in bad.output
    many = runner.invoke(app, ["generate", "--people", "50", "--departments", "30", "-o",
                               str(out)])
    assert many.exit_code == 2 and "teams" in many.output and "Traceback" not in many.output
