"""Every act of the registry can be written in an acts file (and read back the same)."""

from __future__ import annotations

import pytest

from simulator.core.acts import ACTS
from simulator.experiments.script import describe, parse_command


@pytest.mark.parametrize("act", sorted(ACTS))
def test_every_act_parses_and_describes_back(act: str) -> None:
    line = {"connect": "connect ana ben", "make_promise": "make_promise ana due=3"}.get(
        act, f"{act} ana")
    cmd = parse_command(line)
    assert cmd is not None and cmd["do"] == "act" and cmd["act"] == act
    assert parse_command(describe(cmd)) == cmd


def test_an_apology_in_an_acts_file_plays() -> None:
    from pathlib import Path

    from simulator import Game, load_scenario
    from simulator.experiments.script import parse_script

    root = Path(__file__).resolve().parents[2]
    game = Game(load_scenario(root / "scenarios" / "new-in-the-chair.yaml"))
    for _, cmd in parse_script("break_promise rota\napologise tomas\n", "<test>"):
        game.execute(cmd)
    assert game.results[-1].act == "apologise"  # type: ignore[union-attr]
    assert game.results[-1].changes[0].delta > 0  # type: ignore[union-attr]
