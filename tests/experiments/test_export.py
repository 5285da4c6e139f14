"""Exports agree with the tables: weight = trust x strength, the same E-I in networkx,
every turn as one dynamic GEXF, the run recorded everywhere, a sweep row replayed."""

from __future__ import annotations

import csv
import dataclasses
import json
import math
import os
import shlex
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from typer.testing import CliRunner

from simulator import __version__
from simulator.cli import app
from simulator.core.params import MODEL_VERSION
from simulator.experiments.export import (
    _intervals,
    export_dynamic,
    export_graph,
    game_at_turn,
    gexf_metadata,
    organisation_graph,
)
from simulator.experiments.lab import RunSpec, plan_sweep, replay_spec, run_rows

ROOT = Path(__file__).resolve().parents[2]
FLOORS = str(ROOT / "scenarios" / "two-floors.yaml")
LAB_MD = ROOT / "docs" / "lab.md"
runner = CliRunner()

#: a run that moves: bridges built, a parameter off its default, fewer turns than the
#: scenario's (so the run's own length is part of what the export must reproduce)
RUN = ["--strategy", "build_bridges", "--seed", "11", "--param", "kappa=3", "--turns", "6"]


def invoke(*args: str) -> Any:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result


def table(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def read_graph(path: Path) -> nx.DiGraph:
    if path.suffix == ".graphml":
        return nx.read_graphml(path)
    if path.suffix == ".gexf":
        return nx.read_gexf(path)
    return nx.node_link_graph(json.loads(path.read_text(encoding="utf-8")), edges="links")


def ei_by_team(G: nx.DiGraph, team: dict[str, str]) -> dict[str, float]:
    """E-I per team as docs/lab.md defines it: over the members' outgoing ties, E sums the
    ``weight`` of ties to other teams, I to the same team; (E - I) / (E + I)."""
    E = dict.fromkeys(team.values(), 0.0)
    I = dict(E)  # noqa: E741 (the index's own letters)
    for u, v, w in G.edges(data="weight"):
        (I if team[u] == team[v] else E)[team[u]] += w
    return {t: (E[t] - I[t]) / (E[t] + I[t]) for t in E if E[t] + I[t] > 0}


def table_at(rows: list[dict[str, str]], turn: int, column: str) -> dict[str, float]:
    return {r["team"]: float(r[column]) for r in rows if int(r["turn"]) == turn
            and r[column] != ""}


def assert_same(found: dict[str, float], expected: dict[str, float]) -> None:
    assert set(found) == set(expected)
    for team, value in expected.items():
        assert found[team] == pytest.approx(value, abs=1e-9), team


# -- the weight and the opinions --------------------------------------------------------------


def test_weight_is_trust_times_strength_and_opinions_weigh_nothing() -> None:
    game = game_at_turn(replay_spec(FLOORS, "build_bridges", 11), 4)
    G = organisation_graph(game)
    weights = [(d["weight"], d["trust"], d["strength"]) for _, _, d in G.edges(data=True)]
    assert weights and all(w == t * s for w, t, s in weights)
    opinions = [(u, v) for u, v, s in G.edges(data="strength") if s == 0]
    assert all(G.edges[e]["weight"] == 0 for e in opinions)
    ties = organisation_graph(game, ties_only=True)
    assert ties.number_of_edges() == G.number_of_edges() - len(opinions)
    assert all(s > 0 for _, _, s in ties.edges(data="strength"))
    # the node attributes
    w = game.world
    assert G.nodes["daniel"]["team"] == "eng" and G.nodes["daniel"]["manager"] is True
    assert G.nodes["daniel"]["reports_to"] == "grace" and G.nodes["grace"]["reports_to"] == ""
    assert G.nodes[w.ids[game.player]]["player"] is True
    assert sum(d["player"] for _, d in G.nodes(data=True)) == 1
    assert {d["role"] for _, d in G.nodes(data=True)} <= {"executive", "manager", "employee"}


def test_ties_only_leaves_the_opinions_out_of_a_generated_organisation(
        tmp_path: Path) -> None:
    from simulator.experiments.generate import generate_org, write_org

    org = tmp_path / "org.npz"
    write_org(generate_org(people=120, seed=2, turns=4), str(org))
    everything, ties = tmp_path / "all.graphml", tmp_path / "ties.graphml"
    for out, extra in ((everything, []), (ties, ["--ties-only"])):
        invoke("export", str(org), "--strategy", "build_bridges", "--turn", "4",
               "-o", str(out), *extra)
    G, H = read_graph(everything), read_graph(ties)
    opinions = [(u, v) for u, v, s in G.edges(data="strength") if s == 0]
    assert opinions, "the run made no opinions: the test proves nothing"
    assert H.number_of_edges() == G.number_of_edges() - len(opinions)
    assert H.graph["ties_only"] is True and G.graph["ties_only"] is False
    # leaving out what weighs nothing changes no measure
    team = nx.get_node_attributes(G, "team")
    assert ei_by_team(G, team) == pytest.approx(ei_by_team(H, team), abs=1e-12)


# -- the same E-I as the table, in networkx ---------------------------------------------------


@pytest.mark.parametrize("suffix", [".graphml", ".gexf", ".json"])
@pytest.mark.parametrize("turn", [0, 6])
def test_exports_reproduce_the_tables_ei_and_modularity(tmp_path: Path, suffix: str,
                                                        turn: int) -> None:
    rows_file = tmp_path / "run.csv"
    invoke("run", FLOORS, *RUN, "--out", str(rows_file))
    out = tmp_path / f"org{suffix}"
    invoke("export", FLOORS, *RUN, "--turn", str(turn), "-o", str(out))
    rows = table(rows_file)
    G = read_graph(out)
    team = nx.get_node_attributes(G, "team")
    assert_same(ei_by_team(G, team), table_at(rows, turn, "ei"))
    teams = [{p for p in G if team[p] == t} for t in set(team.values())]
    modularity = nx.community.modularity(G, teams, weight="weight")
    assert modularity == pytest.approx(float(table_at(rows, turn, "modularity")["eng"]),
                                       abs=1e-9)
    # ... and through the project's own metric with the exported weight
    from simulator.core.metrics import ei_index

    assert_same(ei_index(G, team, weight="weight"), table_at(rows, turn, "ei"))


def test_the_docs_snippet_computes_the_tables_ei(tmp_path: Path) -> None:
    text = LAB_MD.read_text(encoding="utf-8")
    section = text[text.index("**The table's E-I, in networkx.**"):]
    code = section[section.index("```python\n") + 10:section.index("```\n", 10)]
    rows_file, out = tmp_path / "run.csv", tmp_path / "floors.graphml"
    invoke("run", "two-floors", "--strategy", "build_bridges", "--out", str(rows_file))
    invoke("export", "two-floors", "--turn", "8", "--strategy", "build_bridges",
           "-o", str(out))
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        scope: dict[str, Any] = {}
        exec(compile(code, str(LAB_MD), "exec"), scope)
    finally:
        os.chdir(cwd)
    rows = table(rows_file)
    assert_same(scope["ei"], table_at(rows, 8, "ei"))
    assert scope["modularity"] == pytest.approx(
        next(iter(table_at(rows, 8, "modularity").values())), abs=1e-9)


# -- every turn as one dynamic GEXF -----------------------------------------------------------


def at_turn(values: list[tuple[Any, int, int]], turn: int) -> Any:
    found = [v for v, start, end in values if start <= turn <= end]
    assert len(found) <= 1, values
    return found[0] if found else None


def test_a_dynamic_gexf_holds_every_turn_with_the_tables_ei(tmp_path: Path) -> None:
    rows_file, out = tmp_path / "run.csv", tmp_path / "run.gexf"
    invoke("run", FLOORS, *RUN, "--out", str(rows_file))
    done = invoke("export", FLOORS, *RUN, "--dynamic", "-o", str(out))
    assert "every turn" in done.output
    rows = table(rows_file)
    D = nx.read_gexf(out)
    assert D.graph["mode"] == "dynamic"
    for turn in range(7):
        H = nx.DiGraph()
        for person, data in D.nodes(data=True):
            assert data["start"] == 0 and data["end"] == 6
            H.add_node(person, team=at_turn(data["team"], turn))
        for u, v, data in D.edges(data=True):
            weight = at_turn(data["weight"], turn)
            trust, strength = at_turn(data["trust"], turn), at_turn(data["strength"], turn)
            if weight is None:
                continue
            assert weight == trust * strength
            assert any(a <= turn <= b for a, b in data["spells"])
            H.add_edge(u, v, weight=weight)
        team = nx.get_node_attributes(H, "team")
        assert_same(ei_by_team(H, team), table_at(rows, turn, "ei"))


def test_the_dynamic_gexf_is_what_gephi_reads(tmp_path: Path) -> None:
    out = tmp_path / "run.gexf"
    spec = replay_spec(FLOORS, "build_bridges", 11, ["kappa=3"], 6)
    export_dynamic(spec, out, ties_only=True)
    root = ET.parse(out).getroot()
    ns = {"g": "http://www.gexf.net/1.2draft"}
    assert root.get("version") == "1.2"
    graph = root.find("g:graph", ns)
    assert graph is not None
    assert graph.get("mode") == "dynamic" and graph.get("timeformat") == "integer"
    dynamic_edge = graph.find("g:attributes[@class='edge'][@mode='dynamic']", ns)
    assert dynamic_edge is not None
    titles = {a.get("title"): a.get("type") for a in dynamic_edge.findall("g:attribute", ns)}
    dynamic_ids = {a.get("id") for a in dynamic_edge.findall("g:attribute", ns)}
    # Gephi takes a dynamic edge attribute titled `weight` as the edge's weight over time
    assert titles == {"weight": "double", "trust": "double", "strength": "double"}
    edges = graph.findall("g:edges/g:edge", ns)
    assert edges and all(e.get("weight") is None for e in edges)  # no static weight
    for edge in edges:
        spells = [(int(s.get("start", "")), int(s.get("end", "")))
                  for s in edge.findall("g:spells/g:spell", ns)]
        assert spells and all(0 <= a <= b <= 6 for a, b in spells)
        for value in edge.findall("g:attvalues/g:attvalue", ns):
            if value.get("for") not in dynamic_ids:
                continue  # kind: static
            start, end = int(value.get("start", "")), int(value.get("end", ""))
            assert any(a <= start <= end <= b for a, b in spells)
    # with --ties-only an edge exists only in the turns its strength was above 0
    D = nx.read_gexf(out)
    for _, _, data in D.edges(data=True):
        assert all(s > 0 for s, _, _ in data["strength"])


def test_intervals_merge_equal_values_of_consecutive_turns() -> None:
    assert _intervals([0, 1, 2, 3], [1.0, 1.0, 0.5, 0.5]) == [(1.0, 0, 1), (0.5, 2, 3)]
    assert _intervals([0, 2], ["a", "a"]) == [("a", 0, 0), ("a", 2, 2)]


# -- the run recorded in every export and table -----------------------------------------------


def test_every_export_and_table_records_the_run(tmp_path: Path) -> None:
    rows_file = tmp_path / "run.csv"
    invoke("run", FLOORS, *RUN, "--out", str(rows_file))
    rows = table(rows_file)
    key = rows[0]["run"]
    assert {r["run"] for r in rows} == {key}
    assert rows[0]["model"] == str(MODEL_VERSION) and rows[0]["model_version"] == __version__
    assert rows[0]["seed"] == "11" and rows[0]["strategy"] == "build_bridges"
    assert rows[0]["param_asymmetry"] == "3.0"
    found: dict[str, dict[str, Any]] = {}
    for suffix in (".graphml", ".json", ".gexf"):
        out = tmp_path / f"org{suffix}"
        invoke("export", FLOORS, *RUN, "--turn", "2", "-o", str(out))
        found[suffix] = gexf_metadata(out) if suffix == ".gexf" else read_graph(out).graph
    dynamic = tmp_path / "all.gexf"
    invoke("export", FLOORS, *RUN, "--dynamic", "-o", str(dynamic))
    found["dynamic"] = gexf_metadata(dynamic)
    for where, meta in found.items():
        assert meta["run"] == key, where
        assert meta["scenario"] == "two-floors" and meta["strategy"] == "build_bridges"
        assert meta["seed"] == 11 and meta["turns"] == 6 and meta["last_turn"] == 6
        assert meta["model"] == MODEL_VERSION and meta["model_version"] == __version__
        assert meta["weight"] == "trust * strength" and meta["policy"] == rows[0]["policy"]
        params = meta["params"]
        assert (json.loads(params) if isinstance(params, str) else params) == {
            "asymmetry": 3.0}
        # every field of the RunSpec, whatever fields it gains
        spec = replay_spec(FLOORS, "build_bridges", 11, ["kappa=3"], 6)
        for field in RunSpec.__dataclass_fields__:
            # GraphML has no None: a field left unset (org_seed) is left out
            assert field in meta or (where == ".graphml" and getattr(spec, field) is None), \
                (where, field)
    assert found[".graphml"]["param_asymmetry"] == 3.0
    assert found[".graphml"]["turn"] == found[".json"]["turn"] == found[".gexf"]["turn"] == 2
    assert found["dynamic"]["turns_exported"] == [0, 6]
    head = ET.parse(dynamic).getroot().find("{http://www.gexf.net/1.2draft}meta")
    assert head is not None and f"trustsim {__version__}" in ET.tostring(head, "unicode")


# -- a sweep row replays with one command -----------------------------------------------------


def test_run_and_sweep_give_one_run_the_same_id(monkeypatch: pytest.MonkeyPatch) -> None:
    swept = plan_sweep(FLOORS, {"asymmetry": [1.0, 3.0]}, ["build_bridges"], 2, seed=4)
    for spec in swept:
        value = dict(spec.params)["asymmetry"]
        replay = replay_spec(FLOORS, spec.strategy, spec.seed, [f"kappa={value:g}"])
        # the same RunSpec but for `rep`, the replicate's number in its sweep
        assert dataclasses.replace(replay, rep=spec.rep) == spec and replay.key == spec.key
    with_turns = plan_sweep(FLOORS, {}, ["do_nothing"], 1, seed=4, turns=5)[0]
    assert replay_spec(FLOORS, "do_nothing", with_turns.seed, [], 5).key == with_turns.key
    assert replay_spec(FLOORS, "do_nothing", with_turns.seed).key != with_turns.key
    # however the scenario's path is spelled
    monkeypatch.chdir(ROOT)
    keys = {RunSpec(path, "do_nothing", 1).key for path in (
        FLOORS, "scenarios/two-floors.yaml", "./scenarios/two-floors.yaml",
        "scenarios/../scenarios/two-floors.yaml")}
    assert len(keys) == 1


def test_the_docs_replay_commands_give_the_sweeps_rows(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch
                                                       ) -> None:
    text = LAB_MD.read_text(encoding="utf-8")
    section = text[text.index("### Replaying a sweep row"):]
    block = section[section.index("```sh\n") + 6:section.index("```\n", 10)]
    commands = [shlex.split(line)[1:] for line in block.splitlines()
                if line.startswith("trustsim ")]
    assert [c[0] for c in commands] == ["sweep", "run", "export"]
    monkeypatch.chdir(tmp_path)
    for command in commands:
        invoke(*command)
    sweep_lines = (tmp_path / "s.csv").read_text(encoding="utf-8").splitlines()
    one_lines = (tmp_path / "one.csv").read_text(encoding="utf-8").splitlines()
    assert one_lines[0] == sweep_lines[0]  # the same columns
    key = one_lines[1].split(",")[0]
    mine = [line for line in sweep_lines[1:] if line.split(",")[0] == key]
    assert mine and mine == one_lines[1:]
    assert gexf_metadata(tmp_path / "one.gexf")["run"] == key


def test_a_replayed_row_is_the_sweeps_run_by_the_api() -> None:
    spec = plan_sweep(FLOORS, {"cross_team_damping": [0.2, 0.6]}, ["quick_wins"], 2,
                      seed=3, turns=4)[3]
    replay = replay_spec(FLOORS, "quick_wins", spec.seed, ["damping=0.6"], 4)
    assert replay.key == spec.key
    assert run_rows(replay) == run_rows(spec)


# -- bad inputs -------------------------------------------------------------------------------


@pytest.mark.parametrize("args, message", [
    (["--param", "nope=1"], "not a model parameter"),
    (["--param", "kappa=a"], "must be numbers"),
    (["--param", "kappa"], "NAME="),
    (["--param", "kappa=99"], "outside"),
    (["--param", "kappa=1,2"], "one value"),
    (["--param", "kappa=1", "--param", "asymmetry=2"], "twice"),
    (["--strategy", "dance"], "unknown strateg"),
])
@pytest.mark.parametrize("command", ["run", "export"])
def test_bad_run_options_are_usage_errors(tmp_path: Path, command: str, args: list[str],
                                          message: str) -> None:
    out = ["--out", str(tmp_path / "t.csv")] if command == "run" else \
        ["-o", str(tmp_path / "g.graphml")]
    result = runner.invoke(app, [command, FLOORS, *args, *out])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("args, message", [
    (["-o", "x.txt"], "expected one of .graphml, .gexf, .json"),
    (["-o", "x"], "expected one of"),
    (["-o", "x.graphml", "--dynamic"], "dynamic GEXF"),
    (["-o", "x.json", "--dynamic"], "dynamic GEXF"),
    (["-o", "x.gexf", "--dynamic", "--turn", "3"], "leave out --turn"),
    (["-o", "x.gexf", "--turn", "11"], "not in the run (turns 0 to 10)"),
    (["-o", "x.gexf", "--turn", "5", "--turns", "4"], "turns 0 to 4"),
    (["-o", "x.gexf", "--turn", "-1"], "--turn"),
    (["-o", "x.gexf", "--seed", "-2"], "--seed"),
])
def test_bad_export_options_are_usage_errors(tmp_path: Path, args: list[str],
                                             message: str) -> None:
    args = [str(tmp_path / a) if a.startswith("x.") or a == "x" else a for a in args]
    result = runner.invoke(app, ["export", FLOORS, *args])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert not list(tmp_path.iterdir())


def test_a_bad_scenario_is_an_invalid_input(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\ntitle: [\n", encoding="utf-8")
    result = runner.invoke(app, ["export", str(bad), "-o", str(tmp_path / "g.gexf")])
    assert result.exit_code == 1, result.output
    result = runner.invoke(app, ["export", "no-such-scenario", "-o",
                                 str(tmp_path / "g.gexf")])
    assert result.exit_code == 1, result.output


def test_run_param_does_not_go_with_an_acts_file(tmp_path: Path) -> None:
    acts = tmp_path / "a.acts"
    acts.write_text("end_turn\n", encoding="utf-8")
    result = runner.invoke(app, ["run", FLOORS, "--acts", str(acts), "--param", "kappa=2"])
    assert result.exit_code == 2 and "do not go together" in result.output


def test_run_param_changes_the_run() -> None:
    plain = run_rows(replay_spec(FLOORS, "build_bridges", 11, [], 4))
    skewed = run_rows(replay_spec(FLOORS, "build_bridges", 11, ["kappa=5"], 4))
    assert [r["ei"] for r in plain] != [r["ei"] for r in skewed]
    assert all(r["param_asymmetry"] == 5.0 for r in skewed)
    assert not any(math.isnan(r["ei"]) for r in skewed)


def test_game_at_turn_takes_a_path_as_before() -> None:
    game = game_at_turn(FLOORS, 3, "quick_wins")
    assert game.turn - 1 == 3
    spec = replay_spec(FLOORS, "quick_wins")
    assert game.world.fingerprint() == game_at_turn(spec, 3).world.fingerprint()


def test_every_field_of_the_run_goes_into_graphml_whatever_its_type(tmp_path: Path) -> None:
    if "measures" not in RunSpec.__dataclass_fields__:
        pytest.skip("RunSpec has no tuple-of-names field to try")
    spec = dataclasses.replace(replay_spec(FLOORS, "do_nothing", 3, [], 2),
                               measures=("reciprocity",))
    out = tmp_path / "org.graphml"
    export_graph(spec, out, turn=1)
    meta = read_graph(out).graph
    assert json.loads(meta["measures"]) == ["reciprocity"] and meta["run"] == spec.key
