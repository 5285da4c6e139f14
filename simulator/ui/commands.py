"""Every user command of the game screen, declared once.

Each :class:`UICommand` holds its key, its footer label and help text (as catalogue keys)
and, for acts, the core act it starts. The footer bindings, the command palette and the
help screen are all generated from :data:`GAME_COMMANDS`, so they cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding

from ..i18n import Messages


@dataclass(frozen=True, slots=True)
class UICommand:
    id: str                  # the action name on the game screen
    key: str                 # Textual key name
    label: str               # catalogue key of the footer label
    help: str                # catalogue key of the help text
    act: str | None = None   # the core act it starts, if any
    show: bool = True        # shown in the footer
    key_display: str | None = None


def _act(act: str, key: str, show: bool = True) -> UICommand:
    return UICommand(f"act('{act}')", key, f"cmd.{act}", f"act.{act}.help", act, show)


# the acts' keys are shown beside them in the acts panel, so the footer keeps to the rest
GAME_COMMANDS: tuple[UICommand, ...] = (
    _act("quick_win", "w", show=False),
    _act("delegate", "d", show=False),
    _act("feedback", "f", show=False),
    _act("recognise", "r", show=False),
    _act("coach", "c", show=False),
    _act("connect", "n", show=False),
    _act("make_promise", "m", show=False),
    _act("keep_promise", "k", show=False),
    _act("break_promise", "b", show=False),
    _act("apologise", "a", show=False),
    UICommand("end_turn", "e", "cmd.end_turn", "cmd.end_turn.help"),
    UICommand("undo", "u", "cmd.undo", "cmd.undo.help"),
    UICommand("redo", "y", "cmd.redo", "cmd.redo.help", show=False),
    UICommand("details", "enter", "cmd.details", "cmd.details.help", show=False),
    UICommand("toggle_view", "v", "cmd.view", "cmd.view.help", show=False),
    UICommand("sort_people", "o", "cmd.sort", "cmd.sort.help"),  # shown with the table
    UICommand("trends", "t", "cmd.trends", "cmd.trends.help"),
    UICommand("log_older", "shift+up", "cmd.log_older", "cmd.log_older.help", show=False,
              key_display="shift+↑"),
    UICommand("log_newer", "shift+down", "cmd.log_newer", "cmd.log_newer.help", show=False,
              key_display="shift+↓"),
    UICommand("rewind", "g", "cmd.rewind", "cmd.rewind.help", show=False),
    UICommand("save", "s", "cmd.save", "cmd.save.help", show=False),
    UICommand("debrief", "x", "cmd.debrief", "cmd.debrief.help"),
    UICommand("help", "question_mark", "cmd.help", "cmd.help.help", key_display="?"),
    UICommand("app.toggle_dark", "ctrl+t", "cmd.theme", "cmd.theme.help", show=False),
    UICommand("quit_game", "q", "cmd.quit", "cmd.quit.help"),
)


def bindings(commands: tuple[UICommand, ...], t: Messages) -> list[Binding]:
    out = []
    for cmd in commands:
        display = cmd.key_display
        if display is None and cmd.key in ("enter", "space", "escape"):
            display = t(f"key.{cmd.key}")
        out.append(Binding(cmd.key, cmd.id, t(cmd.label), show=cmd.show,
                           key_display=display, tooltip=t(cmd.help),
                           id=cmd.id.replace("'", "").replace("(", "-").replace(")", "")))
    out.append(Binding("f1", "help", t("cmd.help"), show=False))
    return out


def key_label(cmd: UICommand) -> str:
    return cmd.key_display or {"question_mark": "?"}.get(cmd.key, cmd.key)
