"""Many managers acting by policy, explanations in aggregate, and honest replication."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from simulator.cli import app
from simulator.core.acts import ACTS
from simulator.core.errors import ActNotAllowed
from simulator.core.simulation import Simulation
from simulator.core.testing import tiny_setup
from simulator.experiments.causes import CAUSE_COLUMNS, CauseTally
from simulator.experiments.generate import OrgOptions, generate_org, write_org
from simulator.experiments.lab import (
    RunSpec,
    identical_replicates,
    plan_sweep,
    run_rows,
    run_sweep,
)
from simulator.experiments.policies import (
    POLICIES,
    PolicyRunner,
    managers,
    parse_policies,
    policy_label,
)

ROOT = Path(__file__).resolve().parents[2]
TWO_FLOORS = str(ROOT / "scenarios" / "two-floors.yaml")


@pytest.fixture(scope="module")
def org(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("org") / "org120.npz"
    write_org(generate_org(OrgOptions(people=120, seed=5, turns=6)), str(path))
    return str(path)


def _game(path: str, seed: int = 1) -> Simulation:
    from simulator.scenario import load_scenario

    return Simulation(load_scenario(path).setup, seed, undo=False)


# -- the rules: every actor has a capacity of their own ----------------------------------


def test_another_actor_has_their_own_capacity_and_leaves_the_players_alone() -> None:
    game = Simulation(tiny_setup(capacity=2), undo=True)
    boss = next(m for m in managers(game))
    report = game.world.ids[game.world.reports(boss)[0]]
    actor = game.world.ids[boss]
    before = game.capacity_left
    game.act("recognise", report, actor=actor)
    game.act("coach", report, actor=actor)
    assert game.capacity_left == before  # the player's acts are untouched
    with pytest.raises(ActNotAllowed) as refused:
        game.act("recognise", report, actor=actor)
    assert refused.value.code == "no_capacity"
    assert game.world.names[boss] in str(refused.value)
    game.undo()  # undo gives the actor's act back
    game.act("recognise", report, actor=actor)
    game.end_turn()
    assert game.acted == {}
    game.act("recognise", report, actor=actor)  # a new turn, a new capacity


def test_a_game_that_keeps_no_results_cannot_undo() -> None:
    with pytest.raises(ValueError, match="undo"):
        Simulation(tiny_setup(), keep_results=False)
    game = Simulation(tiny_setup(), undo=False, keep_results=False)
    seen = []
    game.observers.append(seen.append)
    game.act("quick_win", "ben")
    assert game.results == [] and len(seen) == 1 and len(game.log) == 1


# -- policies ------------------------------------------------------------------------------


def test_parse_policies_reads_shares_and_refuses_what_is_wrong() -> None:
    assert parse_policies("build_bridges=0.3,keep_promises=0.7") == (
        ("build_bridges", 0.3), ("keep_promises", 0.7))
    assert parse_policies("recognise") == (("recognise", 1.0),)
    for bad, message in (("nobody=0.3", "unknown policy"), ("recognise=x", "number"),
                         ("recognise=1.5", "between 0 and 1"),
                         ("recognise=0.6,feedback=0.6", "add up to 1.2"),
                         ("recognise=0.1,recognise=0.2", "twice"), ("", "expected")):
        with pytest.raises(ValueError, match=message):
            parse_policies(bad)


def test_shares_of_managers_are_drawn_from_the_seed(org: str) -> None:
    game = _game(org)
    everyone = managers(game)
    assert game.player not in everyone and len(everyone) > 10
    shares = (("build_bridges", 0.3), ("keep_promises", 0.5))
    one = PolicyRunner(game, shares, seed=1).assignment
    for name, share in shares:  # each share rounded down or up (largest remainder)
        count = sum(1 for p in one.values() if p == name)
        assert int(share * len(everyone)) <= count <= int(share * len(everyone)) + 1
    assert len(one) == round(0.8 * len(everyone))
    assert PolicyRunner(_game(org), shares, seed=1).assignment == one
    assert PolicyRunner(_game(org), shares, seed=2).assignment != one


@pytest.mark.parametrize("name", sorted(POLICIES))
def test_each_policy_acts_through_the_rules_with_the_acts_it_declares(org: str,
                                                                       name: str) -> None:
    game = _game(org)
    done: list[str] = []
    runner = PolicyRunner(game, ((name, 1.0),), seed=3, on_result=lambda r: done.append(r.act))
    for _ in range(3):
        runner.play_turn()
        game.end_turn()
    assert done, f"{name} did nothing"
    assert set(done) <= set(POLICIES[name].acts) <= set(ACTS)
    # every acting manager stays within their capacity
    assert runner.acts_done <= 3 * len(runner.assignment) * game.others_capacity
    assert runner.refused <= runner.acts_done // 10


def test_policy_label_names_the_shares() -> None:
    assert policy_label((("build_bridges", 0.3),)) == "build_bridges=0.3"
    assert policy_label(()) == "none"


# -- explanations in aggregate -------------------------------------------------------------


def test_the_tally_adds_every_change_to_its_act_and_its_hearsay() -> None:
    game = Simulation(tiny_setup(), undo=False)
    tally = CauseTally(game)
    result = game.act("recognise", "ben")
    sums = tally.take()
    total = sum(c.delta for c in result.changes)
    heard = sum(c.delta for c in result.changes if c.cause.via)
    assert sum(float(v.sum()) for k, v in sums.items()
               if k not in ("moved_recognise", "moved_heard")) == 0.0
    assert float(sums["moved_recognise"].sum()) == pytest.approx(total, abs=1e-12)
    assert float(sums["moved_heard"].sum()) == pytest.approx(heard, abs=1e-12)
    assert float(tally.take()["moved_recognise"].sum()) == 0.0  # taken, so reset


def test_a_run_with_policies_says_what_moved_trust_each_turn(org: str) -> None:
    rows = run_rows(RunSpec(org, "do_nothing", 4, (), 4,
                            policies=(("quick_wins", 1.0),))).to_pandas()
    assert set(CAUSE_COLUMNS) <= set(rows.columns)
    assert set(rows["policy"]) == {"quick_wins=1"}
    later = rows[rows.turn > 0]
    game = _game(org)
    acting = len(managers(game))
    assert (later.manager_acts == acting * game.others_capacity).all()
    assert later.moved_quick_win.sum() > 0 and later.moved_task.abs().sum() > 0
    assert later.moved_connect.abs().sum() == 0 and later.moved_delegate.abs().sum() == 0
    assert (rows[rows.turn == 0][list(CAUSE_COLUMNS)] == 0).all().all()
    plain = run_rows(RunSpec(org, "do_nothing", 4, (), 4)).to_pandas()
    assert (plain.manager_acts == 0).all() and set(plain.policy) == {"none"}


def test_runs_with_policies_are_deterministic_and_vary_with_the_seed(org: str) -> None:
    spec = RunSpec(org, "do_nothing", 7, (), 3, policies=(("build_bridges", 0.5),))
    assert run_rows(spec) == run_rows(spec)
    other = RunSpec(org, "do_nothing", 8, (), 3, policies=(("build_bridges", 0.5),))
    assert not np.allclose(run_rows(spec).columns["ei"], run_rows(other).columns["ei"])


def test_managers_who_build_bridges_slow_silos(org: str) -> None:
    """The lab's research question, small: with 30% of managers bridging, E-I at the last
    turn is higher (fewer silos) than with nobody bridging, on every organisation."""
    runs = plan_sweep(org, {}, ["do_nothing"], 3, seed=1, turns=6, org_seeds=True,
                      policies=[(), (("build_bridges", 0.3),)])
    table = run_sweep(runs).to_pandas()
    last = table[table.turn == 6].groupby(["org_seed", "policy"]).ei.mean().unstack()
    assert (last["build_bridges=0.3"] > last["none"]).all()


# -- honest replication --------------------------------------------------------------------


def test_identical_replicates_are_named_and_varied_ones_are_not(org: str) -> None:
    same = run_sweep(plan_sweep(TWO_FLOORS, {"closure_rate": [0.0]}, ["do_nothing"], 3,
                                turns=3))
    message = identical_replicates(same)
    assert message is not None and "3 replicates" in message and "--org-seeds" in message
    varied = run_sweep(plan_sweep(org, {"closure_rate": [0.0]}, ["do_nothing"], 3, turns=3,
                                  org_seeds=True))
    assert identical_replicates(varied) is None
    single = run_sweep(plan_sweep(TWO_FLOORS, {}, ["do_nothing"], 1, turns=2))
    assert identical_replicates(single) is None  # nothing replicated, nothing to say


def test_org_seeds_pair_replicates_across_conditions(org: str) -> None:
    runs = plan_sweep(org, {"asymmetry": [2.0, 3.0]}, ["do_nothing"], 3, org_seeds=True,
                      turns=2)
    by_rep: dict[int, set[int | None]] = {}
    for run in runs:
        by_rep.setdefault(run.rep, set()).add(run.org_seed)
    assert all(len(seeds) == 1 for seeds in by_rep.values())
    assert len({next(iter(s)) for s in by_rep.values()}) == 3
    rows = run_rows(runs[0]).to_pandas()
    assert set(rows.org_seed) == {runs[0].org_seed}


# -- the command line ----------------------------------------------------------------------


def test_run_replays_a_sweep_row_with_its_policy_and_organisation(org: str,
                                                                  tmp_path: Path) -> None:
    out = tmp_path / "s.csv"
    cli = CliRunner()
    done = cli.invoke(app, ["sweep", org, "--reps", "2", "--turns", "2", "--jobs", "1",
                            "--policy", "none", "--policy", "recognise=0.5", "--org-seeds",
                            "--out", str(out)])
    assert done.exit_code == 0, done.output
    import pandas as pd

    table = pd.read_csv(out)
    row = table[(table.policy == "recognise=0.5")].iloc[0]
    one = tmp_path / "one.csv"
    again = cli.invoke(app, ["run", org, "--strategy", "do_nothing", "--seed",
                             str(row.seed), "--turns", "2", "--policy", "recognise=0.5",
                             "--org-seed", str(row.org_seed), "--out", str(one)])
    assert again.exit_code == 0, again.output
    replay = pd.read_csv(one)
    assert set(replay.run) == {row.run}
    mine = table[table.run == row.run].reset_index(drop=True)
    assert np.allclose(replay.ei, mine.ei) and list(replay.team) == list(mine.team)


@pytest.mark.parametrize("args, message", [
    (["run", "{org}", "--policy", "build_bridges=2"], "between 0 and 1"),
    (["run", "{org}", "--policy", "hoarding=0.5"], "unknown policy"),
    (["run", TWO_FLOORS, "--org-seed", "3"], "trustsim generate"),
    (["sweep", TWO_FLOORS, "--org-seeds", "--reps", "2"], "trustsim generate"),
    (["sweep", "{org}", "--policy", "recognise=0.7,feedback=0.7"], "add up"),
])
def test_bad_policy_options_are_usage_errors(org: str, args: list[str], message: str,
                                             tmp_path: Path) -> None:
    done = CliRunner().invoke(app, [a.replace("{org}", org) for a in args]
                              + (["--out", str(tmp_path / "x.csv")] if args[0] == "sweep"
                                 else []))
    assert done.exit_code == 2, done.output
    assert message in done.output


def test_a_sweep_of_identical_replicates_says_so(tmp_path: Path) -> None:
    done = CliRunner().invoke(app, ["sweep", TWO_FLOORS, "--reps", "2", "--turns", "2",
                                    "--param", "closure_rate=0", "--jobs", "1", "--out",
                                    str(tmp_path / "s.csv")])
    assert done.exit_code == 0, done.output
    assert "replicates of each condition are identical" in done.output


def test_the_docs_table_of_policies_is_current() -> None:
    from simulator.experiments.policies import policies_markdown

    text = (ROOT / "docs" / "lab.md").read_text(encoding="utf-8")
    start, end = "<!-- policies:start -->\n", "<!-- policies:end -->"
    table = text[text.index(start) + len(start):text.index(end)]
    assert table == policies_markdown(), "docs/lab.md's policy table is stale"


def test_a_sweep_file_carries_policies_and_org_seeds(org: str, tmp_path: Path) -> None:
    config = tmp_path / "sweep.yaml"
    config.write_text(f"scenario: {org}\npolicies: [none, recognise=0.5]\norg_seeds: true\n"
                      "reps: 2\nturns: 2\n", encoding="utf-8")
    out = tmp_path / "s.csv"
    done = CliRunner().invoke(app, ["sweep", "--config", str(config), "--jobs", "1",
                                    "--out", str(out)])
    assert done.exit_code == 0, done.output
    import pandas as pd

    table = pd.read_csv(out)
    assert set(table.policy) == {"none", "recognise=0.5"}
    assert table.org_seed.nunique() == 2


@pytest.mark.parametrize("text, message", [
    ("scenario: two-floors\nrepz: 3\n", "unknown key(s) repz"),
    ("scenario: two-floors\nreps: lots\n", "whole numbers"),
    ("- a list\n", "expected a mapping"),
])
def test_a_bad_sweep_file_is_refused_with_what_it_should_hold(tmp_path: Path, text: str,
                                                              message: str) -> None:
    config = tmp_path / "sweep.yaml"
    config.write_text(text, encoding="utf-8")
    done = CliRunner().invoke(app, ["sweep", "--config", str(config), "--out",
                                    str(tmp_path / "s.csv")])
    assert done.exit_code == 1
    assert message in done.output


def test_managers_capacity_can_be_set_and_replays(org: str, tmp_path: Path) -> None:
    one = run_rows(RunSpec(org, "do_nothing", 4, (), 2, policies=(("quick_wins", 1.0),),
                           manager_capacity=1)).to_pandas()
    acting = len(managers(_game(org)))
    assert (one[one.turn > 0].manager_acts == acting).all()
    assert set(one.manager_capacity) == {1}
    out = tmp_path / "s.csv"
    done = CliRunner().invoke(app, ["sweep", org, "--reps", "1", "--turns", "2", "--jobs",
                                    "1", "--policy", "quick_wins=1", "--manager-capacity",
                                    "1", "--out", str(out)])
    assert done.exit_code == 0, done.output
    import pandas as pd

    row = pd.read_csv(out).iloc[0]
    again = CliRunner().invoke(app, ["run", org, "--seed", str(row.seed), "--turns", "2",
                                     "--policy", "quick_wins=1", "--manager-capacity", "1",
                                     "--out", str(tmp_path / "one.csv")])
    assert again.exit_code == 0, again.output
    assert set(pd.read_csv(tmp_path / "one.csv").run) == {row.run}
    bad = CliRunner().invoke(app, ["run", org, "--policy", "quick_wins=1",
                                   "--manager-capacity", "0"])
    assert bad.exit_code == 2


def test_an_export_names_the_policy_each_manager_acted_by(org: str, tmp_path: Path) -> None:
    """Who acted by which policy is in the export (node ``policy``), as the run drew it."""
    from simulator.experiments.export import export_dynamic, export_graph, game_at_turn
    from simulator.experiments.policies import PolicyRunner, managers

    spec = RunSpec(org, "do_nothing", 7, (), 3,
                   policies=(("build_bridges", 0.5), ("recognise", 0.25)))
    G = export_graph(spec, tmp_path / "org.graphml", turn=2)
    start = game_at_turn(spec, 0)
    drawn = PolicyRunner(start, spec.policies, spec.seed).assignment
    ids = start.world.ids
    assert {pid: p for pid, p in G.nodes(data="policy") if p} == \
        {ids[m]: name for m, name in drawn.items()}
    bosses = len(managers(start))
    counts = {name: sum(1 for _, p in G.nodes(data="policy") if p == name)
              for name in ("build_bridges", "recognise")}
    assert abs(counts["build_bridges"] - bosses * 0.5) < 1
    assert abs(counts["recognise"] - bosses * 0.25) < 1
    assert G.nodes[ids[start.player]]["policy"] == ""
    assert sum(1 for _, p in G.nodes(data="policy") if p == "") == \
        len(ids) - sum(counts.values())
    dynamic = export_dynamic(spec, tmp_path / "org.gexf")
    assert dict(dynamic.nodes(data="policy")) == dict(G.nodes(data="policy"))
    # a run without policies: every node has one, empty
    plain = export_graph(RunSpec(org, "do_nothing", 7, (), 3), tmp_path / "plain.graphml")
    assert {p for _, p in plain.nodes(data="policy")} == {""}
