"""Scenario format v1: the shapes a trainer writes, as pydantic models.

Every field has a description: they become hover text in editors through the generated
JSON Schema (``trustsim schema``) and the field reference in docs/authoring.md.
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
    WithJsonSchema,
    create_model,
    model_validator,
)
from pydantic_core import PydanticCustomError

from ..core.params import PARAMS
from .text import (
    GROUP_PATTERN,
    ID_PATTERN,
    TEXT_PATTERN,
    find_unsafe,
    is_group,
    is_id,
    unsafe_message,
)
from .yamlsource import RawInt, raw_text

# Every text of a scenario passes through one of the types below. Two rules hold for all:
# a number written where text is expected is the text as written (`team: 007` is the team
# "007"), and no control or bidirectional character gets in (see simulator.scenario.text).
# Each type's JSON Schema is written out (WithJsonSchema) so that editors check the very
# rule the loader applies: the same patterns, numbers accepted as text.


def _text(value: Any) -> Any:
    return raw_text(value)


def _nfc(value: Any) -> Any:
    value = raw_text(value)
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


def _safe(value: str) -> str:
    """The rule for text: no control characters (but newline and tab), no bidi controls."""
    index = find_unsafe(value)
    if index is not None:
        raise PydanticCustomError("unsafe_text", "{message}",
                                  {"message": unsafe_message(value[index]), "index": index})
    return value


def _id(value: str) -> str:
    if not is_id(value):
        raise PydanticCustomError("string_pattern_mismatch", "not a valid id",
                                  {"pattern": ID_PATTERN})
    return value


def _group(value: str) -> str:
    if not is_group(value):
        raise PydanticCustomError("string_pattern_mismatch", "not a valid id",
                                  {"pattern": GROUP_PATTERN})
    return value


def _whole(value: Any) -> Any:
    """``8.0`` where a whole number is expected is 8: JSON Schema (and so every editor)
    counts 8.0 as an integer, so the loader does too; 8.5, ``true`` and ``"8"`` stay
    errors."""
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        whole = RawInt(int(value))
        whole.raw = getattr(value, "raw", None) or repr(value)  # as written, for messages
        return whole
    return value


def _language(value: str) -> str:
    if not re.search(LANGUAGE_PATTERN, value):
        raise PydanticCustomError("string_pattern_mismatch", "not a language code",
                                  {"pattern": LANGUAGE_PATTERN})
    return value


#: text or a number (read as the text it was written as), for the JSON Schema
_TEXT_TYPES = ["string", "number"]

#: `en`, `nl`, `pt-BR`
LANGUAGE_PATTERN = r"^[a-z]{2}(-[A-Za-z]{2,4})?$(?!\n)"
Language = Annotated[str, AfterValidator(_language),
                     WithJsonSchema({"type": "string", "pattern": LANGUAGE_PATTERN})]
Id = Annotated[
    str,
    BeforeValidator(_nfc),
    StringConstraints(min_length=1, max_length=64),
    AfterValidator(_id),
    WithJsonSchema({"type": _TEXT_TYPES, "minLength": 1, "maxLength": 64,
                    "pattern": ID_PATTERN, "description": "An identifier: no spaces, at most "
                    "64 characters, unique in its kind."}),
]
Text = Annotated[
    str, BeforeValidator(_text), StringConstraints(max_length=20_000), AfterValidator(_safe),
    WithJsonSchema({"type": _TEXT_TYPES, "maxLength": 20_000, "pattern": TEXT_PATTERN}),
]
ShortText = Annotated[
    str, BeforeValidator(_text), StringConstraints(min_length=1, max_length=200),
    AfterValidator(_safe),
    WithJsonSchema({"type": _TEXT_TYPES, "minLength": 1, "maxLength": 200,
                    "pattern": TEXT_PATTERN}),
]
GroupRef = Annotated[
    str,
    BeforeValidator(_nfc),
    StringConstraints(min_length=1, max_length=64),
    AfterValidator(_group),
    WithJsonSchema({"type": _TEXT_TYPES, "minLength": 1, "maxLength": 64,
                    "pattern": GROUP_PATTERN, "description": "A person id, a team id, "
                    "`player`, or `*` for everyone."}),
]
#: Numbers are strict: `true` or `"5"` where a number is expected are errors; a whole
#: number may be written `8` or `8.0` (JSON Schema, and so editors, count both as whole).
Float = Annotated[float, Strict()]
Int = Annotated[int, Strict(), BeforeValidator(_whole)]
Unit = Annotated[float, Strict(), Field(ge=0.0, le=1.0)]
# (the before-validator comes last: placed first, it hides the bounds from the schema)
Turn = Annotated[int, Strict(), Field(ge=1, le=1000), BeforeValidator(_whole)]


class Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, frozen=True,
                              populate_by_name=True, strict=False)


class TeamSpec(Spec):
    """A formal team."""

    id: Id = Field(description="Team id, used by people's `team` and by objectives.")
    name: ShortText | None = Field(None, description="Display name (defaults to the id).")
    description: Text = Field("", description="One or two sentences about the team.")


class TraitsSpec(Spec):
    """A person's traits, each in [0, 1]."""

    competence: Unit = Field(0.5, description="How likely delegated work succeeds (ability).")
    openness: Unit = Field(0.5, description="How well feedback lands with them.")
    propensity: Unit = Field(
        0.5, description="Propensity to trust: how much they trust someone they do not know yet.")


class PersonSpec(Spec):
    """A person in the organisation."""

    id: Id = Field(description="Person id, used in ties, promises, events and acts.")
    name: ShortText = Field(description="Display name, any Unicode.")
    role: Literal["executive", "manager", "employee"] = Field(
        "employee", description="executive, manager or employee.")
    team: Id = Field(description="Id of the person's team.")
    manager: Id | None = Field(None, description="Id of the person they report to, if any.")
    traits: TraitsSpec = Field(default_factory=TraitsSpec, description="Traits in [0, 1].")
    description: Text = Field("", description="A line about them, shown when selected.")


class TieValues(Spec):
    """Trust and strength of a kind of tie."""

    trust: Unit = Field(description="How much one trusts the other, in [0, 1].")
    strength: Unit = Field(description="How often they interact, in [0, 1].")


class RelationshipDefaults(Spec):
    """Ties every pair of a kind gets unless a tie below says otherwise."""

    within_team: TieValues | None = Field(
        TieValues(trust=0.5, strength=0.6),
        description="Between every two people of the same team (null: none).")
    cross_team: TieValues | None = Field(
        None, description="Between every two people of different teams (null: none, the default).")
    reporting: TieValues = Field(
        TieValues(trust=0.55, strength=0.8),
        description="Between each person and their manager, both ways.")


class TieSpec(Spec):
    """An explicit tie: `from`/`to` for one direction, or `mutual: [a, b]` for both."""

    from_: Id | None = Field(None, alias="from", description="Who trusts (one direction).")
    to: Id | None = Field(None, description="Whom they trust (one direction).")
    mutual: tuple[Id, Id] | None = Field(None, description="Two people: the tie goes both ways.")
    trust: Unit | None = Field(None, description="Trust in [0, 1] (default: the kind's default).")
    strength: Unit | None = Field(None, description="Strength in [0, 1] (default: the kind's).")

    @model_validator(mode="after")
    def _one_form(self) -> TieSpec:
        if self.mutual is not None and (self.from_ is not None or self.to is not None):
            raise ValueError("use either `from`/`to` or `mutual`, not both")
        if self.mutual is None and (self.from_ is None or self.to is None):
            raise ValueError("a tie needs `from` and `to`, or `mutual: [a, b]`")
        if self.trust is None and self.strength is None:
            raise ValueError("a tie needs `trust`, `strength` or both")
        return self


class RelationshipsSpec(Spec):
    """Who trusts whom, and how strongly they are tied."""

    defaults: RelationshipDefaults = Field(default_factory=RelationshipDefaults,
                                           description="Defaults per kind of tie.")
    ties: list[TieSpec] = Field(default_factory=list, description="Explicit ties.")


class PromiseSpec(Spec):
    """A promise already made when the scenario starts."""

    id: Id = Field(description="Promise id, used by acts (`break_promise p1`).")
    by: Id = Field(description="Who promised (usually the player).")
    to: Id = Field(description="To whom.")
    what: Text = Field(description="What was promised, in the player's words.")
    due: Turn = Field(description="The turn by whose end it must be kept.")


# -- effects ----------------------------------------------------------------------------------


class TrustEffectSpec(Spec):
    """Shift trust: `who` (person, team, `player` or `*`) in `in` (person, team or `player`)."""

    kind: Literal["trust"]
    who: GroupRef = Field(description="Person, team, `player`, or `*` for everyone.")
    in_: Id = Field(alias="in", description="Person, team or `player` they trust more or less.")
    by: Float = Field(ge=-1.0, le=1.0, description="Signal in [-1, 1]; negative hurts more.")
    spread: Annotated[bool, Strict()] = Field(False,
                                              description="Whether the news spreads further.")
    base: Literal["ability", "benevolence", "integrity"] | None = Field(
        None, description="The one base of trust it moves (ability, benevolence or "
        "integrity); all three if left out.")


class PromiseEffectSpec(Spec):
    """Keep or break a promise."""

    kind: Literal["promise"]
    promise: Id = Field(description="Promise id.")
    outcome: Literal["keep", "break"] = Field(description="keep or break.")


class CapacityEffectSpec(Spec):
    """Give or take acts for the next turn."""

    kind: Literal["capacity"]
    by: Int = Field(ge=-10, le=10, description="Acts added (or removed, if negative).")


class TiesEffectSpec(Spec):
    """Change tie strength between two groups (people or teams): multiply it, add to it."""

    kind: Literal["ties"]
    between: Id = Field(description="Person or team.")
    and_: Id = Field(alias="and", description="Person or team.")
    factor: Float = Field(1.0, ge=0.0, le=2.0, description="Multiply strength by this.")
    add: Float = Field(0.0, ge=0.0, le=1.0,
                       description="Then add this to every pair between the two groups, "
                       "creating ties where there were none.")


class MoveEffectSpec(Spec):
    """Move a person to another team (and manager)."""

    kind: Literal["move"]
    person: Id = Field(description="Who moves.")
    team: Id = Field(description="Their new team.")
    manager: Id | None = Field(None, description="Their new manager, if it changes.")


EffectSpec = Annotated[
    TrustEffectSpec | PromiseEffectSpec | CapacityEffectSpec | TiesEffectSpec | MoveEffectSpec,
    Field(discriminator="kind"),
]


# -- events -------------------------------------------------------------------------------------


class _EventBase(Spec):
    id: Id = Field(description="Event id.")
    turn: Turn = Field(description="Fires at the end of this turn.")
    title: ShortText = Field(description="Headline shown to the player.")
    text: Text = Field("", description="What happens, in the scenario's language.")
    effects: list[EffectSpec] = Field(default_factory=list, description="Extra effects.")


class NewsEventSpec(_EventBase):
    """Something happens; its effects say what it does."""

    kind: Literal["news"]


class BudgetCutEventSpec(_EventBase):
    """Teams compete for less money: trust and ties between them suffer."""

    kind: Literal["budget_cut"]
    teams: list[Id] = Field(min_length=2, description="Teams that now compete.")
    severity: Unit = Field(0.15, description="Trust signal lost between them, in [0, 1].")


class ReorganisationEventSpec(_EventBase):
    """People move to other teams or managers."""

    kind: Literal["reorganisation"]
    moves: list[MoveEffectSpec] = Field(min_length=1, description="Who goes where.")


class NewHireEventSpec(_EventBase):
    """Someone joins; ties to their team use the defaults."""

    kind: Literal["new_hire"]
    person: PersonSpec = Field(description="The new person.")


class RumourEventSpec(_EventBase):
    """A rumour about someone starts with someone and spreads."""

    kind: Literal["rumour"]
    about: Id = Field(description="Person (or `player`) the rumour is about.")
    from_: Id = Field(alias="from", description="Who starts it.")
    severity: Unit = Field(0.15, description="How damaging, in [0, 1].")


class OptionSpec(Spec):
    """One choice of a dilemma."""

    id: Id = Field(description="Option id.")
    label: ShortText = Field(description="What the player reads on the button.")
    outcome: Text = Field("", description="What happens next, shown after choosing.")
    effects: list[EffectSpec] = Field(default_factory=list, description="What it does.")


class DilemmaEventSpec(_EventBase):
    """A choice the player must make before the next turn."""

    kind: Literal["dilemma"]
    options: list[OptionSpec] = Field(min_length=2, description="At least two options.")


EventSpec = Annotated[
    NewsEventSpec | BudgetCutEventSpec | ReorganisationEventSpec | NewHireEventSpec
    | RumourEventSpec | DilemmaEventSpec,
    Field(discriminator="kind"),
]


# -- objectives -------------------------------------------------------------------------------


class _ObjectiveBase(Spec):
    id: Id = Field(description="Objective id.")
    text: ShortText = Field(description="The goal as the player reads it.")
    by: Turn | None = Field(None, description="Judged at the end of this turn (default: last).")


class TrustInPlayerObjective(_ObjectiveBase):
    """A person's trust, or a team's mean trust, in the player reaches a threshold."""

    kind: Literal["trust_in_player"]
    who: Id = Field(description="Person or team.")
    at_least: Unit = Field(description="Threshold in [0, 1].")


class TeamEIObjective(_ObjectiveBase):
    """A team's E-I index (or the mean over teams) is at least a threshold."""

    kind: Literal["team_ei"]
    who: Id | None = Field(None, description="Team (default: mean over all teams).")
    at_least: Float = Field(ge=-1.0, le=1.0, description="Threshold in [-1, 1].")


class CrossTeamTrustObjective(_ObjectiveBase):
    """Mean trust across team borders is at least a threshold."""

    kind: Literal["cross_team_trust"]
    at_least: Unit = Field(description="Threshold in [0, 1].")


class ModularityObjective(_ObjectiveBase):
    """Trust is not locked inside the formal teams: modularity at most a threshold."""

    kind: Literal["modularity"]
    at_most: Float = Field(ge=-1.0, le=1.0, description="Threshold.")


class NoBrokenPromisesObjective(_ObjectiveBase):
    """The player breaks no promise (failed as soon as one breaks)."""

    kind: Literal["no_broken_promises"]


class PromisesKeptObjective(_ObjectiveBase):
    """The player keeps at least this many promises."""

    kind: Literal["promises_kept"]
    at_least: Int = Field(ge=1, le=1000, description="How many promises.")


ObjectiveSpec = Annotated[
    TrustInPlayerObjective | TeamEIObjective | CrossTeamTrustObjective | ModularityObjective
    | NoBrokenPromisesObjective | PromisesKeptObjective,
    Field(discriminator="kind"),
]


# -- params, generated from the core's declarations ---------------------------------------------

def _param_field(param: Any) -> tuple[Any, Any]:
    bounds = Field(ge=param.lo, le=param.hi)
    kind: Any = (Annotated[int, Strict(), bounds, BeforeValidator(_whole)] if param.integer
                 else Annotated[float, Strict(), bounds])
    return (kind | None, Field(None, description=f"{param.description} Default "
                                                 f"{param.default}; source: {param.source}."))


ParamsSpec: type[Spec] = create_model(  # type: ignore[call-overload]
    "ParamsSpec",
    __base__=Spec,
    __doc__="Overrides of the model's parameters (see docs/model.md).",
    **{p.name: _param_field(p) for p in PARAMS},
)


class ScenarioSpec(Spec):
    """A trustsim scenario, format version 1."""

    model_config = ConfigDict(
        extra="forbid", allow_inf_nan=False, frozen=True, populate_by_name=True,
        json_schema_extra={"$id": "https://trustsim.example/schema/scenario-v1.json"},
    )

    version: Literal[1] = Field(description="Format version: 1.")
    title: ShortText = Field(description="Title shown in the scenario picker.")
    language: Language = Field(
        "en", description="Language of the player-visible text (en, nl, ...).")
    summary: Text = Field("", description="One line for the picker.")
    brief: Text = Field(description="What the trainee reads before the first turn.")
    seed: Int = Field(0, ge=0, le=2**63 - 1, description="Default random seed.")
    turns: Turn = Field(description="How many turns the game lasts.")
    player: Id = Field(description="Id of the person the trainee plays (a manager).")
    capacity: Int = Field(2, ge=1, le=20, description="Acts the player has per turn.")
    params: ParamsSpec = Field(default_factory=ParamsSpec,
                               description="Model parameter overrides.")
    teams: list[TeamSpec] = Field(min_length=1, description="The formal teams.")
    people: list[PersonSpec] = Field(min_length=2, description="Everyone in the organisation.")
    relationships: RelationshipsSpec = Field(default_factory=RelationshipsSpec,
                                             description="Trust and ties.")
    promises: list[PromiseSpec] = Field(default_factory=list, description="Open promises.")
    events: list[EventSpec] = Field(default_factory=list, description="Scripted events.")
    objectives: list[ObjectiveSpec] = Field(default_factory=list, description="Goals.")
    debrief: list[Text] = Field(default_factory=list, description="Questions for the end.")
