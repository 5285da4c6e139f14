"""The reliability tests share ``hostile.py`` (also used by bench/bench_hostile.py); the suite
runs with ``--import-mode=importlib``, so this folder is put on ``sys.path``."""

from __future__ import annotations

import sys
from pathlib import Path

HERE = str(Path(__file__).parent)
if HERE not in sys.path:
    sys.path.insert(0, HERE)
