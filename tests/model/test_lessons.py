"""The lessons table: what the model teaches, one test per lesson, each citing its source.

The measurements live in ``tests/model/lessons.py`` (docs/validation.md is generated from
the same functions by ``docs/gen_validation.py``). Each test fails with the rows that did
not hold, so a change to the model that breaks a lesson says where.
"""

from __future__ import annotations

import pytest

from .lessons import LESSONS, LEVELS, Lesson, Row

BY_KEY = {lesson.key: lesson for lesson in LESSONS}


def _check(key: str, *, levels: bool = True) -> list[Row]:
    lesson: Lesson = BY_KEY[key]
    rows = lesson.measure()
    assert rows, f"{key} measured nothing"
    if levels:
        for level in LEVELS:
            assert any(f"trust {level:.1f}" in r.condition for r in rows), \
                f"{key} is not measured at trust {level}"
    failed = [r for r in rows if not r.holds]
    assert not failed, f"{lesson.claim} does not hold:\n" + "\n".join(
        f"  {r.condition}: {r.figures}" for r in failed)
    assert {"two teams", "generated"} & {r.condition.split(",")[0].split(":")[0]
                                        for r in rows}
    assert any(r.condition.startswith("generated") for r in rows)
    return rows


def test_a_broken_promise_costs_more_than_an_equal_gesture_gains() -> None:
    """Slovic 1993, trust asymmetry: negative events weigh more than positive ones of the
    same size, at every level of trust."""
    _check("asymmetry")


def test_three_quick_wins_do_not_restore_a_broken_promise() -> None:
    """Seed 004: being let down causes deep and lasting distrust; quick wins do not buy it
    back within the game."""
    _check("no_quick_repair")


def test_bad_news_reaches_more_people_than_good_news() -> None:
    """Baumeister, Bratslavsky, Finkenauer and Vohs 2001 (bad is stronger than good);
    Slovic 1993 (negative events are more widely passed on)."""
    _check("bad_news_travels")


def test_quick_wins_move_low_trust_more_but_not_past_a_fresh_scar() -> None:
    """Seed 004: quick wins kick-start trust where it is low, but a fresh broken promise is
    not papered over by a gesture."""
    _check("quick_wins")


def test_feedback_backfires_low_lands_high_and_builds_more_than_praise() -> None:
    """Seed 003 (trust is built by open communication and honest feedback); Mayer, Davis
    and Schoorman 1995 (the receiver's trust decides how feedback is heard)."""
    _check("feedback")


def test_supported_delegation_to_the_competent_pays_and_unsupported_failure_costs() -> None:
    """Seeds 000-002: smart empowerment as risk and reward; set up right to ensure success;
    coaching relationships."""
    _check("delegation", levels=False)


def test_repeated_recognition_wears_off_and_costs_the_others() -> None:
    """Adams 1965 (equity: those passed over compare); seed 003 (recognition and
    appreciation)."""
    _check("recognition")


def test_doing_nothing_breeds_silos_bridges_slow_them_and_damping_matters() -> None:
    """Krackhardt and Stern 1988 (the E-I index); seed 001 (the natural pull towards
    silos; departmental tunnel vision); Burt 2005 (bridges)."""
    _check("silos", levels=False)


def test_embedded_ties_outlast_isolated_bridges() -> None:
    """Burt 2002, the decay of bridges: ties embedded in shared contacts last longer."""
    _check("embedded_ties", levels=False)


def test_strong_cross_team_ties_cushion_a_crisis() -> None:
    """Krackhardt and Stern 1988: friendships across units help an organisation through a
    crisis."""
    _check("crisis", levels=False)


def test_apology_repairs_competence_more_than_integrity() -> None:
    """Kim, Ferrin, Cooper and Dirks 2004: apology repairs trust after a competence-based
    violation better than after an integrity-based one."""
    _check("apology")


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.key)
def test_every_lesson_is_tested_above(lesson: Lesson) -> None:
    tested = {name for name in globals() if name.startswith("test_")}
    assert len(tested) - 1 == len(LESSONS), "one test per lesson"
    assert lesson.source and lesson.claim and lesson.how
