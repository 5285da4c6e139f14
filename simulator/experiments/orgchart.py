"""Import an org chart (CSV) as a scenario file (``trustsim import``).

The columns of both files (people, and the optional ties) are declared once, in
:data:`PEOPLE_COLUMNS` and :data:`TIE_COLUMNS`: the command's help, its messages and
docs/authoring.md say the same. Comma, semicolon and tab separated files are recognised;
a UTF-8 BOM (as Excel writes) is fine, and so is a decimal comma.

Teams are written as people name them (``Customer Service``): each gets an id made from
its name (``customer-service``, see :func:`team_id`) and keeps its name as written.

Every bad row is reported with its line number, all at once. A control or bidirectional
character anywhere in a file (an HR export can carry them) is refused with its line and
column, as in a scenario file (see :mod:`simulator.scenario.text`).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..scenario.errors import Problem, ScenarioError
from ..scenario.text import find_unsafe, is_id, unsafe_message

ROLES = ("executive", "manager", "employee")
TRUTHY = {"yes", "y", "true", "1", "ja", "x"}
RESERVED = {"player", "*"}
MAX_ID = 64
MAX_NAME = 200


@dataclass(frozen=True, slots=True)
class Column:
    """One column of an import file: its name, whether it is required, what it holds."""

    name: str
    required: bool
    values: str
    meaning: str


PEOPLE_COLUMNS: tuple[Column, ...] = (
    Column("id", True, "letters, digits, - and _ (no spaces, none of : * , # ' \"), at "
           "most 64 characters; unique", "the person's id, used by the manager column and "
           "the ties file (dana-k)"),
    Column("name", True, "any text, not empty", "the name the trainee sees (Dana Kim)"),
    Column("team", True, "any text, not empty", "the team's name as people write it "
           "(Customer Service); its id is made from it (customer-service)"),
    Column("role", False, "executive, manager or employee", "default: manager for "
           "people someone reports to, employee for the others"),
    Column("manager", False, "an id from the id column, or empty", "whom they report to "
           "(empty at the top)"),
    Column("competence", False, "a number from 0 to 1 (0.6 or 0,6)", "how likely work "
           "delegated to them succeeds (default 0.5)"),
    Column("openness", False, "a number from 0 to 1", "how well feedback lands with them "
           "(default 0.5)"),
    Column("propensity", False, "a number from 0 to 1", "how readily they trust someone "
           "new (default 0.5)"),
    Column("trust_in_manager", False, "a number from 0 to 1", "how much they trust their "
           "manager (default 0.5)"),
    Column("manager_trust", False, "a number from 0 to 1", "how much their manager "
           "trusts them (default 0.5)"),
)

TIE_COLUMNS: tuple[Column, ...] = (
    Column("from", True, "an id from the people file", "who trusts"),
    Column("to", True, "an id from the people file", "whom they trust"),
    Column("trust", False, "a number from 0 to 1", "how much (give trust, strength or "
           "both; the other keeps its default)"),
    Column("strength", False, "a number from 0 to 1", "how often they work together"),
    Column("mutual", False, "yes or no (y, true, 1, ja and x are yes too)", "yes: the tie "
           "goes both ways (default no)"),
)

REQUIRED = tuple(c.name for c in PEOPLE_COLUMNS if c.required)
OPTIONAL = tuple(c.name for c in PEOPLE_COLUMNS if not c.required)

#: The example the help and docs/authoring.md show (a test imports it).
PEOPLE_EXAMPLE = """id,name,team,role,manager,competence,trust_in_manager
ruth,Ruth Adeyemi,Leadership,executive,,0.8,
dana-k,Dana Kim,Customer Service,manager,ruth,0.7,0.6
tomas,Tomás Ruiz,Customer Service,,dana-k,0.75,0.4
"""

TIES_EXAMPLE = """from,to,trust,strength,mutual
tomas,ruth,0.3,0.2,yes
"""


def columns_help() -> str:
    """The columns of both files, for ``trustsim import --help`` (a ``\\b`` line keeps
    click from rewrapping the block after it)."""

    import textwrap

    def block(columns: tuple[Column, ...]) -> list[str]:
        lines = ["\b"]
        for c in columns:
            lines += textwrap.wrap(f"{c.name} ({'required' if c.required else 'optional'}): "
                                   f"{c.values}. {c.meaning[:1].upper()}{c.meaning[1:]}.",
                                   width=76, initial_indent="  ", subsequent_indent="      ")
        return lines

    return "\n".join([
        "People CSV (ORGCHART), one row per person:", "", *block(PEOPLE_COLUMNS), "",
        "Ties CSV (--ties), one row per tie between two people:", "", *block(TIE_COLUMNS),
        "", "\b", "For example:", *("  " + line for line in PEOPLE_EXAMPLE.splitlines()),
        "", "Cells are separated by commas, semicolons or tabs; a UTF-8 BOM and a decimal "
        "comma are fine. docs/authoring.md (section 1) has more."])


def team_id(name: str) -> str:
    """An id made from a team's name: lowercase ASCII letters, digits and underscores,
    hyphens between words (accents dropped).

    >>> team_id("Customer Service"), team_id("R&D / Zürich"), team_id("日本")
    ('customer-service', 'r-d-zurich', 'team')
    """
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    made = re.sub(r"[^a-z0-9_]+", "-", plain.lower()).strip("-_")
    return made[: MAX_ID - 4].rstrip("-_") or "team"


def suggest_person(value: str, people: dict[str, str]) -> str:
    """"; did you mean 'dana-k'?" for an unknown person id: an id close to it, or the id
    of the person whose name it is."""
    import difflib

    by_name = {name.casefold(): pid for pid, name in people.items()}
    if value.casefold() in by_name:
        pid = by_name[value.casefold()]
        return f"; did you mean {pid!r} ({people[pid]})?"
    close = difflib.get_close_matches(value, list(people), n=1, cutoff=0.6)
    if not close:
        close = [by_name[n] for n in difflib.get_close_matches(
            value.casefold(), list(by_name), n=1, cutoff=0.75)]
    return f"; did you mean {close[0]!r}?" if close else ""


@dataclass(slots=True)
class OrgChart:
    people: list[dict[str, Any]] = field(default_factory=list)
    teams: list[str] = field(default_factory=list)  # team ids, in the order first met
    ties: list[dict[str, Any]] = field(default_factory=list)
    team_names: dict[str, str] = field(default_factory=dict)  # team id -> name as written


Rows = list[tuple[int, dict[str, str]]]


def _read(path: Path, problems: list[Problem]) -> tuple[list[str], Rows]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(str(path), f"cannot read it: {exc.strerror}", kind="file"))
        return [], []
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")  # old Excel exports
    if not text.strip():
        problems.append(Problem(str(path), "the file is empty", kind="file"))
        return [], []
    for number, line in enumerate(text.split("\n"), 1):
        bad = find_unsafe(line.removesuffix("\r"))
        if bad is not None:
            problems.append(Problem(str(path), unsafe_message(line[bad]), "", number, bad + 1))
    first = text.splitlines()[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = list(reader)
    header = [h.strip().lower() for h in rows[0]]
    out = []
    for number, row in enumerate(rows[1:], 2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            problems.append(Problem(str(path), f"{len(row)} cells but the header has "
                                    f"{len(header)} columns", "", number))
            continue
        out.append((number, {h: (row[i].strip() if i < len(row) else "")
                             for i, h in enumerate(header)}))
    return header, out


def _unit(value: str, file: str, line: int, column: str,
          problems: list[Problem]) -> float | None:
    if value == "":
        return None
    try:
        number = float(value.replace(",", "."))
    except ValueError:
        problems.append(Problem(file, f"expected a number in [0, 1], got {value!r}",
                                column, line, None))
        return None
    if not 0.0 <= number <= 1.0:
        problems.append(Problem(file, f"{number} is outside [0, 1]", column, line, None))
        return None
    return number


def read_orgchart(people_csv: str | Path, ties_csv: str | Path | None = None) -> OrgChart:
    """Read and check an org chart; raises ScenarioError listing every bad row."""
    problems: list[Problem] = []
    path = Path(people_csv)
    header, rows = _read(path, problems)
    file = str(path)
    if header:
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            problems.append(Problem(file, f"missing column(s): {', '.join(missing)} (expected "
                                    f"{', '.join(REQUIRED)}; optional: {', '.join(OPTIONAL)})",
                                    "header", 1, None))
            raise ScenarioError(problems)
        unknown = [c for c in header if c not in REQUIRED + OPTIONAL]
        if unknown:
            problems.append(Problem(file, f"unknown column(s): {', '.join(unknown)} (known: "
                                    f"{', '.join(REQUIRED + OPTIONAL)})", "header", 1, None))
    chart = OrgChart()
    seen: dict[str, int] = {}
    for line, row in rows:
        pid = row.get("id", "")
        usable = True
        if not pid:
            problems.append(Problem(file, "is empty (every person needs an id)", "id", line))
            usable = False
        elif not is_id(pid):
            problems.append(Problem(file, f"{pid!r} is not a valid id (no spaces, no "
                                    "invisible characters and none of : * , # ' \")", "id",
                                    line))
            usable = False
        elif len(pid) > MAX_ID:
            problems.append(Problem(file, f"{pid[:20]!r}... is {len(pid)} characters long; an "
                                    f"id has at most {MAX_ID}", "id", line))
            usable = False
        elif pid in RESERVED:
            problems.append(Problem(file, f"{pid!r} is reserved; choose another id", "id",
                                    line))
            usable = False
        elif pid in seen:
            problems.append(Problem(file, f"{pid!r} is used twice (first at line {seen[pid]})",
                                    "id", line))
            usable = False
        else:
            seen[pid] = line
        # a team as people write it; its id is made from it once every row is read
        team = " ".join(row.get("team", "").split())
        if not team:
            problems.append(Problem(file, "is empty (every person belongs to a team)", "team",
                                    line))
            usable = False
        elif len(team) > MAX_NAME:
            problems.append(Problem(file, f"the name is {len(team)} characters long; at most "
                                    f"{MAX_NAME}", "team", line))
        name = row.get("name", "")
        if not name:
            problems.append(Problem(file, "is empty: write the name the trainee sees"
                                    f"{f' for {pid!r}' if pid else ''}", "name", line))
        elif len(name) > MAX_NAME:
            problems.append(Problem(file, f"the name is {len(name)} characters long; at most "
                                    f"{MAX_NAME}", "name", line))
        role = row.get("role", "").lower()
        if role and role not in ROLES:
            problems.append(Problem(file, f"{role!r} is not one of {', '.join(ROLES)}",
                                    "role", line))
        person: dict[str, Any] = {"id": pid, "name": name, "team": team,
                                  "role": role or None, "manager": row.get("manager") or None,
                                  "_line": line}
        for column in ("competence", "openness", "propensity", "trust_in_manager",
                       "manager_trust"):
            person[column] = _unit(row.get(column, ""), file, line, column, problems)
        if not usable:
            continue
        chart.people.append(person)
    names = {p["id"]: p["name"] for p in chart.people}
    ids = set(names)
    _team_ids(chart, taken=ids | RESERVED)
    for person in chart.people:
        manager = person["manager"]
        if manager and manager not in ids:
            problems.append(Problem(file, f"{manager!r} is nobody in the file (the column "
                                    f"holds the manager's id){suggest_person(manager, names)}",
                                    "manager", person["_line"]))
            person["manager"] = None
        elif manager == person["id"]:
            problems.append(Problem(file, "a person cannot be their own manager", "manager",
                                    person["_line"]))
            person["manager"] = None
    managers = {p["manager"] for p in chart.people if p["manager"]}
    for person in chart.people:
        if person["role"] is None:
            person["role"] = "manager" if person["id"] in managers else "employee"
    if ties_csv is not None:
        tpath = Path(ties_csv)
        theader, trows = _read(tpath, problems)
        tfile = str(tpath)
        if theader and not {"from", "to"} <= set(theader):
            problems.append(Problem(tfile, "expected columns from, to (and trust, strength, "
                                    "mutual)", "header", 1, None))
            trows = []
        for line, row in trows:
            a, b = row.get("from", ""), row.get("to", "")
            for column, who in (("from", a), ("to", b)):
                if not who:
                    problems.append(Problem(tfile, "is empty (a tie is between two people)",
                                            column, line))
                elif who not in ids:
                    problems.append(Problem(tfile, f"{who!r} is nobody in the people file"
                                            f"{suggest_person(who, names)}", column, line))
            if a == b and a:
                problems.append(Problem(tfile, "a tie from a person to themselves", "to", line))
            trust = _unit(row.get("trust", ""), tfile, line, "trust", problems)
            strength = _unit(row.get("strength", ""), tfile, line, "strength", problems)
            if trust is None and strength is None:
                problems.append(Problem(tfile, "a tie needs trust, strength or both", "trust",
                                        line))
            chart.ties.append({"from": a, "to": b, "trust": trust, "strength": strength,
                               "mutual": row.get("mutual", "").lower() in TRUTHY})
    if problems:
        problems.sort(key=lambda p: (p.file, p.line or 0))
        raise ScenarioError(problems)
    return chart


def _team_ids(chart: OrgChart, *, taken: set[str]) -> None:
    """Give every team an id made from its name (:func:`team_id`), unique among the teams
    and the people's ids (``-2``, ``-3`` when two names make the same id). Names that
    differ only in case are one team, named as first written."""
    by_name: dict[str, str] = {}
    for person in chart.people:
        name = person["team"]
        key = name.casefold()
        if key not in by_name:
            base = made = team_id(name)
            n = 2
            while made in taken:
                made, n = f"{base}-{n}", n + 1
            taken.add(made)
            by_name[key] = made
            chart.teams.append(made)
            chart.team_names[made] = name
        person["team"] = by_name[key]


def _q(text: str) -> str:
    """A YAML scalar that always reads back as the same text."""
    import json

    return json.dumps(text, ensure_ascii=False)


def orgchart_yaml(chart: OrgChart, *, title: str, player: str | None = None, turns: int = 10,
                  language: str = "en", capacity: int = 2) -> str:
    """The org chart as a scenario file that validates (objectives left to the trainer)."""
    reports = {p["manager"] for p in chart.people if p["manager"]}
    if player is None:
        # a first-line manager (whose reports manage nobody) with the most reports
        def count(pid: str) -> int:
            return sum(1 for q in chart.people if q["manager"] == pid)

        managers = [p["id"] for p in chart.people if p["id"] in reports]
        first_line = [m for m in managers
                      if not any(q["manager"] == m and q["id"] in reports
                                 for q in chart.people)]
        candidates = first_line or managers
        player = max(candidates, key=count) if candidates else chart.people[0]["id"]
    lines = ["# yaml-language-server: $schema=schema.json",
             "# Imported from an org chart by `trustsim import`. Write the brief, the",
             "# objectives and the events, then run `trustsim check` and `trustsim balance`.",
             "version: 1", f"title: {_q(title)}", f"language: {language}",
             "summary: \"\"", "brief: |", "  Describe the situation here.", "seed: 1",
             f"turns: {turns}", f"player: {player}", f"capacity: {capacity}", "", "teams:"]
    lines += [f"  - {{id: {t}, name: {_q(chart.team_names.get(t, t))}}}" for t in chart.teams]
    lines += ["", "people:"]
    for p in chart.people:
        fields = [f"id: {p['id']}", f"name: {_q(p['name'])}", f"role: {p['role']}",
                  f"team: {p['team']}"]
        if p["manager"]:
            fields.append(f"manager: {p['manager']}")
        traits = [f"{k}: {p[k]}" for k in ("competence", "openness", "propensity")
                  if p[k] is not None]
        if traits:
            fields.append("traits: {" + ", ".join(traits) + "}")
        lines.append("  - {" + ", ".join(fields) + "}")
    lines += ["", "relationships:", "  defaults:",
              "    within_team: {trust: 0.5, strength: 0.6}",
              "    cross_team: {trust: 0.4, strength: 0.15}",
              "    reporting: {trust: 0.5, strength: 0.8}", "  ties:"]
    tie_lines = []
    for p in chart.people:
        if p["manager"] and p["trust_in_manager"] is not None:
            tie_lines.append(f"    - {{from: {p['id']}, to: {p['manager']}, "
                             f"trust: {p['trust_in_manager']}}}")
        if p["manager"] and p["manager_trust"] is not None:
            tie_lines.append(f"    - {{from: {p['manager']}, to: {p['id']}, "
                             f"trust: {p['manager_trust']}}}")
    for tie in chart.ties:
        values = [f"{k}: {tie[k]}" for k in ("trust", "strength") if tie[k] is not None]
        ends = (f"mutual: [{tie['from']}, {tie['to']}]" if tie["mutual"]
                else f"from: {tie['from']}, to: {tie['to']}")
        tie_lines.append("    - {" + ", ".join([ends, *values]) + "}")
    if not tie_lines:
        lines[-1] = "  ties: []"
    lines += tie_lines
    lines += ["", "promises: []", "events: []", "objectives:",
              "  - id: team-trust", "    kind: trust_in_player",
              f"    who: {_player_team(chart, player)}", "    at_least: 0.6",
              "    text: Your team trusts you (0.60 or more) by the last turn",
              "", "debrief:", "  - What moved trust most, and why?", ""]
    return "\n".join(lines)


def _player_team(chart: OrgChart, player: str) -> str:
    reports: list[str] = [str(p["team"]) for p in chart.people if p["manager"] == player]
    if reports:
        return max(set(reports), key=reports.count)
    return str(next(p["team"] for p in chart.people if p["id"] == player))
