"""The game screen: the organisation, the acts, the objectives and the explained log."""

from __future__ import annotations

import gc
import json
import threading
from collections.abc import Callable, Coroutine
from functools import cache, partial
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import DataTable, Label, Static

from ...core.acts import ACTS
from ...core.errors import ActNotAllowed
from ...core.records import ActResult, ChoiceResult, TurnReport
from ...experiments.narrate import Narrator, paragraphs
from ...i18n import Messages
from ...scenario.errors import SaveError
from ...scenario.files import atomic_write_text
from ...scenario.game import Game
from ...scenario.model import Scenario
from .. import roomlink, storage
from ..commands import GAME_COMMANDS, bindings
from ..footer import CalmFooter
from ..widgets import ActsPanel, ObjectivesPanel, OrgMap, PeopleTable, trust_text
from ..widgets.choices import ChoiceList
from ..widgets.log import EventLog
from .dialogs import DilemmaScreen, EndTurnScreen, HelpScreen, PersonScreen, TurnScreen

#: The game's commands by their key (a dimmed key says why it does nothing).
_COMMAND_KEYS = {cmd.key: cmd for cmd in GAME_COMMANDS}

#: The commands dimmed while a target is chosen in the acts panel (their keys type there).
_WAIT_WHILE_PICKING = frozenset(
    cmd.id.split("(")[0] for cmd in GAME_COMMANDS
    if cmd.id not in ("help", "app.toggle_dark", "details", "log_older", "log_newer"))


class GameScreen(Screen[None]):
    """Play one game. Built per language by :func:`game_screen` (the key labels differ)."""

    BINDINGS: ClassVar[list[BindingType]] = []
    # the app's breakpoints (-narrow, -wide, -tall) size the side panel and the log

    def __init__(self, game: Game, t: Messages, *, save_path: Path | None = None) -> None:
        super().__init__()
        self.game = game
        self.t = t
        self.narrator = Narrator.for_game(game, t.language)
        self.save_path = save_path or storage.autosave_path(game.scenario.path)
        self.branches: list[list[dict[str, Any]]] = []
        self.highlight: set[str] = set()
        self.deltas: dict[str, float] = {}
        self._bindings_signature: object = None
        self._save_seq = 0
        self._saved_seq = 0
        self._save_lock = threading.Lock()
        self._pick_owner: object | None = None
        self._acts: ActsPanel | None = None  # set on mount
        self._collector = CalmCollector()
        # what each act can do now: read by check_action for every key binding on every
        # refresh, so computed once per change of the game (in refresh_state)
        self._availability = game.availability()

    # -- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="status")
        with Horizontal(id="main"):
            with Vertical(id="left"):
                org_map, table = OrgMap(id="map"), PeopleTable(id="people", classes="hidden")
                table.border_title = self.t("game.people")
                yield org_map
                yield table
            with Vertical(id="side"):
                yield Label(self.t("game.acts"), classes="section", id="acts-label")
                yield ActsPanel(self.t, id="acts")
                yield Label(self.t("game.objectives"), classes="section")
                yield ObjectivesPanel(id="objectives")
        yield EventLog(id="log")
        yield CalmFooter(show_command_palette=False)

    def on_mount(self) -> None:
        if not self.query(OrgMap):  # left again (a fast key) before it was mounted
            return
        self._acts = self.query_one(ActsPanel)
        org_map = self.query_one(OrgMap)
        org_map.build(self.game, self.narrator)
        self.query_one(PeopleTable).build(self.game, self.narrator)
        org_map.focus()
        game = self.game
        if game.log:  # a resumed game: where it stands, not "the game begins"
            self.write(Text(self.t("game.resumed", turn=game.turn, count=sum(
                c["do"] == "act" for c in game.log)), style="italic"))
        else:
            self.write(Text(self.t("game.started"), style="italic"))
        self.refresh_state()
        if storage.ROOM is not None:  # the trainer's view: this seat now plays this game
            roomlink.publish(roomlink.game_status(game, self.save_path, moved=False))
        self.call_after_refresh(self._collector.start)

    def on_unmount(self) -> None:
        self._collector.stop()

    # -- rendering -------------------------------------------------------------------------

    def write(self, line: Text | str) -> None:
        self.query_one(EventLog).write(line)

    def status_line(self, width: int) -> Text:
        """The status line, fitted to ``width`` columns: a waiting decision is named when
        there is room for its title, and said without it otherwise; a long scenario title
        is shortened last."""
        game, t = self.game, self.t
        state = Text()
        if game.over:
            state.append(f"  {t('game.over')}", style="bold")
        else:
            state.append(f"  {t('game.turn', turn=game.turn, turns=game.turns)}")
            left, total = game.capacity_left, game.turn_capacity
            state.append("  " + "●" * left + "○" * max(0, total - left) + " ")
            state.append(t("game.acts_left", left=left, capacity=total))
        title = f" {game.setup.title} "
        if game.pending:
            event = game._event_setups[game.pending[0]].title
            waiting = "  " + t("game.dilemma_waiting", title=event)
            if len(title) + state.cell_len + len(waiting) > width:
                waiting = "  " + t("game.dilemma_waiting_short")
            state.append(waiting, style="bold yellow")
        room = max(8, width - state.cell_len)
        if len(title) > room:
            title = title[: room - 2] + "… "
        status = Text()
        status.append(title, style="bold reverse")
        status.append_text(state)
        return status

    def _show_status(self) -> None:
        width = self.size.width or self.app.size.width
        self.query_one("#status", Static).update(self.status_line(width), layout=False)

    def on_resize(self) -> None:
        if self.query("#status"):
            self._show_status()

    def refresh_state(self) -> None:
        game, t = self.game, self.t
        self._show_status()
        self._availability = game.availability()
        availability = {name: self._why(why) for name, why in self._availability.items()}
        self.query_one(ActsPanel).show(availability, t)
        self.query_one(ObjectivesPanel).show(game, self.narrator)
        self.query_one(OrgMap).refresh_labels(game, self.narrator, self.highlight, self.deltas)
        table = self.query_one(PeopleTable)
        if table.display:
            table.refresh_rows(game, self.narrator, self.deltas)
        # bindings are refreshed (keys dimmed or not) only when what they show changed; while
        # a target is chosen the other keys are dimmed anyway, and the choice's end
        # refreshes them
        if not self.picking:
            self._refresh_availability_keys()

    def _refresh_availability_keys(self) -> None:
        """Refresh the keys' dimmed states when what check_action answers has changed."""
        game = self.game
        signature = (tuple(sorted((k, v is None) for k, v in self._availability.items())),
                     game.can_undo, game.can_redo, game.over, bool(game.pending),
                     game.turn > 1, self.picking)
        if signature != self._bindings_signature:
            self._bindings_signature = signature
            self.refresh_bindings()

    def _why(self, why: tuple[str, str] | None) -> str | None:
        if why is None:
            return None
        code, reason = why
        return self.t(f"why.{code}") if self.t.has(f"why.{code}") else reason

    def show_result(self, result: ActResult | ChoiceResult | TurnReport) -> None:
        narrator = self.narrator
        if isinstance(result, ActResult):
            self.write(Text(narrator.act_line(result), style="bold"))
        elif isinstance(result, ChoiceResult):
            label = narrator.options.get((result.event, result.option), result.option)
            self.write(Text(self.t("log.choice", option=label), style="bold"))
        else:
            self.write(Text(self.t("log.end_turn", turn=result.turn), style="bold underline"))
        changes = [c for c in result.changes if c.cause.kind != "drift"]
        shown = narrator.ranked(changes)
        # the whole story in view: the act's own line must not scroll away
        other = narrator.others(result.other)
        drift = isinstance(result, TurnReport) and result.drift is not None
        room = max(4, self.query_one(EventLog).content_size.height or 6)
        budget = max(2, room - 2 - len(other) - drift)
        direct = [c for c in shown if c.direct][:budget]
        visible = [c for c in shown if not c.direct]
        heard = visible[: max(0, budget - len(direct))]
        if len(changes) == len(direct) + len(heard) + 1 and len(visible) > len(heard):
            heard = visible[: len(heard) + 1]  # one more line instead of "... and 1 more"
        for change in direct + heard:
            style = "green" if change.delta > 0 else "red"
            line = Text("  ")
            line.append(narrator.trust_change(change), style=style if change.direct else "")
            self.write(line)
        for told in other:
            self.write(Text("  " + told, style="italic"))
        if isinstance(result, TurnReport) and result.drift is not None:
            d = result.drift
            self.write(Text("  " + self.t("log.drift",
                                          within=self.t.num(d.mean_within_change, "+.3f"),
                                          across=self.t.num(d.mean_cross_change, "+.3f"),
                                          count=d.ties_weakened), style="dim"))
        # last: the trust changes not listed ("... and 8 smaller changes")
        hidden = len(changes) - len(direct) - len(heard)
        if hidden > 0:
            more = self.t("change.more_one") if hidden == 1 else \
                self.t("change.more", count=hidden)
            self.write(Text("  " + more, style="dim"))
        # highlight who moved
        self.deltas = {}
        for change in result.changes:
            if change.trustee == self.game.player_id:
                self.deltas[change.truster] = self.deltas.get(change.truster, 0.0) + change.delta
        self.highlight = set() if isinstance(result, TurnReport) else {
            pid for pid, delta in self.deltas.items() if abs(delta) >= 0.005}

    # -- acting ------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        game = self.game
        if action == "sort_people" and not (self.query(PeopleTable)
                                            and self.query_one(PeopleTable).display):
            return False  # in the footer only while the table is shown
        if self.picking and action in _WAIT_WHILE_PICKING:
            return None  # typing filters the targets: these keys wait (dimmed)
        if action == "act" and parameters:
            why = self._availability.get(str(parameters[0]))
            return None if why else True
        if action == "end_turn":
            return None if game.over or game.pending else True
        if action == "undo":
            return True if game.can_undo else None
        if action == "redo":
            return True if game.can_redo else None
        if action == "debrief":
            return True if game.over else None
        if action == "rewind":
            return True if game.turn > 1 else None
        return True

    @on(ChoiceList.Selected, "#acts")
    def _act_chosen(self, event: ChoiceList.Selected) -> None:
        if event.choice.id and not self.picking:
            self._start(partial(self.choose_and_act, event.choice.id))

    def _start(self, job: Callable[[], Coroutine[Any, Any, None]]) -> None:
        """Run ``job`` as the screen's one worker (a new one cancels the last). A function,
        not a coroutine: the coroutine is only made if the worker starts, so a cancelled
        job leaves no never-awaited coroutine behind."""
        # Textual's run_worker overloads infer Never for a function returning a coroutine
        self.run_worker(job, exclusive=True)  # type: ignore[arg-type]

    def action_act(self, act: str) -> None:
        self._start(partial(self.choose_and_act, act))

    async def choose_and_act(self, act: str) -> None:
        game, t = self.game, self.t
        why = game.availability().get(act)
        if why:
            self.notify(t("game.refused", reason=self._why(why)), severity="warning")
            return
        spec = ACTS[act]
        label = t(f"act.{act}")
        kwargs: dict[str, Any] = {}
        selected = self._selected_target()
        owner = self._begin_pick()
        try:
            if spec.target == "own_promise":
                keepable = set(game.targets(act))
                items = [(p.id, Text(t("game.promise_row", what=p.what,
                                       to=self.narrator.name(p.to), due=p.due)))
                         for p in game.promises("open") if p.id in keepable]
                target = await self.pick(t("game.pick_promise", act=label), items)
            elif spec.target == "pair":
                target = await self.pick(t("game.pick_first", act=label),
                                         self._people_items(), highlight=selected)
                if target is None:
                    return
                mine = game.world.team[game.world.index[target]]
                others = [(pid, text) for pid, text in self._people_items(include_player=True)
                          if game.world.team[game.world.index[pid]] != mine
                          and game.check(act, target, other=pid) is None]
                other = await self.pick(
                    t("game.pick_second", act=label, name=self.narrator.name(target)), others,
                    detail=t("game.pick_other_team"))
                if other is None:
                    return
                kwargs["other"] = other
            else:
                items = self._people_items(only=set(game.targets(act)))
                prompt = "game.pick_target"
                if spec.target == "person_or_team":
                    prompt = "game.pick_team_or_person"
                    items = self._team_items() + items
                target = await self.pick(t(prompt, act=label), items, highlight=selected)
                if target is not None and act == "make_promise":
                    # what is promised (the log, the promise's card and the debrief say
                    # it), then by when
                    phrases = t("promise.what").split("|")
                    what = await self.pick(
                        t("game.pick_what", act=label, name=self.narrator.name(target)),
                        [(str(n), Text(phrase)) for n, phrase in enumerate(phrases)])
                    if what is None:
                        return
                    kwargs["what"] = phrases[int(what)]
                    turns = [(str(n), Text(t("game.due_row", turn=n)))
                             for n in range(game.turn, game.turns + 1)]
                    due = await self.pick(t("game.pick_due", act=label), turns)
                    if due is None:
                        return
                    kwargs["due"] = int(due)
            if target is not None:
                self.do(lambda: game.act(act, target, **kwargs))
        finally:
            # the act's result, the acts list and the footer's keys are painted in one
            # frame: painting the result first and the acts a frame later put the last
            # change on screen 17-33 ms later (Textual paints at most every 1/60 s)
            self._close_picker(owner)

    # -- choosing inside the screen ---------------------------------------------------------

    @property
    def ready(self) -> bool:
        """Mounted, its widgets built: what can change the game under it (a reload of the
        file, ``--watch``) waits for this."""
        return self._acts is not None and self.is_attached

    @property
    def picking(self) -> bool:
        """The acts panel lists targets: other commands wait (they are dimmed)."""
        return self._acts is not None and self._acts.choosing

    def _begin_pick(self) -> object:
        """Start a choice in the acts panel; returns the token that may close it (a newer
        choice, started while this one unwinds, is not closed by this one's end)."""
        owner = object()
        self._pick_owner = owner
        return owner

    async def pick(self, title: str, items: list[tuple[str, Text]], *,
                   highlight: str | None = None, detail: str | None = None) -> str | None:
        """Ask for one of ``items`` in the acts panel; the chosen id, or None. The flow
        that began the choice closes it (:meth:`_close_picker`)."""
        panel = self.query_one(ActsPanel)
        first = not panel.choosing
        answer = panel.ask(items, highlight=highlight, detail=detail)
        label = self.query_one("#acts-label", Label)
        # a question too long for one line takes two, never cut ("Verbinden: wie ontmoet
        # Priya Na…"); only then does the layout change
        long = Text(title).cell_len > label.content_size.width > 0
        if long != label.has_class("-two-lines"):
            label.set_class(long, "-two-lines")
        label.update(Text(title), layout=long)
        if first:
            # the focus stays where it is (moving it repaints the whole screen): keys
            # reach the list through on_key
            self.query_one(OrgMap).choosing = True
            self._refresh_availability_keys()
        self._paint_together()
        return await answer

    @on(ChoiceList.Highlighted, "#acts")
    def _choice_highlighted(self, event: ChoiceList.Highlighted) -> None:
        """While choosing, the map marks the person (or team) the list is on."""
        choice = event.choice
        if self.picking:
            self.query_one(OrgMap).mark({choice.id} if choice and choice.id else set())

    def on_key(self, event: Any) -> None:
        """While a target is chosen, keys go to the acts panel (unless it has the focus,
        when they reach it directly)."""
        if self.picking and self.focused is not self._acts and self._acts is not None \
                and self._acts.route_key(event):
            event.stop()
            event.prevent_default()
        elif not self.picking and (reason := self._refusal(event.key)) is not None:
            # a dimmed key says why it does nothing (its binding is disabled)
            self.notify(reason, severity="warning")

    def _refusal(self, key: str) -> str | None:
        """Why the command on ``key`` cannot run now, or None if it can (or is no
        command)."""
        cmd = _COMMAND_KEYS.get(key)
        if cmd is None:
            return None
        game, t = self.game, self.t
        if cmd.act is not None:
            why = self._availability.get(cmd.act)
            return t("game.refused", reason=self._why(why)) if why else None
        if self.check_action(cmd.id, ()) is not None:
            return None
        return {"end_turn": t("game.is_over") if game.over else
                t("game.refused", reason=t("why.dilemma_pending")),
                "undo": t("game.nothing_to_undo"), "redo": t("game.nothing_to_redo"),
                "debrief": t("game.debrief_at_end", turns=game.turns),
                "rewind": t("game.rewind_later")}.get(cmd.id)

    def _close_picker(self, owner: object) -> None:
        """End the choice ``owner`` began: the acts list, its title and the footer's keys
        come back at once, painted in the same frame as what the choice did."""
        if owner is not self._pick_owner or not self.query("#acts"):
            return  # a newer choice is open, or the screen is closing
        self._pick_owner = None
        panel = self.query_one(ActsPanel)
        if not panel.choosing:
            return
        panel.close()
        org_map = self.query_one(OrgMap)
        org_map.choosing = False
        org_map.mark(set())
        self._restore_acts()

    def _restore_acts(self) -> None:
        if not self.query("#acts") or self.picking:
            return  # the screen is closing, or a new choice began meanwhile
        label = self.query_one("#acts-label", Label)
        if label.has_class("-two-lines"):
            label.remove_class("-two-lines")
        label.update(self.t("game.acts"), layout=False)
        self._refresh_availability_keys()
        self._paint_together()

    def _cancel_pick(self) -> None:
        """A command that changes the game (undo, redo) first ends any open choice."""
        if self.picking:
            self.query_one(ActsPanel).resolve(None)

    def _selected_target(self) -> str | None:
        """The person (or team) under the cursor in the map or the table, for the picker to
        start on: select someone, press an act's key, then enter."""
        if not self.query(PeopleTable):
            return None
        table = self.query_one(PeopleTable)
        if table.display:
            return self._selected_person()
        item = self.query_one(OrgMap).cursor_id
        return None if item is None else item.removeprefix("team:")

    def _team_items(self) -> list[tuple[str, Text]]:
        w, t = self.game.world, self.t
        trust = self.game.metrics()["team_trust_in_player"]
        items = []
        for tid, name in zip(w.team_ids, w.team_names, strict=True):
            value = trust.get(tid)
            text = trust_text(value, t) if value is not None and value == value \
                else Text(t.num(None))
            text.append(" " + t("game.team_target", team=name,
                                count=int((w.team == w.team_index[tid]).sum())), style="bold")
            text.no_wrap, text.overflow = True, "ellipsis"
            items.append((tid, text))
        return items

    def _people_items(self, *, only: set[str] | None = None,
                      include_player: bool = False) -> list[tuple[str, Text]]:
        game, w = self.game, self.game.world
        items = []
        mine = int(w.team[game.player])
        reports = set(w.reports(game.player))
        # the player's own people first: reports, then teammates, then the rest by team
        order = sorted(range(w.n_people), key=lambda i: (
            i not in reports, int(w.team[i]) != mine, int(w.team[i]), w.names[i]))
        for i in order:
            pid = w.ids[i]
            if (i == game.player and not include_player) or (only is not None and pid not in only):
                continue
            # like the map: trust first, so a narrow panel cuts the team, not the number
            if i == game.player:  # yourself (connect's second person): a star, as on the map
                text = Text("★ ")
                text.append(w.names[i], style="bold")
                text.append(f" ({self.t('game.you')})", style="dim")
            else:
                text = trust_text(game.trust(pid, "player"), self.t)
                text.append(" ")
                text.append(w.names[i], style="bold")
            text.append(f" · {w.team_names[int(w.team[i])]}", style="dim")
            text.no_wrap, text.overflow = True, "ellipsis"
            items.append((pid, text))
        return items

    def do(self, step: Any) -> Any:
        """Run one change of the game; refusals become notifications, never tracebacks."""
        try:
            result = step()
        except ActNotAllowed as refusal:
            reason = self.t(f"why.{refusal.code}") if self.t.has(f"why.{refusal.code}") \
                else refusal.reason
            self.notify(self.t("game.refused", reason=reason), severity="warning")
            return None
        if isinstance(result, ActResult | ChoiceResult | TurnReport):
            self.show_result(result)
        self.refresh_state()
        self._paint_together()
        # saved once the change is on screen: the save's thread, started here, held the
        # interpreter for about 2 ms just when the frame was being painted
        self.call_after_refresh(self.autosave)
        self._collector.collect_soon(self.app)
        return result

    def _paint_together(self) -> None:
        """Tell the screen now about every widget a change repainted.

        Each widget reports its own repaint (or new size) when its message queue is next
        idle, and the screen paints what has been reported at each frame: after an act
        the log used to be painted one frame (about 17 ms) before the map and the status,
        and the footer's keys, restyled, a frame after the rest. Reporting every pending
        repaint here (what each widget's idle would do, now, and only once) puts the whole
        change in one frame, and no widget is painted again, unchanged, in the next.
        """
        for widget in self.walk_children(Widget):
            if widget.is_running:  # one being mounted is painted by its first layout
                widget._check_refresh()

    def action_end_turn(self) -> None:
        self._start(self.end_turn)

    def unused_acts(self) -> int:
        """Acts left this turn that could still be done (0 when none is possible)."""
        game = self.game
        if game.over or game.capacity_left <= 0:
            return 0
        return game.capacity_left if any(why is None for why in game.availability().values()) \
            else 0

    async def end_turn(self) -> None:
        left = self.unused_acts()
        if left and storage.setting("confirm_end_turn"):
            answer = await self.app.push_screen_wait(EndTurnScreen(left, self.t))
            if answer == "keep":
                return
            if answer == "always":
                storage.set_setting("confirm_end_turn", False)
        report = self.do(self.game.end_turn)
        if report is None:
            return
        await self.app.push_screen_wait(TurnScreen(report, self.narrator))
        await self.answer_dilemmas(report)
        if self.game.over:
            self.write(Text(self.t("game.over_hint"), style="bold"))
            self.action_debrief()

    async def answer_dilemmas(self, report: TurnReport | None = None) -> None:
        events = {e.id: e for e in (report.events if report else self.game.events)}
        while self.game.pending:
            event_id = self.game.pending[0]
            event = events.get(event_id) or next(e for e in self.game.events if e.id == event_id)
            option = await self.app.push_screen_wait(DilemmaScreen(event, self.t))
            before = self.game.turn_capacity
            result = self.do(partial(self.game.choose, event_id, option))
            if result is None:
                break
            if self.game.turn_capacity != before:  # the choice costs (or gives) acts now
                self.write(Text("  " + self.t("log.capacity", count=self.game.turn_capacity,
                                              before=before), style="italic"))
            setup = self.game._event_setups[event_id]
            outcome = next((o.outcome for o in setup.options if o.id == option), "")
            if outcome:
                from .dialogs import MessageScreen

                await self.app.push_screen_wait(MessageScreen(
                    self.t("event.outcome"), paragraphs(outcome), self.t("turn.continue")))

    # -- undo, redo, rewind, save ------------------------------------------------------------

    def action_undo(self) -> None:
        self._cancel_pick()
        if not self.game.can_undo:
            self.notify(self.t("game.nothing_to_undo"))
            return
        cmd = self.do(self.game.undo)
        if cmd is not None:
            self.highlight, self.deltas = set(), {}
            # said in the log (the lines above it tell what was taken back), not in a
            # pop-up: a notice would cover the log for seconds, just when it is read
            self.write(Text(self.t("game.undone", what=self._describe(cmd)), style="bold"))
            self.refresh_state()
            self._ask_pending()

    def action_redo(self) -> None:
        self._cancel_pick()
        if not self.game.can_redo:
            self.notify(self.t("game.nothing_to_redo"))
            return
        cmd = self.game._redo[-1]
        if self.do(self.game.redo) is not None:
            self.write(Text(self.t("game.redone", what=self._describe(cmd)), style="bold"))
            self._ask_pending()

    def _ask_pending(self) -> None:
        """A dilemma waiting after undo, redo or rewind: ask it again."""
        if self.game.pending:
            self._start(self.answer_dilemmas)

    def _describe(self, cmd: dict[str, Any]) -> str:
        from ...experiments.debrief import describe_command

        if cmd["do"] == "end_turn":
            return self.t("cmd.end_turn")
        return describe_command(cmd, self.narrator, self.game.world.promises)

    def action_rewind(self) -> None:
        self._start(self.rewind)

    async def rewind(self) -> None:
        game, t = self.game, self.t
        turns = [(str(n), Text(t("game.turn", turn=n, turns=game.turns)))
                 for n in range(1, game.turn + (0 if game.over else 1))]
        owner = self._begin_pick()
        try:
            chosen = await self.pick(t("game.rewind_title"), turns)
            if chosen is None:
                return
            before = list(game.log)
            if self.do(lambda: game.rewind(int(chosen))) is not None:
                # the markers on the map belonged to an act that is now undone
                self.highlight, self.deltas = set(), {}
                self.refresh_state()
            if len(before) > len(game.log):
                self.branches.append(before)
                self.write(Text(t("game.rewound", turn=int(chosen)), style="bold"))
        finally:
            self._close_picker(owner)
        await self.answer_dilemmas()

    def autosave(self, *, wait: bool = False) -> None:
        """Save after every change: the state is captured here, the disk write (with its
        fsync) runs in a thread so the screen never waits for the disk."""
        text = json.dumps(self.game.to_save(), ensure_ascii=False, indent=1) + "\n"
        # in a room of `trustsim serve`: where this seat stands, for the trainer's view
        status = roomlink.game_status(self.game, self.save_path) \
            if storage.ROOM is not None else None
        self._save_seq += 1
        if wait:
            self._write_save(text, self._save_seq, status)
        else:
            self.run_worker(partial(self._write_save, text, self._save_seq, status),
                            thread=True, group="autosave")

    def _write_save(self, text: str, seq: int, status: object = None) -> None:
        with self._save_lock:
            if seq < self._saved_seq:
                return  # a newer save was already written
            try:
                atomic_write_text(self.save_path, text)
            except OSError as exc:
                storage.logger().warning("autosave failed: %s", exc)
                self.app.call_from_thread(
                    self.notify, self.t("game.save_failed", error=exc.strerror or exc),
                    severity="error")
                return
            self._saved_seq = seq
            if status is not None:  # after the save it names
                roomlink.publish(status)

    def action_save(self) -> None:
        self.autosave(wait=True)
        self.notify(self.t("game.saved", path=self.save_path))

    # -- a new version of the scenario file (`trustsim play FILE --watch`) --------------------

    def reload_scenario(self, scenario: Scenario, file: str) -> str:
        """Carry the game over to a new version of its scenario: the acts so far are
        replayed where they still apply. Returns what happened, in words (also logged)."""
        from ...experiments.debrief import describe_command
        from ...experiments.reload import replay

        old, t = self.game, self.t
        self._cancel_pick()
        # the scenario's seed, unless this game was started with another one
        seed = None if old.seed == old.setup.seed else old.seed
        done = replay(scenario, old.log, seed=seed)
        total = done.acts
        if not old.log:
            message = t("watch.reloaded_none", file=file)
        else:
            message = t("watch.reloaded", file=file, done=done.acts_replayed, count=total)
        if done.skipped:
            first = done.skipped[0]
            what = self.t("cmd.end_turn") if first.command["do"] == "end_turn" else \
                describe_command(first.command, self.narrator, old.world.promises)
            reason = self.t(f"why.{first.code}") if first.code and \
                self.t.has(f"why.{first.code}") else first.reason
            message += " " + t("watch.skipped", what=what, reason=reason)
            if len(done.skipped) > 1:
                message += " " + t("watch.skipped_more", count=len(done.skipped) - 1)
        game = self.game = done.game
        self.narrator = Narrator.for_game(game, t.language)
        self.highlight, self.deltas = set(), {}
        self.query_one(OrgMap).build(game, self.narrator)
        self.query_one(PeopleTable).build(game, self.narrator)
        self.write(Text(message, style="bold"))
        self.refresh_state()
        self._paint_together()
        self.call_after_refresh(self.autosave)
        self._ask_pending()
        return message

    # -- other screens ---------------------------------------------------------------------

    def action_details(self) -> None:
        pid = self._selected_person()
        if pid is not None:
            self.app.push_screen(PersonScreen(self.game, pid, self.narrator))
            return
        item = self.query_one(OrgMap).cursor_id if self.query(OrgMap) else None
        if item is not None and item.startswith("team:") and not self.query_one(
                PeopleTable).display:
            self._show_team(item.removeprefix("team:"))

    def _show_team(self, team: str) -> None:
        from .team import TeamScreen

        self.app.push_screen(TeamScreen(self.game, team, self.narrator))

    def _selected_person(self) -> str | None:
        if not self.query(PeopleTable):  # the screen is closing
            return None
        table = self.query_one(PeopleTable)
        if table.display and table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            return str(key) if key else None
        item = self.query_one(OrgMap).cursor_id
        return None if item is None or item.startswith("team:") else item

    @on(DataTable.RowSelected, "#people")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value and not self._picked(str(event.row_key.value)):
            self.app.push_screen(PersonScreen(self.game, str(event.row_key.value),
                                              self.narrator))

    @on(OrgMap.Selected, "#map")
    def _map_selected(self, event: OrgMap.Selected) -> None:
        item = event.item
        if self._picked(item.removeprefix("team:")):
            return
        if item.startswith("team:"):
            self._show_team(item.removeprefix("team:"))
        else:
            self.app.push_screen(PersonScreen(self.game, item, self.narrator))

    def _picked(self, choice: str) -> bool:
        """While a target is asked for, a person (or team) chosen on the map or in the
        table answers it, if they are one of the choices."""
        panel = self.query_one(ActsPanel)
        if choice in panel.offered:
            panel.resolve(choice)
            return True
        return False

    def action_toggle_view(self) -> None:
        table = self.query_one(PeopleTable)
        org_map = self.query_one(OrgMap)
        table.display = not table.display
        org_map.display = not table.display
        if table.display:
            table.refresh_rows(self.game, self.narrator, self.deltas)
        else:
            org_map.refresh_labels(self.game, self.narrator, self.highlight, self.deltas)
        # the focus moves now, not after the app's pending messages (as focus() does): the
        # view's colours for the focus are then painted in the same frame as the view,
        # not a frame (17 ms) after it
        self.set_focus(table if table.display else org_map)
        self.refresh_bindings()  # the table's sort key comes and goes with it

    def action_log_older(self) -> None:
        log = self.query_one(EventLog)
        log.scroll_back(max(1, log.content_size.height - 1))

    def action_log_newer(self) -> None:
        log = self.query_one(EventLog)
        log.scroll_back(-max(1, log.content_size.height - 1))

    def action_sort_people(self) -> None:
        self.query_one(PeopleTable).action_cycle_sort()

    def action_trends(self) -> None:
        from .trends import TrendsScreen

        self.app.push_screen(TrendsScreen(self.game, self.narrator))

    def action_debrief(self) -> None:
        if not self.game.over:
            return
        from .debrief import DebriefScreen

        self.app.push_screen(DebriefScreen(self.game, self.narrator, self.branches))

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self.t))

    def action_quit_game(self) -> None:
        self.autosave(wait=True)
        self.app.clear_notifications()  # the game's notices stay with the game
        self.app.pop_screen() if len(self.app.screen_stack) > 2 else self.app.exit()


#: Allocations between two automatic collections of the young generation, in a game.
GC_THRESHOLD = 50_000


class CalmCollector:
    """Keep Python's cycle collector out of the way of acts, while a game is on screen.

    Measured in tmux: collections took 0.5-7 ms in the middle of an act's repaint
    (Textual's caches keep many young objects alive). While a game screen is up,
    everything alive when it appeared (modules, styles, the game) is frozen out of
    collection and automatic collections wait for many more allocations; the screen
    collects the young generations itself a moment after each change, while the player
    reads. When the screen goes, the collector is as it was.
    """

    def __init__(self) -> None:
        self._threshold: tuple[int, int, int] | None = None
        self._timer: Timer | None = None

    def collect_soon(self, app: App[Any]) -> None:
        """Collect the young generations a moment after the last change (0.3 s, put off by
        another change). The timer is the app's, not the game screen's: a message to the
        game screen while a dialog was over it (this timer's callback) made Textual paint
        the dialog again, unchanged, as much as 0.3 s after it opened."""
        if self._timer is not None:
            self._timer.stop()
        self._timer = app.set_timer(0.3, partial(gc.collect, 1), name="collect")

    def start(self) -> None:
        if self._threshold is None:
            self._threshold = gc.get_threshold()
            gc.freeze()
            if self._threshold[0] < GC_THRESHOLD:
                gc.set_threshold(GC_THRESHOLD, *self._threshold[1:])

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self._threshold is not None:
            gc.set_threshold(*self._threshold)
            gc.unfreeze()
            self._threshold = None


@cache
def game_screen(language: str) -> type[GameScreen]:
    """The game screen class whose key labels speak ``language``."""
    t = Messages(language)
    return type(f"GameScreen_{t.language}", (GameScreen,),
                {"BINDINGS": bindings(GAME_COMMANDS, t)})


__all__ = ["SaveError", "game_screen"]
