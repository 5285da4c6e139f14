"""The Textual application: picker -> brief -> game -> debrief."""

from __future__ import annotations

import datetime as dt
import json
import traceback
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.app import App, ScreenStackError, SystemCommand
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.worker import WorkerFailed

from ..i18n import Messages
from ..scenario.errors import SaveError
from . import storage
from .commands import GAME_COMMANDS
from .focus import make_option_lists_safe
from .screens.picker import BriefScreen, Entry, PickerScreen, ProblemsScreen, load_entry

if TYPE_CHECKING:  # the game and the loader are imported when first needed
    from ..scenario.game import Game
    from ..scenario.loader import Scenario


make_option_lists_safe()


class TrustsimApp(App[int]):
    """trustsim's interface. ``paths`` are scenario files; ``single`` opens the one given."""

    CSS_PATH = "app.tcss"
    TITLE = "trustsim"
    ENABLE_COMMAND_PALETTE = True
    NOTIFICATION_TIMEOUT = 3  # a notice is read in a glance; it should not sit on a dialog
    # every screen's classes by the terminal's size: dialogs grow on large terminals
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (70, "-normal"), (140, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (36, "-tall")]

    def __init__(self, paths: list[Path], *, language: str | None = None,
                 single: bool = False, resume: bool = True) -> None:
        super().__init__()
        self.paths = paths
        self.language = language
        self.single = single
        self.offer_resume = resume
        self.t = Messages(language or "en")

    # -- flow ------------------------------------------------------------------------------

    def on_mount(self) -> None:
        if self.single and self.paths:
            self.load_single(self.paths[0])
            return
        self.push_screen(PickerScreen(self.paths, self.t))
        if self.offer_resume:
            self.offer_latest_autosave()

    @work(thread=True, exclusive=True, group="load")
    def load_single(self, path: Path) -> None:
        """`trustsim play FILE`: load off the UI thread, then show the brief or problems."""
        entry = load_entry(path)
        self.call_from_thread(self.show_single, entry)

    def show_single(self, entry: Entry) -> None:
        if entry.error is not None:
            self.push_screen(ProblemsScreen(entry.path, entry.error, self.t))
        elif entry.scenario is not None:
            self.open_scenario(entry.scenario)

    def messages_for(self, scenario: Scenario) -> Messages:
        return Messages(self.language or scenario.setup.language)

    def open_scenario(self, scenario: Scenario) -> None:
        from .screens.dialogs import MessageScreen

        save = storage.autosave_path(scenario.path)
        info = _save_info(save)
        if info is None and save.exists():
            # unreadable: keep it under another name so no autosave overwrites it
            kept = quarantine(save)
            storage.logger().warning("unreadable save %s kept as %s", save, kept)
            t = self.messages_for(scenario)
            self.push_screen(BriefScreen(scenario, t))
            self.push_screen(MessageScreen(
                t("error.title"), t("save.unreadable", path=kept), t("turn.continue")))
        elif info is not None and not info.get("over") and info.get("log"):
            self.ask_resume(scenario, save, info)
        else:
            self.push_screen(BriefScreen(scenario, self.messages_for(scenario)))

    @work(exclusive=True, group="resume")
    async def ask_resume(self, scenario: Scenario, save: Path, info: dict[str, Any]) -> None:
        from .screens.dialogs import ConfirmScreen

        t = self.messages_for(scenario)
        resume = await self.push_screen_wait(ConfirmScreen(
            t("picker.resume.title"),
            t("picker.resume.body", title=scenario.setup.title, turn=info.get("turn", "?")),
            t("picker.resume.yes"), t("picker.resume.no")))
        if resume:
            self.resume(save)
        else:
            self.push_screen(BriefScreen(scenario, t))

    @work(exclusive=True, group="resume")
    async def offer_latest_autosave(self) -> None:
        folder = storage.data_dir() / "saves"
        candidates = sorted(folder.glob("*-autosave.json"), key=lambda p: p.stat().st_mtime,
                            reverse=True) if folder.is_dir() else []
        for save in candidates:
            info = _save_info(save)
            if info is None or info.get("over") or not info.get("log"):
                continue
            from .screens.dialogs import ConfirmScreen

            t = self.t
            title = str(info.get("scenario", {}).get("title", save.stem))
            if await self.push_screen_wait(ConfirmScreen(
                    t("picker.resume.title"),
                    t("picker.resume.body", title=title, turn=info.get("turn", "?")),
                    t("picker.resume.yes"), t("picker.resume.no"))):
                self.resume(save)
            return

    def resume(self, save: Path) -> None:
        from ..scenario.game import Game
        from .screens.dialogs import MessageScreen

        try:
            game = Game.load(save)
        except SaveError as error:
            kept = quarantine(save)
            storage.logger().warning("corrupt save %s kept as %s: %s", save, kept, error)
            self.push_screen(MessageScreen(
                self.t("error.title"), f"{error}\n\n→ {kept}", self.t("turn.continue")))
            return
        self.start_game(game.scenario, game, save)

    def start_game(self, scenario: Scenario, game: Game | None = None,
                   save: Path | None = None) -> None:
        from ..scenario.game import Game
        from .screens.game import game_screen

        t = self.messages_for(scenario)
        game = game or Game(scenario)
        screen = game_screen(t.language)(game, t, save_path=save)
        while isinstance(self.screen, BriefScreen):
            self.pop_screen()
        self.push_screen(screen)
        if game.pending:
            screen.run_worker(screen.answer_dilemmas(), exclusive=True)

    # -- command palette -------------------------------------------------------------------

    def action_command_palette(self) -> None:
        """The command palette, with its placeholder in the screen's language."""
        from textual.command import CommandPalette

        t = getattr(self.screen, "t", self.t)
        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]
            self.push_screen(CommandPalette(placeholder=t("palette.placeholder"),
                                            id="--command-palette"))

    def get_system_commands(self, screen: Screen[Any]) -> Any:
        if hasattr(screen, "game") and hasattr(screen, "t"):
            t = screen.t
            for cmd in GAME_COMMANDS:
                if cmd.id.startswith("app."):
                    continue
                title = t(f"act.{cmd.act}") if cmd.act else t(cmd.label)
                yield SystemCommand(title, t(cmd.help), partial(screen.run_action, cmd.id))
            yield SystemCommand(t("cmd.theme"), t("cmd.theme.help"), self.action_toggle_dark)
        else:
            yield from super().get_system_commands(screen)

    # -- never a traceback on screen -------------------------------------------------------

    def _handle_exception(self, error: Exception) -> None:
        """A key that reaches a screen while it closes (keys typed or repeated faster than
        screens open and close) can make a handler, ours or Textual's own command palette,
        look for a widget that is already gone. That is a race, not a broken game: it is
        logged and the app goes on. Everything else still stops the app (logged, saved)."""
        root = error.error if isinstance(error, WorkerFailed) else error
        if isinstance(root, NoMatches | ScreenStackError):
            storage.logger().warning("ignored a key that reached a closing screen: %r", root)
            return
        super()._handle_exception(error)

    def _fatal_error(self) -> None:
        log = storage.logger()
        log.error("unexpected error\n%s", traceback.format_exc())
        self.bell()
        self._exit_renderables.append(Text(
            f"trustsim stopped after an unexpected error; your game was saved. Details are in "
            f"{storage.log_path()}.", style="bold red"))
        self._close_messages_no_wait()


def _save_info(path: Path) -> dict[str, Any] | None:
    """The header of a save (turn, over, scenario title) without replaying it."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def quarantine(path: Path) -> Path:
    """Keep a save that cannot be loaded under a new name, so nothing overwrites it."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.corrupt-{stamp}{path.suffix}")
    try:
        path.rename(target)
    except OSError:
        return path
    return target
