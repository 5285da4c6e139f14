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

from ..i18n import Messages, known_language, languages
from ..scenario.errors import SaveError
from ..scenario.text import safe_text
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

    #: How often ``watch`` looks at the scenario file (seconds): a stat, nothing more.
    WATCH_INTERVAL = 0.5

    def __init__(self, paths: list[Path], *, language: str | None = None,
                 single: bool = False, resume: bool = True, watch: bool = False,
                 system_language: str | None = None) -> None:
        super().__init__()
        self.paths = paths
        # `--lang`: every screen in that language; unknown, it is said and each scenario
        # speaks its own (the picker the system's, from LANG: ``system_language``)
        self.language = known_language(language)
        self.unknown_language = language if language and self.language is None else None
        self.single = single
        self.offer_resume = resume
        self.t = Messages(self.language or system_language or "en")
        # `trustsim play FILE --watch`: the file is reloaded when it changes
        self.watching = watch and single and bool(paths)
        self._watch_stamp: tuple[int, int] | None = None
        self._watch_pending: Scenario | None = None  # a new version waiting to be shown
        self._watch_current: Scenario | None = None  # the last good version read

    # -- the terminal's title ---------------------------------------------------------------

    def validate_title(self, title: object) -> str:
        """The app's title reaches the terminal outside any widget (the window's title, a
        screenshot's): whatever sets it, a control character in it is escaped."""
        return safe_text(str(title))

    def validate_sub_title(self, sub_title: object) -> str:
        return safe_text(str(sub_title))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While the trainer pauses the room, the command palette stays shut too (its
        commands would reach the game under the pause)."""
        if action == "command_palette" and self.screen.id == "paused":
            return False
        return super().check_action(action, parameters)

    # -- flow ------------------------------------------------------------------------------

    def on_mount(self) -> None:
        if self.unknown_language is not None:
            self.notify(self.t("app.unknown_language", code=safe_text(self.unknown_language),
                               languages=", ".join(languages())), severity="warning")
        if self.single and self.paths:
            if self.watching:
                from ..experiments.reload import file_stamp

                self._watch_stamp = file_stamp(self.paths[0])
                self.set_interval(self.WATCH_INTERVAL, self.check_watched, name="watch")
            self.load_single(self.paths[0])
            return
        self.push_screen(PickerScreen(self.paths, self.t))
        if self.offer_resume:
            self.offer_latest_autosave()
        if storage.ROOM is not None:  # a seat in a room of `trustsim serve`
            from . import roomlink

            roomlink.publish_picking()
            self.push_screen(roomlink.NameScreen(self.t))
            roomlink.watch_pause(self, self.t)

    @work(thread=True, exclusive=True, group="load")
    def load_single(self, path: Path) -> None:
        """`trustsim play FILE`: load off the UI thread, then show the brief or problems."""
        entry = load_entry(path)
        self.call_from_thread(self.show_single, entry)

    def show_single(self, entry: Entry) -> None:
        self._watch_current = entry.scenario
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
            if _changed(info) and not _saved_text(info):
                # a compact file (.npz) whose save keeps no copy of it: nothing to resume
                t = self.messages_for(scenario)
                self.push_screen(BriefScreen(scenario, t))
                self.push_screen(MessageScreen(
                    t("picker.resume.title"), t("picker.resume.gone", title=scenario.title,
                                                turn=info.get("turn", "?")),
                    t("turn.continue")))
            else:
                self.ask_resume(scenario, save, info)
        else:
            self.push_screen(BriefScreen(scenario, self.messages_for(scenario)))

    @work(exclusive=True, group="resume")
    async def ask_resume(self, scenario: Scenario, save: Path, info: dict[str, Any]) -> None:
        from .screens.dialogs import ConfirmScreen

        t = self.messages_for(scenario)
        body = t("picker.resume.body", title=scenario.setup.title, turn=info.get("turn", "?"))
        changed = _changed(info)
        if changed:  # the save plays the file as it was: say so, and offer the new one
            body += "\n\n" + t("picker.resume.changed")
        resume = await self.push_screen_wait(ConfirmScreen(
            t("picker.resume.title"), body,
            t("picker.resume.old" if changed else "picker.resume.yes"), t("picker.resume.no")))
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
            # the save's own header, not checked like the scenario it names: escaped
            title = safe_text(str(info.get("scenario", {}).get("title", save.stem)))
            body = t("picker.resume.body", title=title, turn=info.get("turn", "?"))
            changed = _changed(info)
            if changed and not _saved_text(info):
                continue  # its file changed and the save has no copy of it: not resumable
            if changed:
                body += "\n\n" + t("picker.resume.changed")
            if await self.push_screen_wait(ConfirmScreen(
                    t("picker.resume.title"), body,
                    t("picker.resume.old" if changed else "picker.resume.yes"),
                    t("picker.resume.no"))):
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
                self.t("error.title"), f"{error}\n\n→ {safe_text(str(kept))}",
                self.t("turn.continue")))
            return
        self.start_game(game.scenario, game, save)

    def start_game(self, scenario: Scenario, game: Game | None = None,
                   save: Path | None = None) -> None:
        from ..scenario.game import Game
        from .screens.game import game_screen

        t = self.messages_for(scenario)
        if game is None and save is None:  # a new game (in a room: its own save)
            save = storage.new_game_path(scenario.path)
        game = game or Game(scenario)
        screen = game_screen(t.language)(game, t, save_path=save)
        while isinstance(self.screen, BriefScreen):
            self.pop_screen()
        self.push_screen(screen)
        current = self._watch_current
        if self.watching and current is not None and current.sha256 != game.scenario.sha256:
            # a resumed game of an older version of the watched file: carried over to
            # the file as it is now, at the watch's next look
            self._watch_pending = current
        if game.pending:
            screen.run_worker(screen.answer_dilemmas(), exclusive=True)

    # -- watching the scenario file ----------------------------------------------------------

    def check_watched(self) -> None:
        """The watch timer: reload the file if it changed; show a new version that is
        waiting as soon as the game (or the brief) is on top again."""
        from ..experiments.reload import file_stamp

        path = self.paths[0]
        stamp = file_stamp(path)
        if stamp is not None and stamp != self._watch_stamp:
            self._watch_stamp = stamp
            self.reload_watched(path)
        elif self._watch_pending is not None:
            self.apply_reload()

    @work(thread=True, exclusive=True, group="watch")
    def reload_watched(self, path: Path) -> None:
        """Check the changed file off the UI thread, then carry the game over to it."""
        entry = load_entry(path)
        self.call_from_thread(self.watched_loaded, entry)

    def watched_loaded(self, entry: Entry) -> None:
        if entry.error is not None:
            # the last good version plays on; the author sees the first problem
            t = getattr(self.screen, "t", self.t)
            # the first problem, as file:line:col: path: message, without the file's path
            problem = str(entry.error.problems[0]).removeprefix(f"{entry.path}:")
            self.notify(t("watch.invalid", file=safe_text(entry.path.name), problem=problem),
                        severity="warning", timeout=10, markup=False)
            if isinstance(self.screen, ProblemsScreen):
                self.switch_screen(ProblemsScreen(entry.path, entry.error, self.t))
            return
        self._watch_pending = self._watch_current = entry.scenario
        self.apply_reload()

    def apply_reload(self) -> None:
        """Show the waiting new version where the author is: the game (its acts
        replayed), the brief, or the problems the file had. Under a dialog it waits."""
        from .screens.game import GameScreen

        scenario, screen = self._watch_pending, self.screen
        if scenario is None:
            return
        name = safe_text(Path(scenario.path).name)
        if isinstance(screen, GameScreen):
            if screen.picking or not screen.ready:
                return  # a target is being chosen, or the screen is still opening: after
            self._watch_pending = None
            self.notify(screen.reload_scenario(scenario, name), timeout=10, markup=False)
        elif isinstance(screen, BriefScreen | ProblemsScreen):
            self._watch_pending = None
            t = self.messages_for(scenario)
            self.switch_screen(BriefScreen(scenario, t))
            self.notify(t("watch.reloaded_none", file=name), timeout=10, markup=False)

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
            asking = bool(storage.setting("confirm_end_turn"))
            yield SystemCommand(
                t("cmd.confirm_end_turn.on" if asking else "cmd.confirm_end_turn.off"),
                t("cmd.confirm_end_turn.help"),
                partial(storage.set_setting, "confirm_end_turn", not asking))
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


def _saved_text(info: dict[str, Any]) -> bool:
    """The save keeps the scenario's text (YAML files), so it can be replayed whatever
    became of the file."""
    scenario = info.get("scenario")
    return isinstance(scenario, dict) and isinstance(scenario.get("text"), str)


def _changed(info: dict[str, Any]) -> bool:
    """The scenario file a save was played on has changed since: its digest now differs
    from the one in the save. A file that is gone has not "changed" (the save plays the
    copy it keeps)."""
    import hashlib

    scenario = info.get("scenario")
    if not isinstance(scenario, dict) or not isinstance(scenario.get("sha256"), str) \
            or not isinstance(scenario.get("path"), str):
        return False
    whole, after_bom = hashlib.sha256(), hashlib.sha256()
    try:
        with open(scenario["path"], "rb") as fh:
            head = fh.read(3)
            whole.update(head)
            # a save resumed once holds the digest of the text it kept: without a BOM
            after_bom.update(b"" if head == b"\xef\xbb\xbf" else head)
            while chunk := fh.read(1 << 20):
                whole.update(chunk)
                after_bom.update(chunk)
    except OSError:
        return False
    return scenario["sha256"] not in (whole.hexdigest(), after_bom.hexdigest())


def quarantine(path: Path) -> Path:
    """Keep a save that cannot be loaded under a new name, so nothing overwrites it."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.corrupt-{stamp}{path.suffix}")
    try:
        path.rename(target)
    except OSError:
        return path
    return target
