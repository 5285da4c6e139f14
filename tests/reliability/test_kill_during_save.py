"""A save is atomic: killed at any moment, the previous save or the new one is intact."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from simulator import Game

ROOT = Path(__file__).resolve().parents[2]
TRIALS = 100

WRITER = r"""
import sys
from simulator import Game, load_scenario

path = sys.argv[1]
game = Game(load_scenario(sys.argv[2]), seed=3)
targets = ["tomas", "ines", "kwame", "lena", "sami"]
i = 0
print("ready", flush=True)
while True:  # keep changing and saving until killed
    if game.over:
        game = Game(game.scenario, seed=3)
    if game.capacity_left == 0 or game.pending:
        while game.pending:
            event = game._event_setups[game.pending[0]]
            game.choose(event.id, event.options[0].id)
        if not game.over:
            game.end_turn()
    else:
        game.act("quick_win", targets[i % len(targets)])
    i += 1
    game.save(path)
"""


def test_a_save_killed_at_random_moments_is_always_whole(tmp_path: Path) -> None:
    save = tmp_path / "game.json"
    scenario = ROOT / "scenarios" / "new-in-the-chair.yaml"
    rng = random.Random(11)
    survived = 0
    for trial in range(TRIALS):
        process = subprocess.Popen([sys.executable, "-c", WRITER, str(save), str(scenario)],
                                   stdout=subprocess.PIPE, cwd=tmp_path)
        try:
            assert process.stdout is not None
            assert process.stdout.readline().strip() == b"ready"
            time.sleep(rng.uniform(0.0, 0.15))
        finally:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
        if save.exists():
            game = Game.load(save)  # raises SaveError if half-written
            assert game.log, f"trial {trial}: an empty game was saved"
            survived += 1
        leftovers = [p.name for p in tmp_path.iterdir() if p.name != save.name]
        # a temporary file may be left by a kill between create and rename; never the save
        assert all(name.startswith(".tmp-") for name in leftovers), leftovers
    assert survived >= TRIALS * 0.9  # nearly every trial got at least one save written
