"""trustsim show: the organisation and its trust, in the terminal and as a figure."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from simulator.cli import app
from simulator.experiments.preview import advance, band, preview, preview_lines
from simulator.scenario.game import Game
from simulator.scenario.library import find_scenarios, library_dir
from simulator.scenario.loader import load_scenario

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]
FLOORS = ROOT / "scenarios" / "two-floors.yaml"
COACHING = ROOT / "scenarios" / "peer-coaching.yaml"


def plain(lines: list[list[tuple[str, str]]]) -> list[str]:
    return ["".join(text for text, _ in line) for line in lines]


def floors() -> Game:
    return Game(load_scenario(FLOORS), undo=False)


def test_the_preview_measures_the_starting_organisation() -> None:
    game = floors()
    found = preview(game)
    assert [t.name for t in found.teams] == ["Engineering", "Sales"]  # yours first
    eng, sales = found.teams
    # the player, and everyone's trust in them as the game has it
    daniel = eng.people[0]
    assert (daniel.name, daniel.trust, daniel.reports_to) == (
        "Daniel Brandt", None, "Grace Liu (Sales)")
    priya = next(p for p in eng.people if p.id == "priya")
    assert priya.trust == pytest.approx(game.trust("priya", "player"))
    assert priya.guide == "├ "
    # reporting lines as a tree: Grace, then Carla under her, then Carla's four reports
    assert [(p.guide, p.id) for p in sales.people] == [
        ("", "grace"), ("└ ", "carla"), ("  ├ ", "ben"), ("  ├ ", "amara"),
        ("  ├ ", "luis"), ("  └ ", "hana")]
    assert sales.people[0].manages == ("★ Daniel Brandt (Engineering)",)
    metrics = game.metrics()
    assert eng.within == pytest.approx(metrics["team_trust_within"]["eng"])
    assert eng.across == pytest.approx(metrics["team_trust_across"]["eng"])
    assert eng.ei == pytest.approx(-0.60, abs=0.005)
    # the ties the author wrote stand out: Priya and Amara strongest after the reporting
    # line up the stairs, Daniel and Carla the weakest
    assert found.strongest[0].reporting and "Grace Liu" in found.strongest[0].a
    assert (found.strongest[1].a, found.strongest[1].b) == (
        "Priya Nair (Engineering)", "Amara Obi (Sales)")
    assert found.strongest[1].trust_ab == pytest.approx(0.5)
    weakest = found.weakest[0]
    assert {weakest.a, weakest.b} == {"★ Daniel Brandt (Engineering)", "Carla Souza (Sales)"}
    assert weakest.trust == pytest.approx(0.35) and weakest.strength == pytest.approx(0.3)
    # 5 people x 6 people, both ways merged into one pair
    assert found.cross_ties == 30
    assert found.weakest_more == 30 - 10  # every other pair shows 0.38 too


def test_after_turns_of_doing_nothing_the_floors_drift_apart() -> None:
    start = preview(floors())
    later = preview(advance(floors(), 4))
    assert later.turn == 4
    assert later.across < start.across - 0.05  # cross-team ties decay, then the budget cut
    assert plain(preview_lines(later))[0].startswith(
        "Two floors: 11 people in 2 teams, after 4 turns with no acts")


@pytest.mark.parametrize("width", [80, 60])
def test_every_shipped_scenario_fits_the_width(width: int) -> None:
    for path in find_scenarios([library_dir()], []):
        lines = plain(preview_lines(preview(Game(load_scenario(path), undo=False)),
                                    width=width))
        too_long = [line for line in lines if len(line) > width]
        assert not too_long, f"{path.name}: {too_long[:3]}"
        assert not [line for line in lines if line != line.rstrip()], path.name


def test_a_band_is_read_from_the_number_shown() -> None:
    assert [band(v) for v in (0.0, 0.199, 0.2, 0.398, 0.6, 0.79, 0.8, 1.0)] == [
        0, 1, 1, 2, 3, 3, 4, 4]


def test_show_prints_teams_people_and_ties() -> None:
    result = runner.invoke(app, ["show", str(FLOORS)])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "\x1b[" not in out  # not a terminal: no colour codes, the symbols say it all
    lines = out.splitlines()
    assert "━━ Engineering · 5 people" in out and "━━ Sales · 6 people" in out
    assert "   ★ Daniel Brandt (you) · manager · reports to Grace Liu (Sales)" in lines
    assert "   ├ ◕ 0.60 Priya Nair" in lines
    assert "   trusts you ◕ 0.60 · within ◕ 0.61 · across ◔ 0.39 · E-I -0.60" in lines
    assert "   ↔ Sales ◔ 0.39 (30 ties)" in lines
    assert any(re.fullmatch(r" +◔ 0\.35 ⇄ ◔ 0\.35 · 0\.30 · ★ Daniel Brandt \(Engineering\) "
                            r"↔ Carla Souza \(Sales\)", line) for line in lines), out
    assert "   … and 20 more at ◔ 0.38" in lines
    assert max(len(line) for line in lines) <= 80


def test_show_prints_team_descriptions() -> None:
    result = runner.invoke(app, ["show", "peer-coaching"])
    assert result.exit_code == 0, result.output
    assert "   Nurse-led; the first to volunteer for anything new." in result.output.splitlines()


def test_show_after_some_turns_and_fewer_ties() -> None:
    result = runner.invoke(app, ["show", str(FLOORS), "--turn", "4", "--ties", "1"])
    assert result.exit_code == 0, result.output
    assert "after 4 turns with no acts" in result.output
    ties = [line for line in result.output.splitlines()
            if re.match(r" +[○◔◑◕●] \d\.\d\d ⇄ ", line)]
    assert len(ties) == 2, ties  # one strongest, one weakest


def test_show_refuses_bad_input(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("version: 1\ntitle: Broken\nturns: ten\n", encoding="utf-8")
    result = runner.invoke(app, ["show", str(broken)])
    assert result.exit_code == 1
    assert re.search(rf"{re.escape(str(broken))}:3:8: turns: ", result.output), result.output
    assert "Traceback" not in result.output
    result = runner.invoke(app, ["show", str(tmp_path / "none.yaml")])
    assert result.exit_code == 1 and "no such file" in result.output
    result = runner.invoke(app, ["show", str(FLOORS), "--turn", "11"])
    assert result.exit_code == 2
    assert "--turn 11: two-floors.yaml lasts 10 turns (give 0 to 10)" in result.output
    result = runner.invoke(app, ["show", str(FLOORS), "-o", str(tmp_path / "org.pdf")])
    assert result.exit_code == 2 and "must end in .svg or .png" in result.output
    assert not (tmp_path / "org.pdf").exists()


def test_show_draws_the_network_as_svg_and_png(tmp_path: Path) -> None:
    svg, again, png = tmp_path / "org.svg", tmp_path / "again.svg", tmp_path / "org.png"
    for target in (svg, again, png):
        result = runner.invoke(app, ["show", str(FLOORS), "-o", str(target)])
        assert result.exit_code == 0, result.output
        assert result.output == f"wrote {target} (11 people in 2 teams)\n"
    text = svg.read_text(encoding="utf-8")
    assert text.startswith("<?xml") and "<svg" in text
    for label in ("Daniel Brandt (you)", "Priya Nair", "Engineering", "Sales",
                  "Two floors: trust at the start", "trust × strength"):
        assert label in text, label
    assert svg.read_bytes() == again.read_bytes()  # the same scenario, the same file
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_show_without_the_lab_extra_says_so(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [m for m in sys.modules if m == "matplotlib" or m.startswith("matplotlib.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib fails
    target = tmp_path / "org.svg"
    result = runner.invoke(app, ["show", str(FLOORS), "-o", str(target)])
    assert result.exit_code == 1
    assert "needs matplotlib, which comes with the lab extra: pip install 'trustsim[lab]'" \
        in result.output
    assert not target.exists()
    # the terminal view needs no extra
    assert runner.invoke(app, ["show", str(FLOORS)]).exit_code == 0


def test_the_guide_shows_what_show_prints() -> None:
    guide = (ROOT / "docs" / "authoring.md").read_text(encoding="utf-8")
    start = guide.index("trustsim show two-floors\n```\n\n```\n") + len(
        "trustsim show two-floors\n```\n\n```\n")
    shown = guide[start: guide.index("\n```", start)] + "\n"
    result = runner.invoke(app, ["show", "two-floors"])
    assert shown == result.output, "docs/authoring.md shows an old `trustsim show`"
