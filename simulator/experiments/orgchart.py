"""Import an org chart (CSV) as a scenario file (``trustsim import``).

People CSV: one row per person with the columns ``id``, ``name``, ``team`` and optionally
``role`` (executive, manager, employee; people with reports default to manager),
``manager`` (the id of the person they report to), the traits ``competence``,
``openness``, ``propensity`` in [0, 1], and ``trust_in_manager`` / ``manager_trust``
(how much they trust their manager, and the manager them). Comma, semicolon and tab
separated files are recognised; a UTF-8 BOM (as Excel writes) is fine.

Ties CSV (optional): ``from``, ``to``, ``trust``, ``strength`` (either may be empty) and
optionally ``mutual`` (yes/no).

Every bad row is reported with its line number, all at once.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..scenario.errors import Problem, ScenarioError

REQUIRED = ("id", "name", "team")
OPTIONAL = ("role", "manager", "competence", "openness", "propensity", "trust_in_manager",
            "manager_trust")
ROLES = ("executive", "manager", "employee")
ID = re.compile(r"^[^\s:*,#'\"]+$")
TRUTHY = {"yes", "y", "true", "1", "ja", "x"}


@dataclass(slots=True)
class OrgChart:
    people: list[dict[str, Any]] = field(default_factory=list)
    teams: list[str] = field(default_factory=list)
    ties: list[dict[str, Any]] = field(default_factory=list)


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
        elif not ID.match(pid):
            problems.append(Problem(file, f"{pid!r} has spaces or one of : * , # ' \"", "id",
                                    line))
            usable = False
        elif pid in seen:
            problems.append(Problem(file, f"{pid!r} is used twice (first at line {seen[pid]})",
                                    "id", line))
            usable = False
        else:
            seen[pid] = line
        team = row.get("team", "")
        if not team or not ID.match(team):
            problems.append(Problem(file, f"{team!r} is empty or not a valid id", "team",
                                    line))
            usable = False
        role = row.get("role", "").lower()
        if role and role not in ROLES:
            problems.append(Problem(file, f"{role!r} is not one of {', '.join(ROLES)}",
                                    "role", line))
        person: dict[str, Any] = {"id": pid, "name": row.get("name") or pid, "team": team,
                                  "role": role or None, "manager": row.get("manager") or None,
                                  "_line": line}
        for column in ("competence", "openness", "propensity", "trust_in_manager",
                       "manager_trust"):
            person[column] = _unit(row.get(column, ""), file, line, column, problems)
        if not usable:
            continue
        chart.people.append(person)
        if team not in chart.teams:
            chart.teams.append(team)
    ids = {p["id"] for p in chart.people}
    for person in chart.people:
        manager = person["manager"]
        if manager and manager not in ids:
            problems.append(Problem(file, f"{manager!r} is not an id in this file",
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
            for who in (a, b):
                if who not in ids:
                    problems.append(Problem(tfile, f"{who!r} is not a person of the org chart",
                                            "from" if who == a else "to", line))
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
    lines += [f"  - {{id: {t}, name: {_q(t)}}}" for t in chart.teams]
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
