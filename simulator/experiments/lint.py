"""Warnings a trainer wants before a workshop, beyond what makes a file invalid."""

from __future__ import annotations

from ..core.simulation import Simulation
from ..scenario.errors import Problem
from ..scenario.loader import Scenario, dotted


def lint(scenario: Scenario) -> list[Problem]:
    """Lint-style warnings for a valid scenario (each a Problem of kind ``warning``)."""
    warnings: list[Problem] = []
    setup = scenario.setup
    positions = None
    if scenario.spec is not None and scenario.text is not None:
        from ..scenario.yamlsource import YamlProblem, load_yaml

        try:
            _, positions, _ = load_yaml(scenario.text, scenario.path)
        except YamlProblem:
            positions = None

    def warn(path: tuple[str | int, ...], message: str) -> None:
        found = positions.find(path) if positions is not None else None
        line, col = found if found else (None, None)
        warnings.append(Problem(scenario.path, message, dotted(path), line, col, "warning"))

    if not setup.objectives:
        warn(("objectives",), "no objectives: every game is won, whatever the player does")

    game = Simulation(setup, undo=False)
    # objectives already met at turn 0, or out of reach
    for i, (objective, status) in enumerate(zip(setup.objectives, game.objectives(),
                                                strict=True)):
        if status.state == "on_track" and objective.kind != "no_broken_promises":
            warn(("objectives", i), f"objective {objective.id!r} is already met at turn 0 "
                 f"({status.value:.2f}); make sure doing nothing loses it by turn "
                 f"{objective.by} (trustsim balance)")
        if objective.kind == "team_ei" and objective.at_least is not None \
                and objective.at_least >= 0.95:
            warn(("objectives", i, "at_least"), "an E-I index of 0.95 or more means a team "
                 "that barely talks to itself; practically out of reach")
        if objective.kind == "trust_in_player" and objective.at_least is not None \
                and objective.at_least >= 0.95:
            warn(("objectives", i, "at_least"), "trust of 0.95 or more is practically out "
                 "of reach (gains shrink as trust grows)")
        if objective.kind == "promises_kept" and objective.at_least is not None:
            theirs = sum(1 for p in setup.promises if p.by == setup.player)
            if objective.at_least > theirs:
                warn(("objectives", i, "at_least"), f"asks for {objective.at_least:g} kept "
                     f"promises but the player starts with {theirs}: they must make more "
                     "during play")
    # people nobody can reach
    w = game.world
    strength = w.strength
    for i, pid in enumerate(w.ids):
        ties = [e for _, e in w.adjacency.listeners(i)] + [e for _, e in w.adjacency.out_edges(i)]
        if not any(strength[e] > 0 for e in ties):
            index = next((k for k, p in enumerate(setup.people) if p.id == pid), None)
            path: tuple[str | int, ...] = ("people", index) if index is not None else ("people",)
            warn(path, f"{w.names[i]} has no ties: news never reaches them and they pass "
                 "nothing on")
    # the player
    if not w.reports(game.player):
        warn(("player",), "the player manages nobody: delegate and coach are never possible")
    # promises
    for i, promise in enumerate(setup.promises):
        if promise.by != setup.player:
            warn(("promises", i, "by"), f"promise {promise.id!r} is not the player's: only "
                 f"an event can keep it, otherwise it breaks at the end of turn {promise.due}")
        elif promise.due <= 1 and setup.capacity < 1:
            warn(("promises", i, "due"), f"promise {promise.id!r} falls due before the "
                 "player can act")
    # events that name promises already settled: promises fall due before events fire,
    # so an event at the due turn is already too late
    for i, event in enumerate(setup.events):
        groups = [(f"option {o.id!r}", o.effects) for o in event.options]
        groups.append((f"event {event.id!r}", event.effects))
        for label, effects in groups:
            for effect in effects:
                ref = getattr(effect, "promise", None)
                due = next((p.due for p in setup.promises if p.id == ref), None)
                if due is not None and due <= event.turn:
                    warn(("events", i), f"{label} settles promise {ref!r}, which falls due "
                         f"at the end of turn {due}, before this event fires (end of turn "
                         f"{event.turn}): the effect can never apply")
    return warnings
