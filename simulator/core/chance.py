"""Chance that undo cannot re-roll.

Every chance outcome of the model is a draw fixed by the game's seed and a name for the
moment it happens (the turn, what is drawn, the n-th time this turn), never by how many
numbers were drawn before. So taking an act back and doing something else cannot change
what chance does later: the events of a turn are the same whatever the player did, and
the n-th delegation of a turn meets the same luck whoever it goes to (a stronger report
succeeds whenever a weaker one would have).

>>> draw(7, 3, "delegate", 0) == draw(7, 3, "delegate", 0)
True
>>> 0.0 <= draw(7, 3, "delegate", 1) < 1.0
True
"""

from __future__ import annotations

import hashlib
import random

import numpy as np


def _digest(seed: int, keys: tuple[object, ...]) -> int:
    text = repr((int(seed), *keys)).encode()
    return int.from_bytes(hashlib.blake2b(text, digest_size=8).digest(), "big")


def draw(seed: int, *keys: object) -> float:
    """A number in [0, 1) fixed by ``seed`` and ``keys`` alone."""
    return _digest(seed, keys) / 2.0**64


def stream(seed: int, *keys: object) -> random.Random:
    """A random generator of its own, fixed by ``seed`` and ``keys`` alone."""
    return random.Random(_digest(seed, keys))


def numpy_stream(seed: int, *keys: object) -> np.random.Generator:
    """A numpy generator of its own, fixed by ``seed`` and ``keys`` alone."""
    return np.random.default_rng(_digest(seed, keys))


__all__ = ["draw", "numpy_stream", "stream"]
