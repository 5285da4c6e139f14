"""Hostile scenario files too big or too strange to commit, written on demand.

Shared by ``test_hostile_files.py`` and ``bench/bench_hostile.py``. Each maker writes one
file (or folder, or pipe) under ``folder`` and returns its path and a piece of the
message every entry point must print for it.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

HEADER = ("version: 1\ntitle: Huge\nbrief: Lead.\nturns: 5\nplayer: p0\n"
          "teams:\n  - {id: t, name: T}\npeople:\n")


def big_100mb(folder: Path) -> tuple[Path, str]:
    """A YAML file of 100 MB: refused from its size, never read."""
    path = folder / "big-100mb.yaml"
    with open(path, "wb") as fh:
        fh.write(HEADER.encode())
        fh.seek(100 * 1024 * 1024)
        fh.write(b"\n# the end\n")
    return path, "the file is 104.9 MB"


def million_people_yaml(folder: Path) -> tuple[Path, str]:
    """A real YAML organisation of 1,000,000 people (about 50 MB)."""
    path = folder / "million-people.yaml"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(HEADER)
        fh.write("  - {id: p0, name: P0, role: manager, team: t}\n")
        line = "  - {id: p%d, name: Person %d, team: t, manager: p0}\n"
        for start in range(1, 1_000_000, 50_000):
            fh.write("".join(line % (i, i) for i in range(start, min(start + 50_000,
                                                                     1_000_000))))
    return path, "at most 5 MB"


def million_people_npz(folder: Path) -> tuple[Path, str]:
    """A compact organisation claiming 1,000,000 people: refused from its array headers."""
    path = folder / "million-people.npz"
    n = 1_000_000
    np.savez(path, meta=np.frombuffer(b"{}", np.uint8), people=np.frombuffer(b"[]", np.uint8),
             role=np.zeros(n, np.int8), team=np.zeros(n, np.int32),
             manager=np.zeros(n, np.int32), competence=np.zeros(n), openness=np.zeros(n),
             propensity=np.zeros(n), tie_src=np.zeros(1, np.int32),
             tie_dst=np.zeros(1, np.int32), tie_trust=np.zeros(1), tie_strength=np.zeros(1))
    return path, "1,000,000 people; at most 500,000"


def random_binary(folder: Path) -> tuple[Path, str]:
    path = folder / "random.yaml"
    path.write_bytes(random.Random(7).randbytes(1024 * 1024))
    return path, "binary"


def utf16(folder: Path) -> tuple[Path, str]:
    path = folder / "utf16.yaml"
    path.write_bytes((HEADER + "  - {id: p0, name: P0, team: t}\n").encode("utf-16"))
    return path, "UTF-16"


def a_folder(folder: Path) -> tuple[Path, str]:
    path = folder / "folder.yaml"
    path.mkdir()
    return path, "folder"


def a_pipe(folder: Path) -> tuple[Path, str]:
    path = folder / "pipe.yaml"
    os.mkfifo(path)
    return path, "not a regular file"


def not_a_zip(folder: Path) -> tuple[Path, str]:
    path = folder / "not-a-zip.npz"
    path.write_bytes(b"PK\x03\x04 this is not really a zip archive")
    return path, "not a readable compact organisation"


def truncated_npz(folder: Path) -> tuple[Path, str]:
    from simulator.experiments.generate import generate_org, write_org

    whole = folder / "whole.npz"
    write_org(generate_org(people=200, seed=1), str(whole))
    data = whole.read_bytes()
    whole.unlink()
    path = folder / "truncated.npz"
    path.write_bytes(data[: len(data) // 2])
    return path, str(path)


def long_line(folder: Path) -> tuple[Path, str]:
    """A 4 MB title on one line: under the size limit, over the field's."""
    path = folder / "long-line.yaml"
    path.write_text(HEADER.replace("title: Huge", "title: " + "x" * 4_000_000)
                    + "  - {id: p0, name: P0, team: t}\n", encoding="utf-8")
    return path, "title"


MAKERS: list[Callable[[Path], tuple[Path, str]]] = [
    big_100mb, million_people_yaml, million_people_npz, random_binary, utf16, a_folder,
    a_pipe, not_a_zip, truncated_npz, long_line,
]

# runs a command in a child process and reports its exit code, output and peak memory
_MEASURE = """
import json, resource, subprocess, sys
done = subprocess.run(sys.argv[1:], capture_output=True, text=True, stdin=subprocess.DEVNULL)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB -> MB
print(json.dumps({"code": done.returncode, "out": done.stdout + done.stderr, "mb": peak}))
"""


def measure(*args: str) -> dict[str, object]:
    """``trustsim ARGS`` in a fresh process: exit ``code``, ``out``put, peak ``mb``, ``seconds``."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _MEASURE, sys.executable, "-m",
                           "simulator.cli", *args], capture_output=True, text=True,
                          timeout=120, check=True)
    result: dict[str, object] = json.loads(done.stdout)
    result["seconds"] = time.perf_counter() - start
    return result

