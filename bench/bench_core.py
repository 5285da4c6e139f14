"""Core benchmark: generate, load, build, one act, one end of turn, at 300 to 300,000 people.

    python bench/bench_core.py [--sizes 300,3000,30000,300000] [--repeat N] [--json out.json]

The parent process runs every size in a fresh child (``--one N``), so each size starts
from a clean interpreter and its peak memory means something, and one more child times
loading a 300-person hand-written YAML scenario (``--yaml 300``). Children print one JSON
line each (prefixed ``@@result``); the parent prints the table, the targets with PASS or
MISS, and optionally writes everything to JSON. See bench/README.md for the columns.

Beside each figure of the game stands the same work done with plain networkx dict loops
(bench/reference_nx.py) and the ratio reference / game.

Timings are measured here and only here; the tests never assert them.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

MARK = "@@result "
TURNS = 1000  # the generator's (and the compact format's) maximum: the game never ends here
LARGE = 100_000  # from this size on, the slow phases run once (see --large-repeat)
MIB = 1024 * 1024
GIB = 1024 * MIB

# the targets: (what, size or None for every size, limit, unit)
ACT_MS = 1.0
END_TURN_MS = {3_000: 2.0, 30_000: 20.0, 300_000: 150.0}
YAML_S = 0.3
BIG = 300_000
BIG_S = 10.0
BIG_BYTES = 4 * GIB


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# -- memory -----------------------------------------------------------------------------------


class Memory:
    """Peak resident memory per phase, plus the process peak over all phases.

    On Linux, writing 5 to /proc/self/clear_refs resets the kernel's high-water mark of
    resident memory (VmHWM, also what ``ru_maxrss`` reports), so each phase can read its own
    peak; ``process_peak`` keeps the maximum over every phase. Where the reset is refused,
    phase peaks fall back to ``ru_maxrss`` (the process peak so far) and say so.
    """

    def __init__(self) -> None:
        self.process_peak = 0
        self.resettable = self._reset()

    @staticmethod
    def _status(field: str) -> int | None:
        try:
            with open("/proc/self/status") as fh:
                found = re.search(rf"^{field}:\s+(\d+) kB", fh.read(), re.MULTILINE)
        except OSError:
            return None
        return int(found.group(1)) * 1024 if found else None

    def _reset(self) -> bool:
        try:
            with open("/proc/self/clear_refs", "w") as fh:
                fh.write("5")
        except OSError:
            return False
        return True

    def peak(self) -> int:
        """Peak RSS (bytes) since the last reset; updates the process peak."""
        value = self._status("VmHWM")
        if value is None:
            value = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        self.process_peak = max(self.process_peak, value)
        return value

    def rss(self) -> int:
        return self._status("VmRSS") or 0

    def reset(self) -> None:
        """Start a new phase (the process peak so far is kept)."""
        self.peak()
        if self.resettable:
            self._reset()


# -- timing -----------------------------------------------------------------------------------


def heavy(fn: Callable[[], Any], samples: int) -> tuple[list[float], Any]:
    """Time ``fn`` (a slow, one-shot phase) ``samples`` times with the GC on, as a user
    would wait for it; a full ``gc.collect()`` runs before each sample, outside the timing.
    Returns the times in seconds and the last result."""
    times: list[float] = []
    result: Any = None
    for _ in range(samples):
        result = None
        gc.collect()
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return times, result


def micro(fn: Callable[[int], Any], samples: int, *, warmup: int = 1,
          before: Callable[[int], None] | None = None) -> dict[str, Any]:
    """Time a short call ``samples`` times, after ``warmup`` untimed calls.

    Before each sample ``before(i)`` runs (untimed) and the young generations are
    collected; during the call the cyclic GC is off, as ``timeit`` does, so a collection
    of the whole heap (seconds at 300,000 people: see ``gc_full_ms``) does not land in one
    sample. Returns wall (perf_counter) and CPU (process_time) times in milliseconds.
    """
    for i in range(warmup):
        if before is not None:
            before(-1 - i)
        fn(-1 - i)
    wall: list[float] = []
    cpu: list[float] = []
    for i in range(samples):
        if before is not None:
            before(i)
        gc.collect(1)
        gc.disable()
        try:
            c0 = time.process_time()
            t0 = time.perf_counter()
            fn(i)
            t1 = time.perf_counter()
            c1 = time.process_time()
        finally:
            gc.enable()
        wall.append((t1 - t0) * 1e3)
        cpu.append((c1 - c0) * 1e3)
    return summary(wall, cpu)


def summary(wall: list[float], cpu: list[float] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "median": statistics.median(wall), "min": min(wall), "max": max(wall),
        "n": len(wall), "samples": [round(x, 6) for x in wall],
    }
    if cpu is not None:
        out["cpu_median"] = statistics.median(cpu)
    return out


def seconds(times: list[float]) -> dict[str, Any]:
    return summary(times)


# -- one size, in a fresh process --------------------------------------------------------------


def run_one(n: int, args: argparse.Namespace) -> dict[str, Any]:
    from reference_nx import RefGame, check_against

    from simulator.core import Simulation
    from simulator.experiments.generate import generate_org, write_org
    from simulator.scenario import load_scenario

    large = n >= LARGE
    slow = args.large_repeat if large else args.repeat
    turn_samples = min(args.turn_samples, args.large_turn_samples) if large \
        else args.turn_samples
    mem = Memory()
    res: dict[str, Any] = {"people": n, "peak_reset": mem.resettable}
    tmp = tempfile.mkdtemp(prefix="trustsim-bench-")
    try:
        # warm-up: imports, pydantic models, numpy and networkx code paths, on 300 people
        warm = generate_org(people=300, seed=2, turns=TURNS)
        warm_path = os.path.join(tmp, "warm.npz")
        write_org(warm, warm_path)
        warm_setup = load_scenario(warm_path).setup
        Simulation(warm_setup, undo=False)
        warm_ref = RefGame.build(warm_setup)
        warm_ref.end_turn()
        del warm, warm_ref
        gc.collect()
        res["rss_baseline_mib"] = mem.rss() / MIB

        # 1. generate, then write the .npz ------------------------------------------------
        log(f"[{n:,}] generate x{slow}")
        mem.reset()
        times, org = heavy(lambda: generate_org(people=n, seed=1, turns=TURNS), slow)
        res["generate_s"] = seconds(times)
        res["edges"] = len(org.tie_src)
        res["teams"] = len(org.team_lead)
        path = os.path.join(tmp, f"org-{n}.npz")
        t0 = time.perf_counter()
        write_org(org, path)
        res["write_s"] = time.perf_counter() - t0
        res["npz_mib"] = os.path.getsize(path) / MIB
        del org
        gc.collect()
        res["generate_peak_mib"] = mem.peak() / MIB

        # 2. load (compact .npz with validation) ---------------------------------------------
        log(f"[{n:,}] load x{slow}")
        mem.reset()
        times, scenario = heavy(lambda: load_scenario(path), slow)
        res["load_s"] = seconds(times)
        res["load_peak_mib"] = mem.peak() / MIB
        setup = scenario.setup

        # 3. build the game --------------------------------------------------------------------
        log(f"[{n:,}] build x{slow}")
        times, sim = heavy(lambda: Simulation(setup, undo=False), slow)
        res["build_s"] = seconds(times)
        res["build_peak_mib"] = mem.peak() / MIB  # load + build: a process starting a game
        res["process_peak_mib"] = mem.process_peak / MIB  # generate, load and build
        res["rss_after_build_mib"] = mem.rss() / MIB
        gc_times, _ = heavy(lambda: gc.collect(), 3)
        res["gc_full_ms"] = statistics.median(gc_times) * 1e3
        mem.reset()

        # 4. one act, 5. one end of turn -------------------------------------------------
        sim.capacity_left = 10**9
        report_ids = [sim.world.ids[i] for i in sim.world.reports(sim.player)]
        res["reports"] = len(report_ids)
        time_game(sim, report_ids, res, args, turn_samples)
        res["play_peak_mib"] = mem.peak() / MIB  # the game live, acts and ends of turn
        if args.profile and n >= args.profile:
            res["profile_end_turn"] = profile(sim.end_turn, 3)
            res["profile_load"] = profile(lambda: load_scenario(path), 1)
            res["profile_build"] = profile(lambda: Simulation(setup, undo=False), 1)
        sim = None
        gc.collect()

        # 6. the plain networkx reference ---------------------------------------------------
        ref_slow = 1 if large else args.repeat
        log(f"[{n:,}] reference: build x{ref_slow}")
        mem.reset()
        times, ref = heavy(lambda: RefGame.build(setup), ref_slow)
        res["ref_build_s"] = seconds(times)
        res["ref_build_peak_mib"] = mem.peak() / MIB
        ref_turns = 1 if large else max(3, min(args.repeat, turn_samples))
        time_ref(ref, [ref.index[r] for r in report_ids], res, args, ref_turns, large)
        ref = None
        gc.collect()

        # 7. same arithmetic? (the same acts and one end of turn on both) --------------------
        if n <= args.check_max:
            try:
                res["check"] = check_against(setup, report_ids[0])
            except Exception as exc:  # the benchmark should still report the timings
                res["check"] = {"error": f"{type(exc).__name__}: {exc}"}
        mem.peak()
        res["process_peak_all_mib"] = mem.process_peak / MIB  # the whole child
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return res


def time_game(sim: Any, report_ids: list[str], res: dict[str, Any], args: argparse.Namespace,
              turn_samples: int) -> None:
    """One act (quick win, feedback) on the player's reports, then ends of turn."""
    n = sim.world.n_people
    log(f"[{n:,}] acts x{args.act_samples} on {len(report_ids)} reports")

    def fresh(i: int) -> None:
        # the repeat penalty would shrink the signal (and the spread) every time
        sim.world.quick_wins.clear()
        sim.capacity_left = 10**9

    records: dict[str, list[int]] = {"quick_win": [], "feedback": []}
    outcomes: set[str] = set()

    def quick_win(i: int) -> None:
        result = sim.act("quick_win", report_ids[i % len(report_ids)])
        records["quick_win"].append(len(result.changes))

    def feedback(i: int) -> None:
        result = sim.act("feedback", report_ids[i % len(report_ids)])
        records["feedback"].append(len(result.changes))
        outcomes.add(result.outcome)

    res["act_quick_win_ms"] = micro(quick_win, args.act_samples, warmup=2, before=fresh)
    res["act_feedback_ms"] = micro(feedback, args.act_samples, warmup=2, before=fresh)
    res["act_records"] = {k: statistics.median(v) for k, v in records.items()}
    res["feedback_outcomes"] = sorted(outcomes)

    log(f"[{n:,}] end of turn x{turn_samples}")
    gc.collect()
    res["end_turn_ms"] = micro(lambda i: sim.end_turn(), turn_samples, warmup=1)
    res["turns_played"] = sim.turn - 1
    res["over"] = bool(sim.over)


def time_ref(ref: Any, targets: list[int], res: dict[str, Any], args: argparse.Namespace,
             turns: int, large: bool) -> None:
    """The same acts and ends of turn on the plain networkx reference."""
    def fresh(i: int) -> None:
        ref.quick_wins.clear()

    res["ref_act_quick_win_ms"] = micro(lambda i: ref.quick_win(targets[i % len(targets)]),
                                        args.act_samples, warmup=2, before=fresh)
    res["ref_act_feedback_ms"] = micro(lambda i: ref.feedback(targets[i % len(targets)]),
                                       args.act_samples, warmup=2, before=fresh)
    log(f"[{len(ref.ids):,}] reference: end of turn x{turns}")
    res["ref_end_turn_ms"] = micro(lambda i: ref.end_turn(), turns, warmup=0 if large else 1)


def profile(fn: Callable[[], Any], calls: int, top: int = 12) -> list[str]:
    """The functions with the most own time over ``calls`` calls of ``fn`` (cProfile)."""
    import cProfile
    import io
    import pstats

    prof = cProfile.Profile()
    prof.enable()
    for _ in range(calls):
        fn()
    prof.disable()
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(top)
    return [line for line in out.getvalue().splitlines() if line.strip()][-top - 1:]


# -- the 300-person hand-written YAML ------------------------------------------------------------


def _f(x: float) -> str:
    return f"{x:.2f}"


def org_yaml(people: int, seed: int = 1) -> tuple[str, dict[str, int]]:
    """A scenario (format v1) a trainer could have written for a generated organisation.

    Teams, people with traits, reporting lines, ``within_team`` and ``reporting`` defaults
    instead of the ties inside teams, and every cross-team tie of the organisation as an
    explicit ``mutual`` tie (the mean of both directions, two decimals), plus a promise,
    an event and two objectives so that every section gets read.
    """
    import numpy as np

    from simulator.experiments.generate import generate_org

    org = generate_org(people=people, seed=seed, turns=20)
    ids, team_ids = org.ids(), org.team_ids()
    roles = ("executive", "manager", "employee")
    player = ids[org.player]
    mine = np.flatnonzero(org.manager == org.player)
    reports = [ids[i] for i in mine]
    my_team = team_ids[int(org.team[mine[0]])]
    out = [
        "# generated by bench/bench_core.py: a hand-written-style scenario for timing",
        "version: 1",
        f"title: Bench organisation ({people} people)",
        "language: en",
        "summary: A generated organisation written out as a hand-written scenario.",
        "brief: |",
        "  You lead a team in a mid-sized organisation. Nothing happens here but the timing.",
        f"seed: {seed}",
        "turns: 20",
        f"player: {player}",
        "capacity: 3",
        "",
        "teams:",
    ]
    out += [f"  - {{id: {t}, name: Team of {ids[lead]}}}"
            for t, lead in zip(team_ids, org.team_lead.tolist(), strict=True)]
    out += ["", "people:"]
    for i, pid in enumerate(ids):
        manager = int(org.manager[i])
        line = (f"  - {{id: {pid}, name: Person {i}, role: {roles[int(org.role[i])]}, "
                f"team: {team_ids[int(org.team[i])]}")
        if manager >= 0:
            line += f", manager: {ids[manager]}"
        line += (f", traits: {{competence: {_f(org.competence[i])}, "
                 f"openness: {_f(org.openness[i])}, propensity: {_f(org.propensity[i])}}}}}")
        out.append(line)
    # cross-team ties (not reporting lines), folded into mutual pairs
    manager = org.manager
    src, dst = org.tie_src.tolist(), org.tie_dst.tolist()
    values: dict[tuple[int, int], list[tuple[float, float]]] = {}
    for a, b, t, s in zip(src, dst, org.tie_trust.tolist(), org.tie_strength.tolist(),
                          strict=True):
        if org.team[a] == org.team[b] or manager[a] == b or manager[b] == a:
            continue
        values.setdefault((min(a, b), max(a, b)), []).append((t, s))
    out += [
        "",
        "relationships:",
        "  defaults:",
        f"    within_team: {{trust: {_f(org.options.trust_within)}, "
        f"strength: {_f(org.options.strength_within)}}}",
        f"    reporting: {{trust: {_f(org.options.trust_reporting)}, strength: 0.80}}",
        "  ties:",
    ]
    for (a, b), pairs in values.items():
        t = sum(p[0] for p in pairs) / len(pairs)
        s = sum(p[1] for p in pairs) / len(pairs)
        out.append(f"    - {{mutual: [{ids[a]}, {ids[b]}], trust: {_f(t)}, strength: {_f(s)}}}")
    out += [
        "",
        "promises:",
        f"  - {{id: p1, by: {player}, to: {reports[0]}, what: a quieter sprint, due: 5}}",
        "",
        "events:",
        "  - id: squeeze",
        "    turn: 4",
        "    kind: budget_cut",
        "    title: Budget review",
        "    text: Two teams compete for the same budget.",
        f"    teams: [{team_ids[0]}, {team_ids[-1]}]",
        "    severity: 0.08",
        "",
        "objectives:",
        "  - {id: bridge, kind: cross_team_trust, at_least: 0.3, "
        "text: Cross-team trust stays at 0.3 or more}",
        f"  - {{id: mine, kind: trust_in_player, who: {my_team}, at_least: 0.5, "
        "text: My team trusts me}",
        "",
    ]
    stats = {"people": people, "teams": len(team_ids), "explicit_ties": len(values)}
    return "\n".join(out), stats


def run_yaml(people: int, args: argparse.Namespace) -> dict[str, Any]:
    from simulator.scenario import load_scenario

    text, stats = org_yaml(people)
    tmp = tempfile.mkdtemp(prefix="trustsim-bench-yaml-")
    try:
        path = os.path.join(tmp, f"org-{people}.yaml")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
        res: dict[str, Any] = {**stats, "yaml_kib": os.path.getsize(path) / 1024}
        t0 = time.perf_counter()
        scenario = load_scenario(path)  # the first load in a fresh process: lazy imports too
        res["first_load_s"] = time.perf_counter() - t0
        res["directed_ties"] = len(scenario.setup.tie_src)
        samples = max(5, args.repeat)
        times, _ = heavy(lambda: load_scenario(path), samples)
        res["load_s"] = seconds(times)
        if args.profile:
            res["profile_yaml"] = profile(lambda: load_scenario(path), 3)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return res


# -- the parent: children, table, targets ---------------------------------------------------------


def child(argv: list[str], timeout: float) -> dict[str, Any]:
    cmd = [sys.executable, os.path.abspath(__file__), *argv]
    try:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=None, text=True,
                              timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s"}
    for line in proc.stdout.splitlines():
        if line.startswith(MARK):
            result: dict[str, Any] = json.loads(line[len(MARK):])
            return result
    return {"error": f"exit status {proc.returncode}, no result line"}


def fmt(value: float | None, digits: int = 3) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if value == 0:
        return "0"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.{max(0, digits - 1 - math.floor(math.log10(abs(value))))}f}"


def med(res: dict[str, Any], key: str) -> float | None:
    entry = res.get(key)
    if isinstance(entry, dict) and "median" in entry:
        return float(entry["median"])
    if isinstance(entry, int | float):
        return float(entry)
    return None


def ratio(ref: float | None, ours: float | None) -> float | None:
    if ref is None or ours is None or ours <= 0:
        return None
    return ref / ours


def verdict(value: float | None, limit: float) -> str:
    if value is None:
        return "n/a"
    return "PASS" if value <= limit else "MISS"


def build_report(results: dict[int, dict[str, Any]], yaml_res: dict[str, Any]
                 ) -> tuple[str, list[dict[str, Any]]]:
    sizes = sorted(results)
    ok = {n: r for n, r in results.items() if "error" not in r}
    targets: list[dict[str, Any]] = []

    for r in ok.values():  # derived figures, flattened for row()
        r["act_records_qw"] = (r.get("act_records") or {}).get("quick_win")
        r["act_records_fb"] = (r.get("act_records") or {}).get("feedback")
        for key in ("end_turn_ms", "act_quick_win_ms", "act_feedback_ms"):
            entry = r.get(key) or {}
            r[key + "_cpu"] = entry.get("cpu_median")
            r[key + "_min"] = entry.get("min")

    def row(label: str, key: str, target: str = "",
            limit: Callable[[int], float | None] | None = None,
            integer: bool = False) -> list[str]:
        cells = [label]
        for n in sizes:
            r = ok.get(n)
            v = med(r, key) if r else None
            text = f"{v:,.0f}" if integer and v is not None else fmt(v)
            lim = limit(n) if limit else None
            if lim is not None and v is not None:
                text += " " + ("ok" if v <= lim else "MISS")
            cells.append(text)
        cells.append(target)
        return cells

    def ratio_row(label: str, ref_key: str, our_key: str) -> list[str]:
        cells = [label]
        for n in sizes:
            r = ok.get(n)
            cells.append(fmt(ratio(med(r, ref_key), med(r, our_key))) if r else "-")
        cells.append("")
        return cells

    act_limit: Callable[[int], float | None] = lambda n: ACT_MS  # noqa: E731
    turn_limit: Callable[[int], float | None] = END_TURN_MS.get  # type: ignore[assignment]
    rows = [
        ["people"] + [f"{n:,}" for n in sizes] + ["target"],
        row("ties (directed)", "edges", integer=True),
        row("teams", "teams", integer=True),
        None,
        row("generate (s)", "generate_s"),
        row("  write .npz (s, once)", "write_s"),
        row("  peak RSS generate (MiB)", "generate_peak_mib"),
        row("load .npz + validate (s)", "load_s"),
        row("  peak RSS load (MiB)", "load_peak_mib"),
        row("build Simulation (s)", "build_s"),
        row("  peak RSS load+build (MiB)", "build_peak_mib"),
        row("  process peak gen+load+build", "process_peak_mib"),
        row("  peak RSS playing (MiB)", "play_peak_mib"),
        row("REF nx DiGraph build (s)", "ref_build_s"),
        row("  REF peak RSS (MiB)", "ref_build_peak_mib"),
        ratio_row("  ratio REF / build", "ref_build_s", "build_s"),
        None,
        row("act quick_win (ms)", "act_quick_win_ms", target="<= 1 ms", limit=act_limit),
        row("act feedback (ms)", "act_feedback_ms", target="<= 1 ms", limit=act_limit),
        row("  fastest quick_win / feedback", "act_quick_win_ms_min"),
        row("", "act_feedback_ms_min"),
        row("  trust records per act (qw / fb)", "act_records_qw", integer=True),
        row("", "act_records_fb", integer=True),
        row("REF act quick_win (ms)", "ref_act_quick_win_ms"),
        row("REF act feedback (ms)", "ref_act_feedback_ms"),
        ratio_row("  ratio REF / quick_win", "ref_act_quick_win_ms", "act_quick_win_ms"),
        ratio_row("  ratio REF / feedback", "ref_act_feedback_ms", "act_feedback_ms"),
        None,
        row("end of turn (ms)", "end_turn_ms", target="2/20/150 ms", limit=turn_limit),
        row("  fastest sample (ms)", "end_turn_ms_min"),
        row("  CPU time, median (ms)", "end_turn_ms_cpu"),
        row("REF end of turn (ms)", "ref_end_turn_ms"),
        ratio_row("  ratio REF / end of turn", "ref_end_turn_ms", "end_turn_ms"),
        row("full gc.collect(), game live (ms)", "gc_full_ms"),
    ]
    widths = [max(len(c[i]) for c in rows if c) for i in range(len(sizes) + 2)]
    lines = []
    for cells in rows:
        if cells is None:
            lines.append("-" * (sum(widths) + 2 * (len(widths) - 1)))
            continue
        parts = [cells[0].ljust(widths[0])]
        parts += [c.rjust(widths[i + 1]) for i, c in enumerate(cells[1:-1])]
        parts.append(cells[-1].ljust(widths[-1]))
        lines.append("  ".join(parts).rstrip())
    for n, r in sorted(results.items()):
        if "error" in r:
            lines.append(f"{n:,} people: FAILED ({r['error']})")

    # -- targets -----------------------------------------------------------------------------
    def target(what: str, value: float | None, limit: float, unit: str,
               fastest: float | None = None) -> None:
        targets.append({"target": what, "value": value, "limit": limit, "unit": unit,
                        "verdict": verdict(value, limit), "fastest": fastest})

    for n in sizes:
        r = ok.get(n)
        for kind in ("quick_win", "feedback"):
            target(f"one act ({kind}) at {n:,} people", med(r, f"act_{kind}_ms") if r else None,
                   ACT_MS, "ms", r.get(f"act_{kind}_ms_min") if r else None)
    for n, limit in END_TURN_MS.items():
        if n in results:
            r = ok.get(n)
            target(f"end of turn at {n:,} people", med(r, "end_turn_ms") if r else None,
                   limit, "ms", r.get("end_turn_ms_min") if r else None)
    if yaml_res:
        target(f"{yaml_res.get('people', 300)}-person YAML load + validate",
               med(yaml_res, "load_s"), YAML_S, "s")
    if BIG in results:
        r = ok.get(BIG)
        gen, load, build = ((med(r, k) for k in ("generate_s", "load_s", "build_s")) if r
                            else (None, None, None))
        gl = None if gen is None or load is None else gen + load
        glb = None if gl is None or build is None else gl + build
        gl_mem = None if not r else max(r["generate_peak_mib"], r["load_peak_mib"]) * MIB
        glb_mem = None if not r else r["process_peak_mib"] * MIB
        target("300,000 people: generate + load, time", gl, BIG_S, "s")
        target("300,000 people: generate + load, peak RSS", gl_mem, BIG_BYTES, "bytes")
        target("300,000 people: generate + load + build, time (informative)", glb, BIG_S, "s")
        target("300,000 people: generate + load + build, peak RSS (informative)", glb_mem,
               BIG_BYTES, "bytes")

    lines.append("")
    lines.append("Targets (medians)")
    width = max(len(t["target"]) for t in targets) if targets else 0
    for t in targets:
        value, unit = t["value"], t["unit"]
        if unit == "bytes":
            shown = "-" if value is None else f"{value / GIB:.2f} GiB"
            limit = f"{t['limit'] / GIB:.0f} GiB"
        else:
            shown = "-" if value is None else f"{fmt(value)} {unit}"
            limit = f"{fmt(t['limit'])} {unit}"
        note = ""
        if t["verdict"] == "MISS" and t["fastest"] is not None:
            note = f"  (fastest sample {fmt(t['fastest'])} {unit})"
        lines.append(f"  {t['target'].ljust(width)}  {shown:>12}  <= {limit:<8}  "
                     f"{t['verdict']}{note}")
    if yaml_res and "error" not in yaml_res:
        lines.append("")
        lines.append(
            f"YAML: {yaml_res['people']} people, {yaml_res['teams']} teams, "
            f"{yaml_res['explicit_ties']} explicit mutual ties, {yaml_res['directed_ties']:,} "
            f"directed ties after defaults, {yaml_res['yaml_kib']:.0f} KiB; first load in a "
            f"fresh process {fmt(yaml_res['first_load_s'])} s, then median "
            f"{fmt(med(yaml_res, 'load_s'))} s")
    elif yaml_res:
        lines.append(f"YAML: FAILED ({yaml_res['error']})")
    checks = [(n, r["check"]) for n, r in sorted(ok.items()) if "check" in r]
    if checks:
        lines.append("")
        lines.append("Same arithmetic? (game vs REF after two acts and one end of turn)")
        for n, c in checks:
            if "error" in c:
                lines.append(f"  {n:,}: check failed: {c['error']}")
                continue
            lines.append(
                f"  {n:,}: act records same pairs {c['act_records_same_pairs']}, "
                f"max diff {c['act_max_diff']:.1e}; trust {c['trust_max_diff']:.1e}, "
                f"strength {c['strength_max_diff']:.1e}; E-I {c['ei_max_diff']:.1e}, "
                f"modularity {c['modularity_diff']:.1e} (metrics.py numpy twins vs REF: "
                f"{c['arrays_twin_ei_max_diff']:.1e}, {c['arrays_twin_modularity_diff']:.1e})")
    return "\n".join(lines), targets


def environment() -> dict[str, Any]:
    import networkx
    import numpy

    return {
        "python": platform.python_version(), "numpy": numpy.__version__,
        "networkx": networkx.__version__, "machine": platform.machine(),
        "cpus": os.cpu_count(), "loadavg_start": os.getloadavg(),
        "time": time.strftime("%Y-%m-%d %H:%M:%S"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="300,3000,30000,300000",
                        help="comma-separated numbers of people")
    parser.add_argument("--repeat", type=int, default=5,
                        help="samples of the slow phases (generate, load, build, REF) below "
                             f"{LARGE:,} people (default 5)")
    parser.add_argument("--large-repeat", type=int, default=3,
                        help=f"samples of generate, load and build from {LARGE:,} people on "
                             "(default 3; the REF build and end of turn run once there)")
    parser.add_argument("--act-samples", type=int, default=60,
                        help="timed calls per act and size (default 60)")
    parser.add_argument("--turn-samples", type=int, default=25,
                        help="timed ends of turn per size (default 25)")
    parser.add_argument("--large-turn-samples", type=int, default=9,
                        help=f"timed ends of turn from {LARGE:,} people on (default 9)")
    parser.add_argument("--check-max", type=int, default=30_000,
                        help="check game vs REF arithmetic up to this size (default 30000)")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="also cProfile build and end of turn from N people on, and the "
                             "YAML load (0: off)")
    parser.add_argument("--json", help="write every figure and sample here")
    parser.add_argument("--timeout", type=float, default=1200.0, help="per child, seconds")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--yaml", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.one is not None:
        print(MARK + json.dumps(run_one(args.one, args)), flush=True)
        return 0
    if args.yaml is not None:
        print(MARK + json.dumps(run_yaml(args.yaml, args)), flush=True)
        return 0

    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    env = environment()
    passthrough = ["--repeat", str(args.repeat), "--large-repeat", str(args.large_repeat),
                   "--act-samples", str(args.act_samples),
                   "--turn-samples", str(args.turn_samples),
                   "--large-turn-samples", str(args.large_turn_samples),
                   "--check-max", str(args.check_max), "--profile", str(args.profile)]
    start = time.perf_counter()
    log("yaml: 300 people")
    yaml_res = child(["--yaml", "300", *passthrough], args.timeout)
    results: dict[int, dict[str, Any]] = {}
    for n in sizes:
        t0 = time.perf_counter()
        results[n] = child(["--one", str(n), *passthrough], args.timeout)
        log(f"[{n:,}] done in {time.perf_counter() - t0:.1f} s")
    env["loadavg_end"] = os.getloadavg()
    env["total_s"] = time.perf_counter() - start
    table, targets = build_report(results, yaml_res)
    print(f"trustsim core benchmark: Python {env['python']}, numpy {env['numpy']}, "
          f"networkx {env['networkx']}, {env['cpus']} CPUs, load average "
          f"{env['loadavg_start'][0]:.2f} at start, {env['loadavg_end'][0]:.2f} at end; "
          f"{env['total_s']:.0f} s in all")
    print("medians; REF = the same work in plain networkx dict loops (bench/reference_nx.py);"
          " ratio = REF / game")
    print()
    print(table)
    if args.profile:
        for name, res in [("yaml", yaml_res), *((f"{n:,}", r) for n, r in results.items())]:
            for key in ("profile_yaml", "profile_load", "profile_build", "profile_end_turn"):
                if res.get(key):
                    print(f"\ncProfile {key[8:]} ({name}), by own time "
                          "(numpy ufuncs are not listed: their time shows in the caller)")
                    print("\n".join(res[key]))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump({"environment": env, "sizes": {str(n): r for n, r in results.items()},
                       "yaml": yaml_res, "targets": targets}, fh, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
