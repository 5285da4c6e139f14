"""Network measures on request (``--measures``): each one against networkx (or igraph) run
directly on a small hand-made graph, in a run's table, and through the command line."""

from __future__ import annotations

import csv
import math
import sys
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from simulator.cli import app
from simulator.core.metrics import communities, normalized_mutual_information
from simulator.core.simulation import Simulation
from simulator.experiments import measures as m
from simulator.experiments.generate import generate_org, write_org
from simulator.experiments.lab import RunSpec, run_rows

ROOT = Path(__file__).resolve().parents[2]
FLOORS = str(ROOT / "scenarios" / "two-floors.yaml")
runner = CliRunner()

TEAM = {"a1": "A", "a2": "A", "a3": "A", "b1": "B", "b2": "B", "b3": "B", "c1": "C"}


def office() -> nx.DiGraph:
    """Two teams of three, close inside, one bridge a1-b1 and a newcomer c1 hanging off b2;
    one opinion (strength 0) and one unreturned tie."""
    G = nx.DiGraph()
    G.add_nodes_from(TEAM)
    ties = [("a1", "a2", 0.8, 0.7), ("a2", "a1", 0.7, 0.7), ("a1", "a3", 0.6, 0.5),
            ("a3", "a1", 0.6, 0.5), ("a2", "a3", 0.9, 0.6), ("a3", "a2", 0.5, 0.6),
            ("b1", "b2", 0.7, 0.8), ("b2", "b1", 0.6, 0.8), ("b2", "b3", 0.4, 0.9),
            ("b3", "b2", 0.8, 0.9), ("b1", "b3", 0.5, 0.4),
            ("a1", "b1", 0.45, 0.2), ("b1", "a1", 0.5, 0.2),
            ("b2", "c1", 0.6, 0.3), ("c1", "b2", 0.3, 0.3),
            ("c1", "a3", 0.9, 0.0)]  # an opinion: not a tie
    for u, v, trust, strength in ties:
        G.add_edge(u, v, trust=trust, strength=strength)
    return G


def weighted() -> nx.DiGraph:
    """The tie graph of the office, built here without the module: networkx's input."""
    H = nx.DiGraph()
    H.add_nodes_from(TEAM)
    for u, v, d in office().edges(data=True):
        if d["strength"] > 0:
            H.add_edge(u, v, weight=d["trust"] * d["strength"], strength=d["strength"])
    return H


def team_mean(values: dict[str, float]) -> dict[str, float]:
    out = {}
    for team in sorted(set(TEAM.values())):
        vals = [values[p] for p in TEAM if TEAM[p] == team and not math.isnan(values[p])]
        out[team] = sum(vals) / len(vals) if vals else math.nan
    return out


def test_the_tie_graph_keeps_ties_weighted_by_trust_times_strength() -> None:
    H = m.tie_graph(office())
    assert sorted(H) == sorted(TEAM)
    assert not H.has_edge("c1", "a3")  # strength 0: an opinion, not a tie
    assert H.number_of_edges() == office().number_of_edges() - 1
    assert H["a1"]["b1"]["weight"] == pytest.approx(0.45 * 0.2)
    expected = weighted()
    assert {(u, v): d["weight"] for u, v, d in H.edges(data=True)} == \
        {(u, v): d["weight"] for u, v, d in expected.edges(data=True)}


def test_constraint_and_effective_size_are_networkx_s_averaged_by_team() -> None:
    H = weighted()
    assert m.constraint_by_team(H, TEAM) == pytest.approx(
        team_mean(nx.constraint(H, weight="weight")))
    assert m.effective_size_by_team(H, TEAM) == pytest.approx(
        team_mean(nx.effective_size(H, weight="weight")))
    # the broker a1 is less constrained than their teammates
    c = nx.constraint(H, weight="weight")
    assert c["a1"] < c["a2"]
    # a team whose members have no ties: NaN, not an error
    H.add_node("z1")
    assert math.isnan(m.constraint_by_team(H, {**TEAM, "z1": "Z"})["Z"])


@pytest.mark.parametrize("backend", ["igraph", "networkx"])
def test_cross_team_betweenness_is_the_cross_ties_share_of_networkx_s(
        backend: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if backend == "igraph":
        pytest.importorskip("igraph", reason="the lab extra (python-igraph) is not installed")
    else:
        monkeypatch.setitem(sys.modules, "igraph", None)  # as if not installed
    H = weighted()
    for weight, length in (("weight", lambda u, v, d: 1 / d["weight"]), (None, None)):
        found = nx.edge_betweenness_centrality(H, weight=length)
        cross = sum(b for (u, v), b in found.items() if TEAM[u] != TEAM[v])
        expected = cross / sum(found.values())
        assert m.cross_team_betweenness(H, TEAM, weight=weight) == pytest.approx(
            expected, abs=1e-12)
    assert 0 < m.cross_team_betweenness(H, TEAM) < 1
    no_ties = nx.empty_graph(3, nx.DiGraph)
    assert math.isnan(m.cross_team_betweenness(no_ties, {0: 0, 1: 0, 2: 1}))


def test_reciprocity_is_networkx_s() -> None:
    H = weighted()
    assert m.reciprocity(H) == nx.overall_reciprocity(H)
    assert m.reciprocity(H) < 1.0  # b1 -> b3 is not returned
    assert math.isnan(m.reciprocity(nx.empty_graph(2, nx.DiGraph)))


def test_tie_persistence_counts_turn_0_ties_still_above_the_threshold() -> None:
    first = weighted()
    now = first.copy()
    now["a1"]["b1"]["strength"] = 0.05  # withered below 0.1
    now.remove_edge("b1", "a1")  # gone
    now.add_edge("a2", "b2", strength=0.9, weight=0.5)  # new: does not count
    strong = [(u, v) for u, v, s in first.edges(data="strength") if s >= 0.1]
    assert m.tie_persistence(first, first) == 1.0
    assert m.tie_persistence(first, now) == pytest.approx((len(strong) - 2) / len(strong))
    assert m.tie_persistence(first, now, threshold=0.6) == pytest.approx(
        sum(1 for u, v, s in first.edges(data="strength") if s >= 0.6 and
            now[u][v]["strength"] >= 0.6) / sum(1 for *_, s in first.edges(data="strength")
                                                if s >= 0.6))


def test_nmi_compares_networkx_communities_with_the_teams_through_igraph() -> None:
    ig = pytest.importorskip("igraph", reason="the lab extra (python-igraph) is not installed")
    H = weighted()
    found = communities(H, seed=3, weight="weight")
    label = {p: i for i, c in enumerate(found) for p in c}
    nodes = list(H)
    teams = sorted(set(TEAM.values()))
    expected = ig.compare_communities([label[p] for p in nodes],
                                      [teams.index(TEAM[p]) for p in nodes], method="nmi")
    value = m.community_team_nmi(H, TEAM, seed=3)
    assert value == pytest.approx(expected)
    # the same number as the hand-kept one in simulator.core.metrics
    assert value == pytest.approx(normalized_mutual_information(
        [label[p] for p in nodes], [teams.index(TEAM[p]) for p in nodes]), abs=1e-9)


def test_nmi_without_igraph_is_refused_up_front(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "igraph", None)
    with pytest.raises(ValueError, match="python-igraph"):
        m.parse_measures("nmi")
    assert m.parse_measures("reciprocity") == ("reciprocity",)


def test_measure_names() -> None:
    assert m.parse_measures("all") == tuple(m.MEASURES)
    assert m.parse_measures(["persistence", "constraint"]) == ("constraint", "persistence")
    assert m.parse_measures("") == ()
    with pytest.raises(ValueError, match="unknown measure: betweeness"):
        m.parse_measures("constraint,betweeness")
    for measure in m.MEASURES.values():
        assert measure.summary and measure.name in m.MEASURES


def test_the_game_s_tie_graph_is_the_world_graph_s() -> None:
    game = Simulation(generate_org(people=60, seed=2).setup(), 1, undo=False)
    fast = m.game_tie_graph(game)
    slow = m.tie_graph(game.world.graph())
    assert sorted(fast) == sorted(slow)
    assert {(u, v): d["weight"] for u, v, d in fast.edges(data=True)} == \
        {(u, v): d["weight"] for u, v, d in slow.edges(data=True)}


def test_a_run_adds_the_measures_it_was_asked_for(tmp_path: Path) -> None:
    pytest.importorskip("igraph", reason="the lab extra (python-igraph) is not installed")
    path = tmp_path / "org.npz"
    write_org(generate_org(people=80, seed=3, turns=4), str(path))
    plain = run_rows(RunSpec(str(path), "do_nothing", 1))
    assert not set(m.MEASURES) & set(plain.columns)
    rows = run_rows(RunSpec(str(path), "do_nothing", 1, measures=tuple(m.MEASURES)))
    assert set(m.MEASURES) <= set(rows.columns)
    assert rows.columns["ei"].tolist() == plain.columns["ei"].tolist()  # nothing else moves
    first = [r for r in rows if r["turn"] == 0]
    assert all(r["persistence"] == 1.0 for r in first)
    # the last turn's values are the functions' on that turn's graph
    game = Simulation(generate_org(people=80, seed=3, turns=4).setup(), 1, undo=False,
                      explain_drift=False)
    from simulator.experiments.strategies import play_strategy

    play_strategy(game, "do_nothing", seed=1)
    G = m.game_tie_graph(game)
    team_of = {p: game.world.team_ids[t] for p, t in zip(game.world.ids,
                                                           game.world.team.tolist(),
                                                           strict=True)}
    last = {r["team"]: r for r in rows if r["turn"] == rows[-1]["turn"]}
    expected = m.constraint_by_team(G, team_of)
    for team, row in last.items():
        assert row["constraint"] == pytest.approx(expected[team], nan_ok=True)
        assert row["reciprocity"] == pytest.approx(nx.overall_reciprocity(G))
    assert 0.0 < next(iter(last.values()))["persistence"] < 1.0


def test_the_command_line_takes_measures_and_refuses_unknown_ones(tmp_path: Path) -> None:
    out = tmp_path / "run.csv"
    result = runner.invoke(app, ["run", FLOORS, "--strategy", "build_bridges", "--turns", "3",
                                 "--measures", "reciprocity,persistence", "--out", str(out)])
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    assert header[-2:] == ["reciprocity", "persistence"]
    bad = runner.invoke(app, ["run", FLOORS, "--strategy", "do_nothing", "--measures",
                              "constrain", "--out", str(out)])
    assert bad.exit_code == 2
    assert "unknown measure: constrain" in bad.output and "Traceback" not in bad.output
    swept = tmp_path / "sweep.csv"
    result = runner.invoke(app, ["sweep", FLOORS, "--reps", "1", "--turns", "2", "--jobs", "1",
                                 "--measures", "constraint", "--out", str(swept)])
    assert result.exit_code == 0, result.output
    with swept.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and all(float(r["constraint"]) > 0 for r in rows)
    bad = runner.invoke(app, ["sweep", FLOORS, "--measures", "nope", "--out", str(swept)])
    assert bad.exit_code == 2 and "unknown measure" in bad.output


def test_docs_show_the_registry() -> None:
    text = (ROOT / "docs" / "lab.md").read_text(encoding="utf-8")
    assert "\n".join(m.measure_table()) in text, (
        "docs/lab.md's table of measures differs from simulator/experiments/measures.py: "
        "paste `measure_table()` into the section `Network measures on request`")
