"""The compact organisation format (``.npz``) for large, generated organisations.

YAML is for people writing by hand; a 300,000-person organisation with millions of ties
wants arrays. A compact file is a numpy ``.npz`` archive (no pickles) holding:

``meta``          UTF-8 JSON: the scenario fields of format v1 except ``people`` and
                  ``relationships`` (``format: trustsim-org``, ``version: 1``, ``title``, ...),
                  and ``generator``: the options ``trustsim generate`` grew it from, so
                  the organisation can be grown again with another seed
``people``        UTF-8 JSON: ``[[id, name], ...]``
``role``          int8 per person: 0 executive, 1 manager, 2 employee
``team``          int32 per person: index into ``meta.teams``
``manager``       int32 per person: index of their manager, -1 for none
``competence``, ``openness``, ``propensity``: float64 per person, in [0, 1]
``tie_src``, ``tie_dst``: int32 per directed tie; ``tie_trust``, ``tie_strength``: float64

Loading validates shapes, ranges, ids and reporting lines with whole-array checks.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from typing import TYPE_CHECKING, Any

import numpy as np
from pydantic import Field, ValidationError

from ..core.params import Params
from ..core.setup import ROLES, PersonSetup, PromiseSetup, Setup, TeamSetup, TieDefaults
from .build import _event
from .errors import Problem, ScenarioError
from .files import atomic_write_bytes
from .spec import (
    EventSpec,
    Id,
    Language,
    ObjectiveSpec,
    ParamsSpec,
    PromiseSpec,
    ShortText,
    Spec,
    TeamSpec,
    Text,
)
from .text import find_unsafe, first_bad_id, unsafe_message

if TYPE_CHECKING:
    from .loader import Scenario

FORMAT = "trustsim-org"

PERSON_ARRAYS = ("role", "team", "manager", "competence", "openness", "propensity")
TIE_ARRAYS = ("tie_src", "tie_dst", "tie_trust", "tie_strength")


class CompactMeta(Spec):
    """The scenario fields of a compact organisation file."""

    format: str = Field(FORMAT, pattern=f"^{FORMAT}$")
    version: int = Field(1, ge=1, le=1)
    title: ShortText
    language: Language = "en"
    summary: Text = ""
    brief: Text = ""
    seed: int = Field(0, ge=0, le=2**63 - 1)
    turns: int = Field(20, ge=1, le=1000)
    player: Id
    capacity: int = Field(3, ge=1, le=20)
    params: ParamsSpec = Field(default_factory=ParamsSpec)
    teams: list[TeamSpec] = Field(min_length=1)
    promises: list[PromiseSpec] = Field(default_factory=list)
    events: list[EventSpec] = Field(default_factory=list)
    objectives: list[ObjectiveSpec] = Field(default_factory=list)
    debrief: list[Text] = Field(default_factory=list)
    generator: dict[str, Any] = Field(default_factory=dict)


def save_compact(path: str, meta: dict[str, Any], people: list[tuple[str, str]],
                 arrays: dict[str, np.ndarray[Any, Any]]) -> None:
    """Write a compact organisation atomically."""
    import io

    meta = {"format": FORMAT, "version": 1, **meta}
    buffer = io.BytesIO()
    payload = {
        "meta": np.frombuffer(json.dumps(meta, ensure_ascii=False).encode(), np.uint8),
        "people": np.frombuffer(json.dumps(people, ensure_ascii=False).encode(), np.uint8),
        **arrays,
    }
    np.savez(buffer, **payload)  # type: ignore[arg-type]
    atomic_write_bytes(path, buffer.getvalue())


#: Limits that keep a hostile or mistaken file from taking the machine's memory: the lab
#: targets 300,000 people (about 3.3 million ties).
MAX_PEOPLE = 500_000
MAX_TIES = 12_000_000
MAX_TEXT_BYTES = 64 * 10**6


def _sizes(archive: Any) -> dict[str, int]:
    """The element count of every array in an ``.npz``, read from the headers only."""
    sizes: dict[str, int] = {}
    for name in archive.files:
        with archive.zip.open(name + ".npy") as fh:
            major, _minor = np.lib.format.read_magic(fh)
            reader = (np.lib.format.read_array_header_1_0 if major == 1
                      else np.lib.format.read_array_header_2_0)
            shape, _order, _dtype = reader(fh)
            count = 1
            for dim in shape:
                count *= int(dim)
            sizes[name] = count
    return sizes


def read_meta(path: str) -> dict[str, Any]:
    """The ``meta`` entry of a compact file as a dict, without reading its arrays."""

    def fail(message: str) -> ScenarioError:
        return ScenarioError([Problem(path, message, "meta", kind="file")])

    try:
        with np.load(path, allow_pickle=False) as archive:
            if _sizes(archive).get("meta", 0) > MAX_TEXT_BYTES:
                raise fail(f"the meta entry is over {MAX_TEXT_BYTES // 10**6} MB")
            raw = archive["meta"]
    except FileNotFoundError:
        raise fail("no such file") from None
    except KeyError:
        raise fail("missing array 'meta'") from None
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as exc:
        raise fail(f"not a readable compact organisation (.npz) file: {exc}") from None
    try:
        meta = json.loads(raw.tobytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise fail(f"the meta entry is not UTF-8 JSON: {exc}") from None
    if not isinstance(meta, dict):
        raise fail("the meta entry is not a JSON object")
    return meta


def load_compact(path: str) -> Scenario:
    from .loader import Scenario

    def fail(message: str, field: str = "") -> ScenarioError:
        return ScenarioError([Problem(path, message, field, kind="file")])

    try:
        archive = np.load(path, allow_pickle=False)
    except FileNotFoundError:
        raise fail("no such file") from None
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as exc:
        raise fail(f"not a readable compact organisation (.npz) file: {exc}") from None
    with archive:
        try:
            sizes = _sizes(archive)
        except (ValueError, OSError, zipfile.BadZipFile, EOFError, KeyError) as exc:
            raise fail(f"a damaged array in the archive: {exc}") from None
        # refuse what is too big from the array headers alone, before reading any data
        people_n = sizes.get("team", 0)
        ties_n = sizes.get("tie_src", 0)
        if people_n > MAX_PEOPLE:
            raise fail(f"the organisation has {people_n:,} people; at most {MAX_PEOPLE:,} are "
                       "supported", "people")
        if ties_n > MAX_TIES:
            raise fail(f"the organisation has {ties_n:,} ties; at most {MAX_TIES:,} are "
                       "supported", "ties")
        for name in ("meta", "people"):
            if sizes.get(name, 0) > MAX_TEXT_BYTES:
                raise fail(f"the {name} entry is {sizes[name] / 1e6:.0f} MB; at most "
                           f"{MAX_TEXT_BYTES // 10**6} MB", name)
        try:
            raw = {k: archive[k] for k in ("meta", "people", *PERSON_ARRAYS, *TIE_ARRAYS)}
        except KeyError as exc:
            raise fail(f"missing array {exc.args[0]}") from None
        except (ValueError, OSError, zipfile.BadZipFile, EOFError) as exc:
            raise fail(f"a damaged array in the archive: {exc}") from None
    try:
        meta_data = json.loads(raw["meta"].tobytes().decode("utf-8"))
        people = json.loads(raw["people"].tobytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise fail(f"the meta or people entry is not UTF-8 JSON: {exc}") from None
    try:
        meta = CompactMeta.model_validate(meta_data)
    except ValidationError as exc:
        raise ScenarioError([
            Problem(path, e["msg"], ".".join(str(x) for x in e["loc"]), kind="schema")
            for e in exc.errors(include_url=False)]) from None
    setup = _setup(path, meta, people, raw)
    with open(path, "rb") as fh:
        digest = hashlib.file_digest(fh, "sha256").hexdigest()
    return Scenario(setup, path, None, digest, None)


def _setup(path: str, meta: CompactMeta, people: Any, raw: dict[str, Any]) -> Setup:
    problems: list[Problem] = []

    def problem(field: str, message: str) -> None:
        problems.append(Problem(path, message, field, kind="schema"))

    if not isinstance(people, list) or not all(
            isinstance(p, list) and len(p) == 2 and all(isinstance(x, str) for x in p)
            for p in people):
        raise ScenarioError([Problem(path, "expected a list of [id, name] pairs", "people")])
    n = len(people)
    if n < 2:
        problem("people", "an organisation needs at least two people")
    for name in PERSON_ARRAYS:
        if raw[name].shape != (n,):
            problem(name, f"expected {n} values (one per person), got shape {raw[name].shape}")
    m = raw["tie_src"].shape[0] if raw["tie_src"].ndim == 1 else -1
    for name in TIE_ARRAYS:
        if raw[name].ndim != 1 or raw[name].shape[0] != m:
            problem(name, "tie arrays must be one-dimensional and of equal length")
    if problems:
        raise ScenarioError(problems)
    for name in ("competence", "openness", "propensity", "tie_trust", "tie_strength"):
        values = raw[name]
        if not np.issubdtype(values.dtype, np.floating) and not np.issubdtype(values.dtype,
                                                                               np.integer):
            problem(name, f"expected numbers, got {values.dtype}")
            continue
        bad = ~np.isfinite(values) | (values < 0) | (values > 1)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            problem(f"{name}[{i}]", f"must be a finite number in [0, 1] (got {values[i]}); "
                    f"{int(bad.sum())} such values")
    n_teams = len(meta.teams)
    for name, low, high in (("team", 0, n_teams - 1), ("manager", -1, n - 1),
                            ("role", 0, len(ROLES) - 1), ("tie_src", 0, n - 1),
                            ("tie_dst", 0, n - 1)):
        values = raw[name]
        if not np.issubdtype(values.dtype, np.integer):
            problem(name, f"expected whole numbers, got {values.dtype}")
        elif len(values) and (values.min() < low or values.max() > high):
            problem(name, f"values must lie in [{low}, {high}]")
    if problems:
        raise ScenarioError(problems)
    ids = [p[0] for p in people]
    bad = first_bad_id(ids)
    if bad is not None:
        problem(f"people[{bad}]", f"{ids[bad]!r} is not a valid id (no spaces, no invisible "
                "characters and none of : * , # ' \")")
    if find_unsafe("\n".join(p[1] for p in people)) is not None:  # one pass for all
        i = next(i for i, p in enumerate(people) if _unsafe(p[1]))
        name = people[i][1]
        problem(f"people[{i}].name", unsafe_message(name[find_unsafe(name) or 0]))
    if problems:
        raise ScenarioError(problems)
    index = {pid: i for i, pid in enumerate(ids)}
    if len(index) != n:
        seen: set[str] = set()
        dup = next(pid for pid in ids if pid in seen or seen.add(pid))  # type: ignore[func-returns-value]
        problem("people", f"person id {dup!r} is used more than once")
    src = raw["tie_src"].astype(np.int32)
    dst = raw["tie_dst"].astype(np.int32)
    if (src == dst).any():
        problem("tie_src", f"{int((src == dst).sum())} ties from a person to themselves")
    keys = np.sort(src.astype(np.int64) * n + dst)
    if len(keys) > 1 and (keys[1:] == keys[:-1]).any():
        problem("tie_src", "the same directed tie appears more than once")
    manager = raw["manager"].astype(np.int32)
    if (manager == np.arange(n)).any():
        problem("manager", "a person cannot be their own manager")
    elif _has_cycle(manager):
        problem("manager", "reporting lines form a cycle")
    if meta.player not in index:
        problem("player", f"unknown person {meta.player!r}")
    elif not (manager == index[meta.player]).any():
        problem("player", "the player manages nobody")
    for i, promise in enumerate(meta.promises):
        for field in ("by", "to"):
            if getattr(promise, field) not in index:
                problem(f"promises[{i}].{field}", f"unknown person {getattr(promise, field)!r}")
    if problems:
        raise ScenarioError(problems)
    team_ids = [t.id for t in meta.teams]
    roles = raw["role"]
    team = raw["team"]
    person_setups = [
        PersonSetup(pid, name, ROLES[r], team_ids[t], ids[mg] if mg >= 0 else None, c, o, p)
        for (pid, name), r, t, mg, c, o, p in zip(
            people, roles.tolist(), team.tolist(), manager.tolist(),
            raw["competence"].tolist(), raw["openness"].tolist(), raw["propensity"].tolist(),
            strict=True)
    ]
    return Setup(
        title=meta.title, language=meta.language, seed=meta.seed, turns=meta.turns,
        player=meta.player, capacity=meta.capacity,
        params=Params.from_overrides(
            meta.params.model_dump(exclude_none=True)),
        teams=[TeamSetup(t.id, t.name or t.id) for t in meta.teams],
        people=person_setups, tie_src=src, tie_dst=dst,
        tie_trust=raw["tie_trust"].astype(np.float64),
        tie_strength=raw["tie_strength"].astype(np.float64),
        promises=[PromiseSetup(p.id, p.by, p.to, p.what, p.due) for p in meta.promises],
        events=[_event(e) for e in meta.events],
        objectives=[],
        debrief=list(meta.debrief), brief=meta.brief, summary=meta.summary,
        within_team=TieDefaults(0.5, 0.6), reporting=TieDefaults(0.55, 0.8),
    )


def _unsafe(name: str) -> bool:
    return find_unsafe(name) is not None


def _has_cycle(manager: np.ndarray[Any, Any]) -> bool:
    """Whether following manager pointers ever loops (pointer doubling, O(n log n))."""
    n = len(manager)
    jump = np.where(manager < 0, np.arange(n), manager)
    for _ in range(int(np.ceil(np.log2(max(2, n)))) + 2):
        jump = jump[jump]
    root = jump
    # a node is in a tree iff its root has no manager
    return bool((manager[root] >= 0).any())


def file_sha256(path: str) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


__all__ = ["FORMAT", "CompactMeta", "file_sha256", "load_compact", "read_meta",
           "save_compact"]
