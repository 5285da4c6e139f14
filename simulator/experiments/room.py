"""A room of trainees, as the trainer sees it (``trustsim serve`` and ``trustsim room``).

``trustsim serve`` gives the room a folder of its own::

    rooms/20261202-140501/
        saves/seat-07-...-NAME.json  a trainee's autosave of one scenario (their game)
        status/seat-07-....json      what that trainee's session says of itself
        paused                       present while the trainer pauses the room
        report.md                    the debrief report of every session

Each session process writes only its own files (its status, a save per scenario played);
the trainer's view reads them and nothing else, so no trainee reaches another's game or
save. A status is small and made to
be read by the view at a glance: the scenario, the turn, each objective on track or not,
trust in the player, the last acts and when the last move was. The save is the game itself,
which the debrief report replays.

Nothing here imports Textual: the server, the terminal view and the tests share it.
"""

from __future__ import annotations

import glob
import json
import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..core.simulation import Simulation
from ..scenario.files import atomic_write_text
from ..scenario.text import safe_text
from .debrief import describe_command
from .narrate import Narrator

#: What a status file says it is, and its version.
STATUS_FORMAT = "trustsim-room-status"
STATUS_VERSION = 1
#: Acts a status lists (the newest last).
LAST_ACTS = 3

Stage = Literal["picking", "playing", "over"]


class ObjectiveView(BaseModel):
    """One objective as a trainee's session sees it."""

    model_config = ConfigDict(extra="ignore")

    text: str
    state: Literal["on_track", "at_risk", "met", "failed"]
    value: float | None = None
    target: float | None = None


class SessionStatus(BaseModel):
    """What one session writes of itself (``*.status.json``)."""

    model_config = ConfigDict(extra="ignore")

    format: Literal["trustsim-room-status"] = "trustsim-room-status"
    version: int = STATUS_VERSION
    seat: int = Field(ge=1)
    session: str
    name: str = ""  # what the trainee typed, if anything (see :func:`clean_name`)
    peer: str = ""
    joined_at: float
    moved_at: float
    stage: Stage = "picking"
    scenario: str | None = None
    language: str = "en"
    turn: int = 0
    turns: int = 0
    acts_left: int = 0
    objectives: list[ObjectiveView] = []
    trust_in_player: float | None = None
    last_acts: list[str] = []
    won: bool | None = None
    save: str | None = None  # the save's file name, in the same folder

    @property
    def on_track(self) -> int:
        return sum(1 for o in self.objectives if o.state in ("on_track", "met"))

    def idle(self, now: float | None = None) -> float:
        """Seconds since the trainee last moved (or joined)."""
        return max(0.0, (time.time() if now is None else now) - self.moved_at)


def game_status(game: Simulation, *, seat: int, session: str, peer: str, joined_at: float,
                moved_at: float, save: str | None, name: str = "") -> SessionStatus:
    """A session's status while it plays ``game``."""
    narrator = Narrator.for_game(game)
    acts = [c for c in game.log if c["do"] in ("act", "choose")][-LAST_ACTS:]
    turn_of = {id(c): 0 for c in acts}
    turn = 1
    for command in game.log:  # the turn each listed act was made in
        if command["do"] == "end_turn":
            turn += 1
        elif id(command) in turn_of:
            turn_of[id(command)] = turn
    last = [f"{turn_of[id(c)]}: {describe_command(c, narrator, game.world.promises)}"
            for c in acts]
    over = game.over
    return SessionStatus(
        seat=seat, session=session, name=name, peer=peer, joined_at=joined_at,
        moved_at=moved_at, stage="over" if over else "playing", scenario=game.setup.title,
        language=game.setup.language, turn=min(game.turn, game.turns), turns=game.turns,
        acts_left=0 if over else max(0, game.capacity_left),
        objectives=[ObjectiveView(text=o.text, state=o.state, value=o.value, target=o.target)
                    for o in game.objectives()],
        trust_in_player=float(game.history[-1]["trust_in_player"]),
        last_acts=last, won=bool(game.won) if over else None, save=save)


@dataclass(frozen=True, slots=True)
class Room:
    """A room's folder: the sessions' files, the pause switch, the report."""

    folder: Path

    @property
    def saves(self) -> Path:
        return self.folder / "saves"

    @property
    def status(self) -> Path:
        return self.folder / "status"

    @property
    def pause_file(self) -> Path:
        return self.folder / "paused"

    @property
    def report_file(self) -> Path:
        return self.folder / "report.md"

    @classmethod
    def create(cls, base: Path, name: str | None = None) -> Room:
        """A new room under ``base``, named after the time it opened."""
        stamp = name or time.strftime("%Y%m%d-%H%M%S")
        folder, n = base / stamp, 1
        while folder.exists():  # two rooms opened in the same second
            n += 1
            folder = base / f"{stamp}-{n}"
        for part in ("saves", "status"):
            (folder / part).mkdir(parents=True)
        return cls(folder)

    # -- sessions -----------------------------------------------------------------------

    def save_file(self, seat: int, session: str, scenario: str, game: int = 1) -> Path:
        """A session's save of its ``game``-th game of one scenario (``scenario``: a slug
        of its file name): a trainee who plays two scenarios, or one twice, keeps every
        game."""
        number = f".{game}" if game > 1 else ""
        return self.saves / f"seat-{seat:02d}-{session}-{scenario}{number}.json"

    def games_saved(self, seat: int, session: str, scenario: str) -> int:
        """How many games of ``scenario`` this session has saved (their numbers run on)."""
        first = self.save_file(seat, session, scenario).name[:-len(".json")]
        pattern = re.compile(re.escape(first) + r"(?:\.(\d+))?\.json")
        found = [int(m.group(1) or 1) for p in self.saves.glob(f"{glob.escape(first)}*.json")
                 if (m := pattern.fullmatch(p.name))] if self.saves.is_dir() else []
        return max(found, default=0)

    def status_file(self, seat: int, session: str) -> Path:
        return self.status / f"seat-{seat:02d}-{session}.json"

    def publish(self, status: SessionStatus) -> None:
        """Write a session's status (atomically: the view never reads half of one)."""
        atomic_write_text(self.status_file(status.seat, status.session),
                          status.model_dump_json() + "\n")

    def statuses(self) -> list[SessionStatus]:
        """Every session's last status, by seat; a file that cannot be read is skipped."""
        found = []
        for path in self._status_files():
            try:
                found.append(SessionStatus.model_validate_json(path.read_bytes()))
            except (OSError, ValidationError, ValueError):
                continue
        return sorted(found, key=lambda s: (s.seat, s.session))

    def _status_files(self) -> Iterator[Path]:
        if self.status.is_dir():
            yield from self.status.glob("*.json")

    # -- pause ----------------------------------------------------------------------------

    @property
    def paused(self) -> bool:
        return self.pause_file.exists()

    def pause_message(self) -> str | None:
        """The trainer's message while the room is paused (empty if none), else None."""
        try:
            return safe_text(self.pause_file.read_text(encoding="utf-8").strip())
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError):
            return ""

    def pause(self, message: str = "") -> None:
        atomic_write_text(self.pause_file, message.strip() + "\n")

    def resume(self) -> None:
        self.pause_file.unlink(missing_ok=True)

    # -- the report -------------------------------------------------------------------------

    def report(self) -> str:
        """The debrief report of every session, one section per scenario, written to
        ``report.md`` too. Sessions that have not started a game are counted, not shown."""
        return write_report(self)


#: a save's seat, from its file name
_SEAT = re.compile(r"seat-(\d+)-")


#: The longest name a trainee may give.
NAME_LENGTH = 40


def clean_name(text: str) -> str:
    """A trainee's name as the room shows it: one line, no control characters, no ``|``
    (it goes into the report's tables), at most :data:`NAME_LENGTH` characters."""
    text = "".join(c for c in text if c.isprintable()).replace("|", "/")
    return " ".join(text.split())[:NAME_LENGTH].strip()


def _md(text: str) -> str:
    """``text`` as Markdown shows it: every punctuation Markdown reads escaped (a name like
    ``*Dana*`` or ``<b>x</b>`` is shown as typed, in any viewer)."""
    return re.sub(r"([\\`*_{}\[\]<>()#+!|~-])", r"\\\1", text)


def report_html(text: str) -> str:
    """The report (Markdown) as a page of its own, for the room view's browser: raw HTML
    in it is shown as text, never run."""
    from html import escape

    from markdown_it import MarkdownIt

    body = MarkdownIt("js-default").render(text)
    return REPORT_PAGE.format(title=escape(text.splitlines()[0].lstrip("# ") if text else ""),
                              body=body)


REPORT_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
  body {{ font-family: system-ui, sans-serif; max-width: 72em; margin: 1.5em auto;
         padding: 0 1em; color: #222; line-height: 1.4; }}
  table {{ border-collapse: collapse; margin: .5em 0 1.2em; }}
  th, td {{ border: 1px solid #ccc; padding: .3em .6em; vertical-align: top; }}
  th {{ background: #f3f3f3; }}
  h1 {{ font-size: 1.5em; }} h2 {{ font-size: 1.2em; margin-top: 1.5em; }}
  .md {{ float: right; font-size: .9em; }}
</style></head>
<body><a class="md" href="" id="md">the same as Markdown</a>
{body}
<script>
document.getElementById("md").href = "/room/report" + location.search;
</script>
</body></html>
"""


def seat_name(seat: int, name: str = "") -> str:
    """``Seat 7``, or ``Seat 7 · Dana`` when the trainee gave a name."""
    return f"Seat {seat}" + (f" · {clean_name(name)}" if clean_name(name) else "")


def write_report(room: Room) -> str:
    """See :meth:`Room.report`."""
    from ..scenario import SaveError
    from ..scenario.game import Game
    from .compare import Session, compare_markdown

    statuses = room.statuses()
    groups: dict[str, list[Session]] = {}
    unreadable: list[str] = []
    played: set[int] = set()
    broken: set[int] = set()  # seats whose save cannot be read (named as such)
    names = {s.seat: s.name for s in statuses}
    for save in sorted(room.saves.glob("seat-*.json")) if room.saves.is_dir() else []:
        seat = _SEAT.match(save.name)
        name = _md(seat_name(int(seat.group(1)), names.get(int(seat.group(1)), "")) if seat
                   else safe_text(save.stem))
        try:
            game = Game.load(save, undo=False)
        except (SaveError, OSError) as exc:
            unreadable.append(f"{name}: {safe_text(str(exc))}")
            if seat:
                broken.add(int(seat.group(1)))
            continue
        if not game.log:
            continue
        if seat:
            played.add(int(seat.group(1)))
        group = groups.setdefault(f"{game.setup.title}\0{game.scenario.sha256}", [])
        same = sum(1 for s in group if s.name == name or s.name.startswith(f"{name} ("))
        group.append(Session(f"{name} ({same + 1})" if same else name, game))
    waiting = sum(1 for s in statuses if s.seat not in played | broken)
    lines = [f"# The room, {time.strftime('%Y-%m-%d %H:%M')}", "",
             f"{len(statuses)} session{'s' if len(statuses) != 1 else ''} joined; "
             f"{len(played)} played a scenario"
             + (f", {waiting} did not start one" if waiting else "") + ".", ""]
    if unreadable:
        lines += ["Saves that could not be read:", ""] + [f"- {u}" for u in unreadable] + [""]
    text = "\n".join(lines)
    for sessions in groups.values():
        text += "\n" + compare_markdown(sessions)
    atomic_write_text(room.report_file, text)
    return text


def status_rows(statuses: list[SessionStatus], now: float | None = None
                ) -> list[dict[str, Any]]:
    """The view's rows, as JSON (the web page and ``trustsim room`` show the same)."""
    now = time.time() if now is None else now
    rows = []
    for s in statuses:
        data = s.model_dump(mode="json")
        data["idle"] = round(s.idle(now), 1)
        data["on_track"] = s.on_track
        rows.append(data)
    return rows


def idle_words(seconds: float) -> str:
    """``42 s``, ``3 min``, ``1 h 05``."""
    if seconds < 60:
        return f"{int(seconds)} s"
    if seconds < 3600:
        return f"{int(seconds // 60)} min"
    return f"{int(seconds // 3600)} h {int(seconds % 3600 // 60):02d}"


def room_link_path(state: Path) -> Path:
    """Where ``trustsim serve`` tells ``trustsim room`` (same user, same machine) its
    address and token."""
    return state / "room.json"


def write_room_link(state: Path, url: str, token: str, folder: Path) -> Path:
    path = room_link_path(state)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"url": url, "token": token, "folder": str(folder),
                       "pid": os.getpid()}) + "\n"
    atomic_write_text(path, text)
    os.chmod(path, 0o600)  # the token is the trainer's
    return path


def read_room_link(state: Path) -> dict[str, str] | None:
    """The running room's address and token, if ``trustsim serve`` left them here."""
    try:
        data = json.loads(room_link_path(state).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not all(isinstance(data.get(k), str)
                                             for k in ("url", "token")):
        return None
    return {"url": data["url"], "token": data["token"]}


__all__ = ["Room", "SessionStatus", "game_status", "idle_words", "read_room_link",
           "status_rows", "write_room_link"]
