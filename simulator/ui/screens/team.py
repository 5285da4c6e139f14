"""A team's details: the scenario's words about it, its trust, its people and its links."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from ...experiments.narrate import Narrator, paragraphs
from ..focus import dismiss_once, focus_first
from ..widgets import trust_text


class TeamScreen(ModalScreen[None]):
    """One team (enter on its box's top edge): description, trust in you, trust within
    the team and towards the others, its people along their reporting lines, and its
    strongest ties to other teams."""

    BINDINGS = [Binding("escape,enter", "close", "Close", show=False)]

    def __init__(self, game: Any, team: str, narrator: Narrator) -> None:
        super().__init__()
        self.game, self.team, self.narrator = game, team, narrator

    def body(self) -> Text:
        """Everything the dialog says under its title (also what the tests read)."""
        game, t, w = self.game, self.narrator.t, self.game.world
        ti = w.team_index[self.team]
        metrics = game.metrics()
        text = Text()
        description = game.setup.descriptions().get(self.team)
        if description:
            text.append(paragraphs(description).strip() + "\n\n", style="italic")
        members = w.members(ti)
        text.append(t("game.team_size", count=len(members)), style="bold")
        trust = metrics["team_trust_in_player"].get(self.team)
        if trust is not None and trust == trust:
            text.append(f" · {t('team.trusts_you')} ")
            text.append_text(trust_text(trust, t))
        within = metrics["team_trust_within"].get(self.team)
        across = metrics["team_trust_across"].get(self.team)
        text.append(f" · {t('team.within')} {t.num(within)} · {t('team.across')} "
                    f"{t.num(across)}\n")
        text.append(f"\n{t('team.members')}\n", style="bold")
        for i in sorted(members, key=lambda m: (w.roles[m] == "employee", w.names[m])):
            pid = w.ids[i]
            if i == game.player:
                text.append("★ ", style="bold")
                text.append(w.names[i], style="bold")
                text.append(f" ({t('game.you')})", style="dim")
            else:
                text.append_text(trust_text(game.trust(pid, "player"), t))
                text.append(" " + w.names[i])
            text.append(f" · {t(f'role.{w.roles[i]}')}\n", style="dim")
        links = game.team_links().get(self.team, [])
        text.append(f"\n{t('team.links')}\n", style="bold")
        if not links:
            text.append(t("game.no_links") + "\n", style="dim")
        for other, value, _count in links:
            text.append("↔ " + w.team_names[w.team_index[other]] + " ")
            text.append_text(trust_text(value, t))
            text.append("\n")
        text.rstrip()
        return text

    def compose(self) -> ComposeResult:
        t, w = self.narrator.t, self.game.world
        with Vertical(classes="dialog"):
            yield Label(w.team_names[w.team_index[self.team]], classes="dialog-title")
            with VerticalScroll(classes="dialog-body", id="team-body"):
                yield Static(self.body(), id="team-details")
            # a hint, not a button: at 80x24 the body takes the room a button needs
            yield Label(t("person.close"), classes="hint")

    def on_mount(self) -> None:
        focus_first(self, "#team-body")  # the arrows scroll a long team

    def action_close(self) -> None:
        dismiss_once(self, None)


__all__ = ["TeamScreen"]
