"""Scripted play: a text file of acts, one per line, driven through the core headlessly.

Format, one command a line (``#`` starts a comment)::

    quick_win ben              # a person or a team
    delegate cas
    feedback eli
    break_promise p1           # keep_promise p1
    make_promise ben due=4 what="a day off"
    connect ben eli            # two people from different teams
    end_turn
    choose budget protect_team # answer a dilemma

Arguments may also be given as ``key=value`` (``actor=dan``, ``target=ben``).
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from typing import Any

from ..core.acts import ACTS
from ..core.errors import ActNotAllowed
from ..core.simulation import Command, Result, Simulation
from ..scenario.text import find_unsafe, safe_lines, safe_text, what_is_wrong

KEYS = ("target", "other", "promise", "what", "due", "actor")


class ScriptError(Exception):
    """A line of an acts file that cannot be read or played."""

    def __init__(self, file: str, line: int, message: str, col: int | None = None) -> None:
        file, message = safe_text(file), safe_lines(message)  # printed as they are
        where = f"{file}:{line}" + (f":{col}" if col is not None else "")
        super().__init__(f"{where}: {message}")
        self.file, self.line, self.col, self.message = file, line, col, message


@dataclass(frozen=True, slots=True)
class Step:
    line: int | None
    command: Command
    result: Result
    automatic: bool = False


def parse_command(text: str, *, file: str = "<acts>", line: int = 0) -> Command | None:
    """One line of an acts file as a command dict, or ``None`` for blank/comment lines."""
    try:
        tokens = shlex.split(text, comments=True)
    except ValueError as exc:
        raise ScriptError(file, line, f"cannot read this line: {exc}") from None
    if not tokens:
        return None
    head, rest = tokens[0], tokens[1:]
    if head in ("end_turn", "end"):
        if rest:
            raise ScriptError(file, line, "end_turn takes no arguments")
        return {"do": "end_turn"}
    if head == "choose":
        if len(rest) != 2:
            raise ScriptError(file, line, "expected `choose EVENT OPTION`")
        return {"do": "choose", "event": rest[0], "option": rest[1]}
    spec = ACTS.get(head)
    if spec is None:
        known = ", ".join([*sorted(ACTS), "end_turn", "choose"])
        raise ScriptError(file, line, f"unknown act {head!r} (known: {known})")
    positional = {
        "person": ["target"], "report": ["target"], "person_or_team": ["target"],
        "own_promise": ["promise"], "promise": ["promise"], "pair": ["target", "other"],
        "wronged": ["target"],
    }[spec.target]
    if head == "make_promise":
        positional = ["target", "due", "what"]
    cmd: Command = {"do": "act", "act": head}
    slots = iter(positional)
    for token in rest:
        if "=" in token:
            key, _, value = token.partition("=")
            if key not in KEYS:
                raise ScriptError(file, line, f"unknown argument {key!r} (known: "
                                  f"{', '.join(KEYS)})")
        else:
            key = next(slots, "")
            value = token
            if not key:
                raise ScriptError(file, line, f"too many arguments for {head}")
        if key == "due":
            try:
                cmd[key] = int(value)
            except ValueError:
                raise ScriptError(file, line, f"due must be a turn number, got {value!r}") \
                    from None
        else:
            cmd[key] = value
    return cmd


def parse_script(text: str, file: str = "<acts>") -> list[tuple[int, Command]]:
    """Every command of an acts file with its line number; all errors at once.

    A control or bidirectional character anywhere in a line is refused with its line and
    column (lines are split at newlines only: a vertical tab or a form feed is no line
    break here but a character the line may not hold)."""
    commands: list[tuple[int, Command]] = []
    errors: list[str] = []
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for number, raw in enumerate(lines, 1):
        raw = raw.removesuffix("\r")
        bad = find_unsafe(raw)
        if bad is not None:
            errors.append(str(ScriptError(file, number, f"the line contains "
                                          f"{what_is_wrong(raw[bad])}: remove it", bad + 1)))
            continue
        try:
            cmd = parse_command(raw, file=file, line=number)
        except ScriptError as exc:
            errors.append(str(exc))
            continue
        if cmd is not None:
            commands.append((number, cmd))
    if errors:
        raise ScriptError(file, 0, "\n".join(errors))
    return commands


def play(game: Simulation, commands: list[tuple[int, Command]], *, file: str = "<acts>",
         finish: bool = True) -> list[Step]:
    """Play ``commands``; with ``finish``, end the remaining turns doing nothing else.

    While finishing, a pending dilemma is answered with its first option (``automatic``).
    """
    steps: list[Step] = []
    for number, cmd in commands:
        if game.over:
            raise ScriptError(file, number, "the game is already over")
        try:
            steps.append(Step(number, cmd, game.execute(cmd)))
        except ActNotAllowed as exc:
            raise ScriptError(file, number, f"{describe(cmd)}: {exc.reason}") from None
    if finish:
        steps += finish_game(game)
    return steps


def finish_game(game: Simulation) -> list[Step]:
    steps: list[Step] = []
    while not game.over:
        if game.pending:
            event = game._event_setups[game.pending[0]]
            cmd: Command = {"do": "choose", "event": event.id, "option": event.options[0].id}
        else:
            cmd = {"do": "end_turn"}
        steps.append(Step(None, cmd, game.execute(cmd), automatic=True))
    return steps


def describe(cmd: Command) -> str:
    if cmd["do"] == "end_turn":
        return "end_turn"
    if cmd["do"] == "choose":
        return f"choose {cmd['event']} {cmd['option']}"
    args: list[Any] = [cmd.get(k) for k in ("target", "other", "promise") if cmd.get(k)]
    extra = [f"{k}={cmd[k]}" for k in ("due", "what", "actor") if cmd.get(k) is not None]
    return " ".join(str(x) for x in [cmd["act"], *args, *extra])
