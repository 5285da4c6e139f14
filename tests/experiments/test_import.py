"""trustsim import: an org chart round-trips to a valid scenario; bad rows are all reported."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from simulator import load_scenario
from simulator.cli import app

runner = CliRunner()

PEOPLE = (
    "id;name;role;team;manager;competence;trust_in_manager\n"
    "ceo;Iris Vos;executive;board;;0.8;\n"
    "mia;Mia Chen;manager;sales;ceo;0.7;0,4\n"
    "raj;Raj Patel;;sales;mia;0.6;0.3\n"
    "lou;Lou Martin;;sales;mia;0.5;\n"
    "kim;Kim Lee;;ops;ceo;0.7;\n"
    "bo;Bø Berg;;ops;kim;0.4;\n"
)


def test_import_round_trips_a_sample_org_chart(tmp_path: Path) -> None:
    (tmp_path / "org.csv").write_bytes(b"\xef\xbb\xbf" + PEOPLE.encode())
    (tmp_path / "ties.csv").write_text("from,to,trust,strength,mutual\nraj,bo,0.6,0.4,yes\n",
                                       encoding="utf-8")
    out = tmp_path / "org.yaml"
    result = runner.invoke(app, ["import", str(tmp_path / "org.csv"), "--ties",
                                 str(tmp_path / "ties.csv"), "-o", str(out), "--title", "Org"])
    assert result.exit_code == 0, result.output
    scenario = load_scenario(out)
    setup = scenario.setup
    assert [p.id for p in setup.people] == ["ceo", "mia", "raj", "lou", "kim", "bo"]
    by_id = {p.id: p for p in setup.people}
    assert by_id["bo"].name == "Bø Berg" and by_id["bo"].manager == "kim"
    assert by_id["kim"].role == "manager"  # has a report, so a manager by default
    assert by_id["raj"].competence == 0.6
    assert setup.player == "mia"  # the manager with the most reports
    from simulator import Game

    game = Game(scenario)
    assert game.trust("mia", "ceo") == pytest.approx(0.4)  # decimal comma read right
    assert game.trust("raj", "bo") == pytest.approx(0.6)
    assert game.trust("bo", "raj") == pytest.approx(0.6)  # mutual
    assert (tmp_path / "schema.json").exists()


def test_import_reports_every_bad_row_with_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("id,name,team,manager,competence\n"
                   "x1,A,t1,,0.5\n"
                   "x1,B,t1,,0.5\n"
                   ",C,t1,x1,2\n"
                   "x4,D,t2,zz,abc\n", encoding="utf-8")
    result = runner.invoke(app, ["import", str(bad), "-o", str(tmp_path / "o.yaml")])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert f"{bad}:3: id: 'x1' is used twice (first at line 2)" in lines
    assert f"{bad}:4: id: is empty (every person needs an id)" in lines
    assert f"{bad}:4: competence: 2.0 is outside [0, 1]" in lines
    assert f"{bad}:5: competence: expected a number in [0, 1], got 'abc'" in lines
    assert f"{bad}:5: manager: 'zz' is nobody in the file (the column holds the manager's " \
        "id)" in lines
    assert not (tmp_path / "o.yaml").exists()


def test_import_refuses_missing_columns_and_overwrites(tmp_path: Path) -> None:
    csv = tmp_path / "x.csv"
    csv.write_text("name,team\nA,t\n", encoding="utf-8")
    result = runner.invoke(app, ["import", str(csv), "-o", str(tmp_path / "x.yaml")])
    assert result.exit_code == 1 and "missing column(s): id" in result.output
    existing = tmp_path / "exists.yaml"
    existing.write_text("keep me", encoding="utf-8")
    (tmp_path / "ok.csv").write_text(PEOPLE, encoding="utf-8")
    result = runner.invoke(app, ["import", str(tmp_path / "ok.csv"), "-o", str(existing)])
    assert result.exit_code == 1 and "already exists" in result.output
    assert existing.read_text(encoding="utf-8") == "keep me"


# -- team names as written, suggestions, empty names, the columns documented -------------------


def test_import_accepts_team_names_as_written(tmp_path: Path) -> None:
    """Ids are made from the names (lowercase ASCII, hyphens), unique among teams and
    people; the names stay as written; the output says which id each team got."""
    (tmp_path / "org.csv").write_text(
        "id,name,team,manager\n"
        "ruth,Ruth Adeyemi,Leadership,\n"
        "dana-k,Dana Kim,Customer Service,ruth\n"
        "tomas,Tomás Ruiz,customer  service,dana-k\n"  # the same team, typed differently
        "ana,Ana Lima,R&D Zürich,ruth\n"
        "ben,Ben Ode,R D Zurich,ruth\n"  # another team whose name makes the same id
        "sales,Sam Ali,Sales,ruth\n"  # a person whose id the team Sales would take
        "li,Li Wei,Sales,sales\n", encoding="utf-8")
    out = tmp_path / "org.yaml"
    result = runner.invoke(app, ["import", str(tmp_path / "org.csv"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == (
        "teams: Leadership -> leadership, Customer Service -> customer-service, "
        "R&D Zürich -> r-d-zurich, R D Zurich -> r-d-zurich-2, Sales -> sales-2")
    setup = load_scenario(out).setup
    assert [(t.id, t.name) for t in setup.teams] == [
        ("leadership", "Leadership"), ("customer-service", "Customer Service"),
        ("r-d-zurich", "R&D Zürich"), ("r-d-zurich-2", "R D Zurich"), ("sales-2", "Sales")]
    teams = {p.id: p.team for p in setup.people}
    assert teams["tomas"] == teams["dana-k"] == "customer-service"
    assert teams["li"] == "sales-2"
    # the objective names the player's team by its id
    assert setup.player == "dana-k"
    assert setup.objectives[0].who == "customer-service"


def test_team_ids_from_names() -> None:
    from simulator.experiments.orgchart import team_id

    assert team_id("Customer Service") == "customer-service"
    assert team_id("  Ops / Night-shift (2) ") == "ops-night-shift-2"
    assert team_id("Café Crème") == "cafe-creme"
    assert team_id("first_line") == "first_line"
    assert team_id("日本チーム") == "team"  # nothing ASCII to keep
    assert len(team_id("x" * 300)) <= 60


def test_import_suggests_ids_for_unknown_people(tmp_path: Path) -> None:
    people = tmp_path / "org.csv"
    people.write_text("id,name,team,manager\n"
                      "ruth,Ruth Adeyemi,Leadership,\n"
                      "dana-k,Dana Kim,Support,ruth\n"
                      "tomas,Tomás Ruiz,Support,dana_k\n"
                      "eli,Eli Cohen,Support,Dana Kim\n"
                      "fay,Fay Bell,Support,nobody-like-this\n", encoding="utf-8")
    ties = tmp_path / "ties.csv"
    ties.write_text("from,to,trust\ntomass,ruth,0.4\n,ruth,0.3\n", encoding="utf-8")
    result = runner.invoke(app, ["import", str(people), "--ties", str(ties), "-o",
                                 str(tmp_path / "o.yaml")])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert (f"{people}:4: manager: 'dana_k' is nobody in the file (the column holds the "
            "manager's id); did you mean 'dana-k'?") in lines
    assert (f"{people}:5: manager: 'Dana Kim' is nobody in the file (the column holds the "
            "manager's id); did you mean 'dana-k' (Dana Kim)?") in lines
    assert (f"{people}:6: manager: 'nobody-like-this' is nobody in the file (the column "
            "holds the manager's id)") in lines
    assert f"{ties}:2: from: 'tomass' is nobody in the people file; did you mean 'tomas'?" \
        in lines
    assert f"{ties}:3: from: is empty (a tie is between two people)" in lines
    assert not (tmp_path / "o.yaml").exists()


def test_import_refuses_an_empty_name_or_team(tmp_path: Path) -> None:
    bad = tmp_path / "org.csv"
    bad.write_text("id,name,team,manager\n"
                   "ruth,Ruth Adeyemi,Leadership,\n"
                   "dana,,Support,ruth\n"
                   "eli,Eli Cohen,,ruth\n"
                   "player,Pat,Support,ruth\n", encoding="utf-8")
    result = runner.invoke(app, ["import", str(bad), "-o", str(tmp_path / "o.yaml")])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert f"{bad}:3: name: is empty: write the name the trainee sees for 'dana'" in lines
    assert f"{bad}:4: team: is empty (every person belongs to a team)" in lines
    assert f"{bad}:5: id: 'player' is reserved; choose another id" in lines
    assert not (tmp_path / "o.yaml").exists()


def test_import_names_an_unknown_player(tmp_path: Path) -> None:
    (tmp_path / "org.csv").write_text(PEOPLE, encoding="utf-8")
    result = runner.invoke(app, ["import", str(tmp_path / "org.csv"), "-o",
                                 str(tmp_path / "o.yaml"), "--player", "mya"])
    assert result.exit_code == 2
    assert f"--player 'mya' is nobody in {tmp_path / 'org.csv'}; did you mean 'mia'?" \
        in result.output
    assert not (tmp_path / "o.yaml").exists()


def test_every_column_is_documented_in_the_help_and_the_guide(tmp_path: Path) -> None:
    from simulator.experiments.orgchart import (
        PEOPLE_COLUMNS,
        PEOPLE_EXAMPLE,
        TIE_COLUMNS,
        TIES_EXAMPLE,
    )

    result = runner.invoke(app, ["import", "--help"], env={"COLUMNS": "80"})
    assert result.exit_code == 0
    guide = (Path(__file__).resolve().parents[2] / "docs" / "authoring.md").read_text(
        encoding="utf-8")
    for column in (*PEOPLE_COLUMNS, *TIE_COLUMNS):
        need = "required" if column.required else "optional"
        assert f"\n    {column.name} ({need}): " in result.output, column.name
        assert f"| `{column.name}` | {need} | {column.values} |" in guide, column.name
    assert max(len(line) for line in result.output.splitlines()) <= 80
    # the example the guide and the help show imports as it says
    assert PEOPLE_EXAMPLE.strip() in guide and TIES_EXAMPLE.strip() in guide
    (tmp_path / "people.csv").write_text(PEOPLE_EXAMPLE, encoding="utf-8")
    (tmp_path / "ties.csv").write_text(TIES_EXAMPLE, encoding="utf-8")
    out = tmp_path / "example.yaml"
    result = runner.invoke(app, ["import", str(tmp_path / "people.csv"), "--ties",
                                 str(tmp_path / "ties.csv"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Customer Service -> customer-service" in result.output
    assert ("teams: Leadership -> leadership, Customer Service -> customer-service"
            in result.output)
    from simulator import Game

    game = Game(load_scenario(out))
    assert game.trust("tomas", "ruth") == pytest.approx(0.3)
    assert game.trust("ruth", "tomas") == pytest.approx(0.3)  # mutual
