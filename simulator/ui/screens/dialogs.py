"""Modal screens: pick a target, read an end-of-turn report, answer a dilemma, see details."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Label, OptionList, Static
from textual.widgets.option_list import Option

from ...core.records import EventFired, PromiseChanged, TurnReport
from ...experiments.narrate import MARK, Narrator, paragraphs
from ...i18n import Messages
from ..commands import GAME_COMMANDS, key_label
from ..focus import dismiss_once, focus_first
from ..widgets import LEVELS, fmt, trust_text


class TurnScreen(ModalScreen[None]):
    """What the end of a turn did: promises that broke, events, objectives."""

    BINDINGS = [Binding("escape,enter", "close", "Continue", show=False)]

    def __init__(self, report: TurnReport, narrator: Narrator) -> None:
        super().__init__()
        self.report = report
        self.narrator = narrator

    def compose(self) -> ComposeResult:
        t = self.narrator.t
        body = Text()
        for record in self.report.other:
            if isinstance(record, PromiseChanged) and record.promise.status == "broken":
                body.append("✗ " + t("turn.promises_broke", what=record.promise.what,
                                     to=self.narrator.name(record.promise.to)) + "\n",
                            style="bold red")
        for event in self.report.events:
            if not event.is_dilemma:
                body.append(f"• {event.title}\n", style="bold")
                if event.text:
                    body.append(paragraphs(event.text) + "\n")
        # the biggest first, as in the log: who was told directly, then who heard it
        changes = self.narrator.ranked(self.report.changes)
        for change in changes[:6]:
            body.append("  " + self.narrator.trust_change(change) + "\n")
        if len(changes) > 6:
            body.append("  " + t("change.more", count=len(changes) - 6) + "\n", style="dim")
        if self.report.drift is not None:
            d = self.report.drift
            body.append(t("log.drift", within=t.num(d.mean_within_change, "+.3f"),
                          across=t.num(d.mean_cross_change, "+.3f"),
                          count=d.ties_weakened) + "\n", style="dim")
        body.append("\n")
        for status in self.report.objectives:
            body.append(f"{MARK[status.state]} {self.narrator.objective(status)}\n")
        with Vertical(classes="dialog"):
            yield Label(t("turn.title", turn=self.report.turn), classes="dialog-title")
            with VerticalScroll(classes="dialog-body"):
                yield Static(body)
            with Horizontal(classes="buttons"):
                yield Button(t("turn.continue"), id="continue", variant="primary")

    def on_mount(self) -> None:
        focus_first(self, "#continue")

    @on(Button.Pressed, "#continue")
    def action_close(self) -> None:
        dismiss_once(self, None)


class DilemmaScreen(ModalScreen[str]):
    """A decision the player must take before the next turn. Returns the option id."""

    def __init__(self, event: EventFired, t: Messages) -> None:
        super().__init__()
        self.event = event
        self.t = t

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.event.title, classes="dialog-title")
            with VerticalScroll(classes="dialog-body"):
                yield Static(paragraphs(self.event.text))
            yield OptionList(*[Option(f"{i}. {label}", id=option_id) for i, (option_id, label)
                               in enumerate(self.event.options, 1)], id="options")
            yield Label(self.t("dilemma.hint", last=len(self.event.options)), classes="hint")

    def on_mount(self) -> None:
        focus_first(self, "#options")
        # nothing is chosen by a stray enter (the one closing the turn's report, pressed
        # twice): a digit chooses, or the arrows pick an option and enter confirms it
        for options in self.query("#options").results(OptionList):
            options.highlighted = None

    def on_key(self, event: Any) -> None:
        if event.character and event.character.isdigit():
            index = int(event.character) - 1
            if 0 <= index < len(self.event.options):
                dismiss_once(self, self.event.options[index][0])

    @on(OptionList.OptionSelected, "#options")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            dismiss_once(self, event.option.id)


class MessageScreen(ModalScreen[None]):
    """A title, some text and a button."""

    BINDINGS = [Binding("escape,enter", "close", "Close", show=False)]

    def __init__(self, title: str, body: str | Text, button: str) -> None:
        super().__init__()
        self.title_text, self.body, self.button = title, body, button

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            with VerticalScroll(classes="dialog-body"):
                yield Static(self.body)
            with Horizontal(classes="buttons"):
                yield Button(self.button, id="close", variant="primary")

    def on_mount(self) -> None:
        focus_first(self, "#close")

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        dismiss_once(self, None)


class ConfirmScreen(ModalScreen[bool]):
    BINDINGS = [Binding("escape", "no", "No", show=False)]

    def __init__(self, title: str, body: str, yes: str, no: str) -> None:
        super().__init__()
        self.title_text, self.body, self.yes, self.no = title, body, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield Static(self.body, classes="dialog-body")
            with Horizontal(classes="buttons"):
                # enter presses the focused button (the first); esc is always "no"
                yield Button(f"{self.yes} (enter)", id="yes", variant="primary")
                yield Button(f"{self.no} (esc)", id="no")

    def on_mount(self) -> None:
        focus_first(self, "#yes")

    @on(Button.Pressed, "#yes")
    def action_yes(self) -> None:
        dismiss_once(self, True)

    @on(Button.Pressed, "#no")
    def action_no(self) -> None:
        dismiss_once(self, False)


class EndTurnScreen(ModalScreen[str]):
    """Ending a turn with acts left: "end" (enter), "keep" playing (esc), or "always" end
    without asking from now on (n). The setting comes back on from the command palette."""

    BINDINGS = [Binding("escape", "keep", "Keep playing", show=False),
                Binding("n", "always", "Don't ask again", show=False)]

    def __init__(self, left: int, t: Messages) -> None:
        super().__init__()
        self.left, self.t = left, t

    def compose(self) -> ComposeResult:
        t = self.t
        with Vertical(classes="dialog"):
            yield Label(t("end_turn.title"), classes="dialog-title")
            yield Static(t("end_turn.body", count=self.left), classes="dialog-body")
            with Horizontal(classes="buttons"):
                yield Button(f"{t('end_turn.yes')} (enter)", id="end", variant="primary")
                yield Button(f"{t('end_turn.no')} (esc)", id="keep")
            yield Label(t("end_turn.always"), classes="hint")

    def on_mount(self) -> None:
        focus_first(self, "#end")

    @on(Button.Pressed, "#end")
    def action_end(self) -> None:
        dismiss_once(self, "end")

    @on(Button.Pressed, "#keep")
    def action_keep(self) -> None:
        dismiss_once(self, "keep")

    def action_always(self) -> None:
        dismiss_once(self, "always")


class PersonScreen(ModalScreen[None]):
    """One person: who trusts them, whom they trust, traits, open promises."""

    BINDINGS = [Binding("escape,enter", "close", "Close", show=False)]

    def __init__(self, game: Any, pid: str, narrator: Narrator) -> None:
        super().__init__()
        self.game, self.pid, self.narrator = game, pid, narrator

    def compose(self) -> ComposeResult:
        game, t, w = self.game, self.narrator.t, self.game.world
        i = w.index[self.pid]
        name = w.names[i]
        head = Text()
        head.append(t("person.line", role=t(f"role.{w.roles[i]}"),
                      team=w.team_names[int(w.team[i])]) + "\n")
        if int(w.manager[i]) >= 0:
            manager = w.ids[int(w.manager[i])]
            head.append(t("person.reports_to", name=t("game.you_object")
                          if manager == self.narrator.player else self.narrator.name(manager))
                        + "\n")
        description = game.setup.descriptions().get(self.pid)
        if description:  # the scenario's own words about them
            head.append(paragraphs(description).strip() + "\n", style="italic")
        if self.pid != self.narrator.player:
            # the three bases of this person's trust in the player (Mayer et al. 1995)
            bases = game.bases(self.pid, "player")
            head.append(f"\n{t('person.bases', name=name)}: ", style="bold")
            head.append(t("person.bases.line", **{
                base: f"{t(f'base.{base}')} {t.num(value)}"
                for base, value in bases._asdict().items()}))
            e = w.eid(i, game.player)
            if e is not None and float(w.scar[e]) >= 0.05:
                head.append("\n" + t("person.scar", scar=t.num(float(w.scar[e]))))
        head.append(f"\n{t('person.traits')}: ", style="bold")
        head.append(", ".join(f"{t(f'person.trait.{trait}')} {t.num(getattr(w, trait)[i])}"
                              for trait in ("competence", "openness", "propensity")))
        promises = [p for p in game.promises("open") if self.pid in (p.by, p.to)]
        head.append(f"\n{t('person.promises')}: ", style="bold")
        head.append("; ".join(t("game.promise_row", what=p.what, to=self.narrator.name(p.to),
                                due=p.due) for p in promises) or t("person.none"))
        trusted_by: DataTable[Any] = DataTable(id="trusted-by", cursor_type="none",
                                               show_header=False)
        trusts: DataTable[Any] = DataTable(id="trusts", cursor_type="none", show_header=False)
        with Vertical(classes="dialog wide"):
            yield Label(t("person.title", name=name), classes="dialog-title")
            yield Static(head)
            with Horizontal(classes="two-columns"):
                with Vertical():
                    yield Label(t("person.trusted_by", name=name), classes="section")
                    yield trusted_by
                with Vertical():
                    yield Label(t("person.trusts", name=name), classes="section")
                    yield trusts
            with Horizontal(classes="buttons"):
                yield Button(t("person.close"), id="close")

    def on_mount(self) -> None:
        if not self.query(DataTable):  # dismissed (a fast key) before it was mounted
            return
        w = self.game.world
        i = w.index[self.pid]
        incoming = sorted(((w.ids[o], float(w.trust[e])) for o, e in w.adjacency.listeners(i)),
                          key=lambda x: -x[1])
        outgoing = sorted(((w.ids[b], float(w.trust[e])) for b, e in w.adjacency.out_edges(i)),
                          key=lambda x: -x[1])
        for table, rows in ((self.query_one("#trusted-by", DataTable), incoming),
                            (self.query_one("#trusts", DataTable), outgoing)):
            table.add_columns("name", "trust")
            for pid, value in rows[:30]:
                table.add_row(self.narrator.name(pid), trust_text(value, self.narrator.t))
        focus_first(self, "#close")

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        dismiss_once(self, None)


class HelpScreen(ModalScreen[None]):
    """Every key of the game, generated from the one command registry."""

    BINDINGS = [Binding("escape,question_mark,f1,q", "close", "Close", show=False)]

    def __init__(self, t: Messages, *, picker: bool = False) -> None:
        super().__init__()
        self.t, self.picker = t, picker

    def compose(self) -> ComposeResult:
        from rich.table import Table

        t = self.t
        table = Table(box=None, expand=True, show_edge=False, pad_edge=False)
        table.add_column(t("help.key"), style="bold", no_wrap=True)
        table.add_column(t("help.command"), no_wrap=True)
        table.add_column(t("help.what"), ratio=1)
        if self.picker:  # the scenario list: its own few keys
            table.add_row("↑↓", t("help.map"), t("help.picker.move"))
            table.add_row(t("key.enter"), t("help.picker.open_label"), t("help.picker.open"))
            table.add_row("q", t("cmd.quit"), t("help.picker.quit"))
            table.add_row("?", t("cmd.help"), t("help.picker.game"))
        else:
            from ...core.acts import ACTS

            for cmd in GAME_COMMANDS:
                label = t(f"act.{cmd.act}") if cmd.act else t(cmd.label)
                what = t(cmd.help)
                if cmd.act and ACTS[cmd.act].bases:
                    # which bases of trust the act moves (Mayer et al. 1995)
                    what += " " + t("help.bases", bases=", ".join(
                        t(f"base.{b}") for b in ACTS[cmd.act].bases))
                table.add_row(key_label(cmd), label, what)
            table.add_row("↑↓ ←→", t("help.map"), t("help.map.help"))
            table.add_row(t("key.space"), t("help.fold"), t("help.fold.help"))
            table.add_row(t("help.type"), t("help.filter"), t("help.filter.help"))
            table.add_row("f1", t("cmd.help"), t("cmd.help.help"))
            table.add_row("ctrl+p", t("help.palette"), t("help.palette.help"))
            # what the map's symbols mean, from the same bands the map draws
            bands = [t("help.band_under", symbol=symbol, limit=t.num(limit))
                     for limit, symbol, _ in LEVELS[:-1]]
            bands.append(t("help.band_from", symbol=LEVELS[-1][1], limit=t.num(LEVELS[-2][0])))
            table.add_row("○ ◑ ●", t("help.symbols"),
                          t("help.symbols.trust", bands=", ".join(bands)))
            table.add_row("▲ ◆ ★", t("help.symbols"), t("help.symbols.moved"))
        with Vertical(classes="dialog wide"):
            yield Label(t("help.title"), classes="dialog-title")
            with VerticalScroll(classes="dialog-body", id="keys"):
                yield Static(table)
            yield Label(t("help.close"), classes="hint")

    def on_mount(self) -> None:
        focus_first(self, "#keys")

    def action_close(self) -> None:
        dismiss_once(self, None)


__all__ = ["ConfirmScreen", "DilemmaScreen", "EndTurnScreen", "HelpScreen", "MessageScreen",
           "PersonScreen", "TurnScreen", "fmt"]
