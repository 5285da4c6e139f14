"""Text from a file never controls a terminal (issue 16).

A control character in a scenario (``"\\e]0;PWNED\\a"`` retitles the terminal, OSC 52 writes
its clipboard, ``\\x9b2J`` clears it, U+202E shows text backwards) is refused when the file
is read, with ``file:line:col`` pointing at the character; whatever is printed from a file
anyway (a file name, a key, a save's header, a problem quoting a value) is printed escaped.

Here every kind of control character goes through every text field of every shipped
scenario, and through every command and the interface, and nothing may come out raw: not on
stdout, not on stderr, not in a file written, not in what the interface would send to the
terminal. Org charts, acts files, saves, compact organisations and file names are fed the
same characters.
"""

from __future__ import annotations

import asyncio
import json
import re
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner

from simulator import ScenarioError, load_scenario
from simulator.cli import app
from simulator.scenario.game import Game
from simulator.scenario.loader import dotted
from simulator.scenario.text import UNSAFE_IN_TEXT, safe_lines, safe_text
from simulator.scenario.yamlsource import load_yaml

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml"))
CHAIR = ROOT / "scenarios" / "new-in-the-chair.yaml"

#: Each kind of character the rule refuses, as a payload an attacker would write.
KINDS: dict[str, str] = {
    "osc-title": "\x1b]0;PWNED\x07",          # ESC ] 0 ; ... BEL: retitles the terminal
    "osc52-clipboard": "\x1b]52;c;cHduZWQ=\x07",  # writes the clipboard
    "csi-erase": "\x1b[2J",                   # clears the screen
    "c1-csi": "\x9b2J",                       # the same with the one-character CSI
    "c1-osc": "\x9d0;PWNED\x9c",              # OSC ... ST, one character each
    "c1-nel": "\x85",
    "del": "\x7f",
    "nul": "\x00",
    "carriage-return": "\r",                  # rewrites the line already printed
    "backspace": "\x08",
    "vertical-tab": "\x0b",
    "form-feed": "\x0c",
    "bidi-rlo": "\u202e",                     # Trojan Source: shows text backwards
    "bidi-lro": "\u202d",
    "bidi-lre": "\u202a",
    "bidi-rle": "\u202b",
    "bidi-pdf": "\u202c",
    "bidi-lri": "\u2066",
    "bidi-rli": "\u2067",
    "bidi-fsi": "\u2068",
    "bidi-pdi": "\u2069",
    "bidi-lrm": "\u200e",
    "bidi-rlm": "\u200f",
    "bidi-alm": "\u061c",
}
#: one character of each payload that the rule refuses (the first)
FIRST = {kind: UNSAFE_IN_TEXT.search(payload).group() for kind, payload in  # type: ignore[union-attr]
         KINDS.items()}

Path_ = tuple[str | int, ...]


def assert_clean(text: str, where: str) -> None:
    """No character of the rule anywhere in ``text`` (newlines and tabs are fine)."""
    found = UNSAFE_IN_TEXT.search(text)
    assert found is None, (f"{where}: raw {found.group()!r} at {found.start()}: "
                           f"{text[max(0, found.start() - 80):found.start() + 40]!r}")


# -- poisoned copies of the shipped scenarios ------------------------------------------------

def _plain(path: Path) -> dict[str, Any]:
    data, _, _ = load_yaml(path.read_text(encoding="utf-8"), str(path))
    plain: dict[str, Any] = json.loads(json.dumps(data))
    return plain


def text_fields(data: dict[str, Any]) -> list[Path_]:
    """The text fields to poison: title, summary, brief, team names, people's names,
    promise and event texts (a dilemma's options too), an objective, a debrief question.
    Fields a scenario leaves out are filled in first."""
    data.setdefault("summary", "A summary.")
    paths: list[Path_] = [("title",), ("summary",), ("brief",)]
    for i, team in enumerate(data["teams"][:2]):
        team.setdefault("name", team["id"])
        paths += [("teams", i, "name")]
    paths += [("people", i, "name") for i in range(2)]
    paths += [("people", 0, "description")] if data["people"][0].get("description") else []
    if data.get("promises"):
        paths.append(("promises", 0, "what"))
    for i, event in enumerate(data.get("events", [])[:3]):
        paths.append(("events", i, "title"))
        if event.get("text"):
            paths.append(("events", i, "text"))
        if event.get("options"):
            paths += [("events", i, "options", 0, "label")]
            if event["options"][0].get("outcome"):
                paths += [("events", i, "options", 0, "outcome")]
    if data.get("objectives"):
        paths.append(("objectives", 0, "text"))
    if data.get("debrief"):
        paths.append(("debrief", 0))
    return paths


def _set(data: Any, path: Path_, payload: str) -> None:
    node = data
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = f"{node[path[-1]]} {payload} end"


def poisoned(source: Path, folder: Path, kinds: list[str], name: str | None = None
             ) -> tuple[Path, dict[Path_, str]]:
    """A copy of ``source`` with the payloads of ``kinds`` in its text fields (in turn, one
    field each); returns its path and which field got which kind."""
    data = _plain(source)
    fields = text_fields(data)
    given: dict[Path_, str] = {}
    for i, field in enumerate(fields):
        kind = kinds[i % len(kinds)]
        _set(data, field, KINDS[kind])
        given[field] = kind
    # raw bidi characters in the file (YAML allows them), escapes for the rest
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    target = folder / (name or f"{source.stem}-poisoned.yaml")
    target.write_text(text, encoding="utf-8")
    return target, given


def _refusals(path: Path) -> list[Any]:
    with pytest.raises(ScenarioError) as info:
        load_scenario(str(path))
    return info.value.problems


def _points_at_the_character(text: str, line: int, col: int) -> bool:
    """Whether ``line:col`` of ``text`` is a refused character, or the backslash of the
    escape that wrote one."""
    lines = text.split("\n")
    here = lines[line - 1][col - 1:]
    return bool(here) and (UNSAFE_IN_TEXT.match(here) is not None or here.startswith("\\"))


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("source", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_each_kind_in_each_text_field_of_each_shipped_scenario_is_refused_at_the_character(
        source: Path, kind: str, tmp_path: Path) -> None:
    path, given = poisoned(source, tmp_path, [kind])
    problems = _refusals(path)
    text = path.read_text(encoding="utf-8")
    by_path = {p.path: p for p in problems}
    for field in given:
        problem = by_path.get(dotted(field))
        assert problem is not None, (dotted(field), [str(p) for p in problems])
        assert problem.line is not None and problem.col is not None, str(problem)
        assert f"contains U+{ord(FIRST[kind]):04X} " in problem.message, str(problem)
        assert _points_at_the_character(text, problem.line, problem.col), str(problem)
    for problem in problems:
        assert_clean(str(problem), "problem")
        assert "\n" not in str(problem)


# -- every command ------------------------------------------------------------------------------

#: the commands that read a scenario, with what they must print for a refused file
COMMANDS = [["validate"], ["validate", "--json"], ["check"], ["run"], ["run", "--json"],
            ["play"], ["balance", "--seeds", "1"]]


def _invoke(args: list[str]) -> Any:
    return CliRunner().invoke(app, args, catch_exceptions=False)


def assert_refused_cleanly(args: list[str], path: Path, fields: list[Path_]) -> None:
    result = _invoke(args)
    assert result.exit_code == 1, (args, result.output)
    assert_clean(result.stdout, f"{args} stdout")
    assert_clean(result.stderr, f"{args} stderr")
    assert "Traceback" not in result.output
    out = result.stdout + result.stderr
    if "--json" in args and args[0] == "validate":
        problems = json.loads(result.stdout)["files"][0]["problems"]
        assert {dotted(f) for f in fields} <= {p["path"] for p in problems}
        assert all(p["line"] and p["col"] for p in problems if p["path"] in
                   {dotted(f) for f in fields})
        return
    for field in fields[:1] if args[0] in ("run", "play", "balance") else fields:
        assert re.search(rf"^{re.escape(str(path))}:\d+:\d+: {re.escape(dotted(field))}: "
                         r"contains U\+", out, re.M), (args, dotted(field), out)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_kind_through_each_command(kind: str, tmp_path: Path) -> None:
    path, given = poisoned(CHAIR, tmp_path, [kind])
    for command in COMMANDS:
        assert_refused_cleanly([*command, str(path)], path, list(given))


@pytest.mark.parametrize("source", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_each_shipped_scenario_poisoned_with_every_kind_through_each_command(
        source: Path, tmp_path: Path) -> None:
    path, given = poisoned(source, tmp_path, sorted(KINDS))
    for command in COMMANDS:
        assert_refused_cleanly([*command, str(path)], path, list(given))


def test_a_key_with_a_newline_or_a_control_character_prints_on_one_line_escaped(
        tmp_path: Path) -> None:
    text = CHAIR.read_text(encoding="utf-8")
    for key in ("tit\nle", "tit\x1b]0;PWNED\x07le", "ti\u202etle", "a\tb"):
        escaped = json.dumps(key)  # a double-quoted YAML key, escapes and all
        path = tmp_path / "keys.yaml"
        path.write_text(text.replace("\nlanguage: en\n", f"\n{escaped}: x\nlanguage: en\n"),
                        encoding="utf-8")
        for command in (["validate"], ["validate", "--json"], ["check"]):
            result = _invoke([*command, str(path)])
            assert result.exit_code == 1
            assert_clean(result.stdout, "stdout")
            if command == ["validate"]:
                lines = result.stdout.splitlines()
                assert len(lines) == 1, lines
                col = escaped.index("\\") + 1  # the escape that wrote the character
                assert lines[0].startswith(f"{path}:4:{col}: {safe_text(key)}: the key "
                                           "contains"), lines[0]


def test_a_reused_anchor_is_reported_with_both_places(tmp_path: Path) -> None:
    path = tmp_path / "anchors.yaml"
    path.write_text("version: 1\nteams:\n  - &t {id: a}\n  - &t {id: b}\n", encoding="utf-8")
    result = _invoke(["validate", str(path)])
    assert result.stdout.strip() == (
        f"{path}:4:5: YAML syntax error: the anchor &t is defined twice: first at line 3, "
        "column 5, again at line 4, column 5; give each anchor its own name")


# -- file names ---------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["osc-title", "c1-csi", "bidi-rlo", "carriage-return"])
def test_a_file_whose_name_holds_a_control_character_is_refused_with_the_name_escaped(
        kind: str, tmp_path: Path) -> None:
    path = tmp_path / f"two{KINDS[kind]}floors.yaml"
    shutil.copy(ROOT / "scenarios" / "two-floors.yaml", path)
    for command in [*COMMANDS, ["--dir", str(tmp_path)]]:
        args = [*command, str(path)] if command[0] != "--dir" else command
        result = _invoke(args)
        assert_clean(result.stdout, f"{args} stdout")
        assert_clean(result.stderr, f"{args} stderr")
        if command == ["validate", "--json"]:
            problem = json.loads(result.stdout)["files"][0]["problems"][0]
            assert problem["file"] == safe_text(str(path))
        else:
            assert safe_text(str(path)) in result.stdout + result.stderr, result.output
        if command[0] != "--dir":
            assert result.exit_code == 1, result.output
            assert "the file's name contains" in result.output


# -- acts files, org charts, compact organisations --------------------------------------------

@pytest.mark.parametrize("kind", sorted(KINDS))
def test_an_acts_file_with_a_control_character_is_refused_at_the_character(
        kind: str, tmp_path: Path) -> None:
    acts = tmp_path / "poisoned.acts"
    payload = KINDS[kind]
    acts.write_text(f"quick_win tomas\nmake_promise tomas due=4 what=\"a {payload} day\"\n"
                    f"# a comment {payload}\nend_turn\n", encoding="utf-8", newline="")
    for command in (["run"], ["run", "--json"]):
        result = _invoke([*command, "new-in-the-chair", "--acts", str(acts)])
        assert result.exit_code == 1, result.output
        assert_clean(result.stdout + result.stderr, f"run {command}")
        assert f"{acts}:2:" in result.stderr and f"{acts}:3:" in result.stderr
        if kind == "carriage-return":
            continue  # read as text, a lone CR ends the line (the rest then fails to read)
        col = len("make_promise tomas due=4 what=\"a ") + 1
        assert f"{acts}:2:{col}: the line contains U+{ord(FIRST[kind]):04X}" in result.stderr


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_an_org_chart_with_a_control_character_is_refused_and_nothing_is_written(
        kind: str, tmp_path: Path) -> None:
    chart = tmp_path / "org.csv"
    payload = KINDS[kind]
    chart.write_bytes(("id,name,team,manager\nmaya,Maya,support,\n"
                       f"tomas,\"Tomas {payload}\",support,maya\n").encode())
    output = tmp_path / "org.yaml"
    result = _invoke(["import", str(chart), "-o", str(output)])
    assert result.exit_code == 1, result.output
    assert_clean(result.stdout + result.stderr, "import")
    assert not output.exists()
    if kind != "carriage-return":  # a lone CR ends a CSV row: it is refused all the same
        assert f"{chart}:3:" in result.stderr, result.stderr


def test_an_org_chart_whose_name_holds_an_escape_gives_an_escaped_title(tmp_path: Path) -> None:
    chart = tmp_path / f"org{KINDS['osc-title']}.csv"
    chart.write_text("id,name,team,manager\nmaya,Maya,support,\ntomas,Tomas,support,maya\n",
                     encoding="utf-8")
    output = tmp_path / "org.yaml"
    result = _invoke(["import", str(chart), "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert_clean(result.stdout + result.stderr, "import")
    assert_clean(output.read_text(encoding="utf-8"), "the scenario written")
    assert load_scenario(str(output)).title == safe_text(chart.stem)


@pytest.mark.parametrize("kind", ["osc-title", "c1-osc", "bidi-rlo", "del"])
def test_a_compact_organisation_with_a_control_character_in_a_name_is_refused(
        kind: str, tmp_path: Path) -> None:
    from simulator.experiments.generate import generate_org, write_org

    whole = tmp_path / "org.npz"
    write_org(generate_org(people=30, seed=1), str(whole))
    with np.load(whole, allow_pickle=False) as archive:
        arrays = {name: archive[name] for name in archive.files}
    people = json.loads(arrays["people"].tobytes().decode("utf-8"))
    people[3][1] = f"{people[3][1]} {KINDS[kind]}"
    arrays["people"] = np.frombuffer(json.dumps(people).encode(), np.uint8)
    meta = json.loads(arrays["meta"].tobytes().decode("utf-8"))
    meta["title"] = f"Org {KINDS[kind]}"
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), np.uint8)
    path = tmp_path / "poisoned.npz"
    np.savez(path, **arrays)
    for command in (["validate"], ["run"]):
        result = _invoke([*command, str(path)])
        assert result.exit_code == 1, result.output
        assert_clean(result.stdout + result.stderr, str(command))
        assert "title" in result.output
    meta["title"] = "Org"
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), np.uint8)
    np.savez(path, **arrays)
    result = _invoke(["validate", str(path)])
    assert result.exit_code == 1 and "people[3].name" in result.output, result.output
    assert_clean(result.output, "validate")


# -- saves and the debrief ---------------------------------------------------------------------

def _save(folder: Path, name: str) -> Path:
    from simulator.experiments.script import parse_script, play

    game = Game(load_scenario(str(CHAIR)), undo=False)
    acts = (ROOT / "scenarios" / "new-in-the-chair.acts").read_text(encoding="utf-8")
    play(game, parse_script(acts)[:6], finish=False)
    path = folder / name
    game.save(path)
    return path


def _edit(path: Path, change: Any) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_debrief_of_poisoned_saves_refuses_them_or_prints_them_escaped(tmp_path: Path) -> None:
    good = _save(tmp_path, "good.json")
    poisoned_scenario, _ = poisoned(CHAIR, tmp_path, sorted(KINDS))
    bad_text = poisoned_scenario.read_text(encoding="utf-8")
    everything = "".join(KINDS.values())
    edits = {
        "scenario-text": lambda d: d["scenario"].__setitem__("text", bad_text),
        "scenario-path": lambda d: d["scenario"].__setitem__("path", f"x{everything}.yaml"),
        "log-target": lambda d: d["log"][0].__setitem__("target", f"tomas{everything}"),
        "log-what": lambda d: d["log"][0].__setitem__("what", f"a {everything} day"),
        "log-key": lambda d: d["log"][0].__setitem__(f"k{everything}", 1),
        "version": lambda d: d.__setitem__("trustsim", everything),
    }
    for name, change in edits.items():
        path = shutil.copy(good, tmp_path / f"{name}.json")
        _edit(Path(path), change)
        if name == "version":  # shown only when the save does not replay: make it not
            _edit(Path(path), lambda d: d.__setitem__("fingerprint", "x"))
        report = tmp_path / f"{name}.md"
        result = _invoke(["debrief", str(path), "-o", str(report)])
        assert result.exit_code == 1, (name, result.output)
        assert_clean(result.stdout + result.stderr, name)
        assert not report.exists()
        if name.startswith("log-"):  # the character's place in the save
            line, col = re.search(rf"^{re.escape(str(path))}:(\d+):(\d+): step 1 of the log",
                                  result.stderr, re.M).groups()  # type: ignore[union-attr]
            here = Path(path).read_text(encoding="utf-8").split("\n")[int(line) - 1]
            assert here[int(col) - 1:].startswith(("\\u001b", "\x1b")), here


def test_debrief_names_sessions_after_their_files_escaped(tmp_path: Path) -> None:
    saves = [_save(tmp_path, f"trainee {KINDS[kind]}.json")
             for kind in ("osc-title", "c1-csi", "bidi-rlo", "carriage-return")]
    # a save's header title is not what the debrief shows (the scenario's is), poison it too
    _edit(saves[0], lambda d: d["scenario"].__setitem__("title", KINDS["osc52-clipboard"]))
    report = tmp_path / "debrief.md"
    result = _invoke(["debrief", *map(str, saves), "-o", str(report)])
    assert result.exit_code == 0, result.output
    assert_clean(result.stdout + result.stderr, "debrief")
    written = report.read_text(encoding="utf-8")
    assert_clean(written, "debrief.md")
    assert safe_text("trainee \x1b]0;PWNED\x07") in written


def test_a_save_is_written_with_its_text_escaped_as_json(tmp_path: Path) -> None:
    """A save file is JSON: whatever text it holds is written with \\u escapes."""
    game = Game(load_scenario(str(CHAIR)), undo=False)
    game.execute({"do": "act", "act": "make_promise", "target": "tomas", "due": 4,
                  "what": "a \u202e day"})
    path = tmp_path / "save.json"
    game.save(path)
    raw = path.read_text(encoding="utf-8")
    assert_clean(raw, "save")
    assert "\\u202e" in raw
    assert json.loads(raw)["log"][-1]["what"] == "a \u202e day"


# -- the interface ------------------------------------------------------------------------------

#: what Textual itself writes: CSI sequences (colours, cursor) and OSC 8 links
_TEXTUAL = re.compile(r"\x1b\[[0-9;:?<>=]*[ -/]*[@-~]|\x1b\]8;[^\x07\x1b]*\x1b\\")


def assert_terminal_clean(app_: Any, where: str) -> None:
    """What the driver would write for the screen, and every title, hold no file text raw."""
    for screen in app_.screen_stack:
        for value in (screen.title, screen.sub_title):
            assert value is None or UNSAFE_IN_TEXT.search(value) is None, (where, value)
    assert_clean(app_.title, f"{where}: app title")
    assert_clean(app_.sub_title, f"{where}: app sub-title")
    update = app_.screen._compositor.render_update(full=True)
    sent = update.render_segments(app_.console)
    for payload in KINDS.values():
        if len(payload) > 1:
            assert payload not in sent, (where, payload)
    assert "PWNED\x07" not in sent and "\x1b]0;" not in sent and "\x1b]52;" not in sent
    assert_clean(_TEXTUAL.sub("", sent), f"{where}: terminal output")


async def _until(pilot: Any, predicate: Any, what: str) -> None:
    for _ in range(400):
        await pilot.pause()
        if predicate():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"timed out waiting for {what}")


def _tui(paths: list[Path], *, single: bool, check: Any, resume: bool = False) -> None:
    from simulator.ui.app import TrustsimApp

    async def run() -> None:
        app_ = TrustsimApp(paths, single=single, resume=resume)
        async with app_.run_test(size=(100, 30)) as pilot:
            await check(app_, pilot)

    asyncio.run(asyncio.wait_for(run(), timeout=90))


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TRUSTSIM_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.mark.parametrize("source", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_the_interface_shows_a_poisoned_scenario_as_escaped_problems(
        source: Path, tmp_path: Path, home: Path) -> None:
    path, given = poisoned(source, tmp_path, sorted(KINDS))

    async def check(app_: Any, pilot: Any) -> None:
        from simulator.ui.screens.picker import ProblemsScreen

        await _until(pilot, lambda: isinstance(app_.screen, ProblemsScreen), "the problems")
        shown = "\n".join(str(p) for p in app_.screen.error.problems)
        assert all(f": {dotted(f)}: contains U+" in shown for f in given)
        assert_terminal_clean(app_, source.stem)

    _tui([path], single=True, check=check)


def test_the_picker_lists_poisoned_files_and_names_escaped(tmp_path: Path, home: Path) -> None:
    folder = tmp_path / "room"
    folder.mkdir()
    poisoned(CHAIR, folder, sorted(KINDS))
    weird = folder / f"two{KINDS['osc-title']}{KINDS['bidi-rlo']}floors.yaml"
    shutil.copy(ROOT / "scenarios" / "two-floors.yaml", weird)
    shutil.copy(ROOT / "scenarios" / "two-floors.yaml", folder / "fine.yaml")
    paths = sorted(folder.glob("*.yaml"))

    async def check(app_: Any, pilot: Any) -> None:
        from simulator.ui.screens.picker import PickerScreen

        await _until(pilot, lambda: isinstance(app_.screen, PickerScreen)
                     and len(app_.screen.entries) == len(paths), "the picker's rows")
        for row in range(len(paths)):
            app_.screen.show_summary(row)
            await pilot.pause()
            assert_terminal_clean(app_, f"picker row {row}")
        await pilot.press("end", "enter")  # the last: the poisoned file's problems
        await pilot.pause()
        assert_terminal_clean(app_, "problems")

    _tui(paths, single=False, check=check)


def test_a_resume_prompt_shows_a_poisoned_save_title_escaped(tmp_path: Path,
                                                              home: Path) -> None:
    saves = home / "data" / "saves"
    saves.mkdir(parents=True)
    save = _save(saves, "chair-autosave.json")
    _edit(save, lambda d: d["scenario"].__setitem__(
        "title", "Evil " + "".join(KINDS.values()) + " title"))

    async def check(app_: Any, pilot: Any) -> None:
        from simulator.ui.screens.dialogs import ConfirmScreen

        await _until(pilot, lambda: isinstance(app_.screen, ConfirmScreen), "the prompt")
        assert_terminal_clean(app_, "resume prompt")
        assert "Evil \\x1b]0;PWNED" in app_.screen.body

    _tui([CHAIR], single=False, resume=True, check=check)


def test_the_app_title_never_reaches_the_terminal_raw(home: Path) -> None:
    async def check(app_: Any, pilot: Any) -> None:
        from simulator.ui.screens.picker import BriefScreen

        await _until(pilot, lambda: isinstance(app_.screen, BriefScreen), "the brief")
        for payload in KINDS.values():
            app_.title = f"Evil {payload} title"
            app_.sub_title = payload
            await pilot.pause()
            assert app_.title == f"Evil {safe_text(payload)} title"
            assert_terminal_clean(app_, repr(payload))
            assert_clean(app_.export_screenshot(), "screenshot")

    _tui([CHAIR], single=True, check=check)


# -- the helpers themselves ----------------------------------------------------------------------

def test_safe_text_escapes_every_kind_and_changes_nothing_else() -> None:
    for payload in KINDS.values():
        assert_clean(safe_text(payload), "safe_text")
        assert_clean(safe_lines(payload + "\n"), "safe_lines")
    ordinary = "Tomás O'Brien — “Support” · 张伟 😀 \\x1b (a backslash)"
    assert safe_text(ordinary) == ordinary
    assert safe_text("two\nlines\tand a tab") == "two\\nlines\\tand a tab"
    assert safe_lines("two\nlines") == "two\nlines"
    assert safe_text(safe_text("\x1b]0;x\x07")) == safe_text("\x1b]0;x\x07")
