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
    assert f"{bad}:5: manager: 'zz' is not an id in this file" in lines
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
