"""Hostile scenario files, timed: every invalid case through `validate`, `run` and `play`.

The committed cases (tests/scenario/invalid/) and the generated ones (100 MB files,
1,000,000 people, binary, pipes...: tests/reliability/hostile.py) each run in a fresh
process per entry point; the table gives the exit code, the wall time and the peak memory
of that process. The bounds from the issue: under 2 s and 500 MB each, exit code 1.

Run: ``python bench/bench_hostile.py [--only validate]``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "reliability"))

from hostile import MAKERS, measure  # noqa: E402


def run(command: str, path: Path) -> tuple[int, float, float]:
    result = measure(command, str(path))
    return int(str(result["code"])), float(str(result["seconds"])), float(str(result["mb"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", choices=["validate", "run", "play"])
    args = parser.parse_args()
    commands = [args.only] if args.only else ["validate", "run", "play"]
    folder = Path(tempfile.mkdtemp(prefix="trustsim-hostile-"))
    cases = sorted((ROOT / "tests" / "scenario" / "invalid").glob("*.yaml"))
    cases += [make(folder)[0] for make in MAKERS]
    worst_wall = worst_mb = 0.0
    bad = []
    print(f"{'case':38} {'command':9} {'exit':>4} {'seconds':>8} {'peak MB':>8}")
    for path in cases:
        for command in commands:
            code, wall, mb = run(command, path)
            worst_wall, worst_mb = max(worst_wall, wall), max(worst_mb, mb)
            flag = "" if code == 1 and wall < 2 and mb < 500 else "  <-- out of bounds"
            if flag:
                bad.append((path.name, command))
            print(f"{path.name[:38]:38} {command:9} {code:>4} {wall:>8.2f} {mb:>8.0f}{flag}")
    print(f"\n{len(cases)} cases x {len(commands)} entry points: max {worst_wall:.2f} s, "
          f"max {worst_mb:.0f} MB peak; out of bounds: {len(bad)}")
    print("(wall time includes starting Python and importing the loader in a fresh process)")


if __name__ == "__main__":
    main()
