"""Typed refusals from the core."""

from __future__ import annotations


class TrustsimError(Exception):
    """Base class of every error trustsim raises on purpose."""


class ActNotAllowed(TrustsimError):
    """An act (or end of turn, or choice) that the rules refuse, with the reason why.

    ``code`` is a stable identifier (``not_a_report``, ``no_capacity``, ...) that the
    interface can translate; ``str(error)`` is a plain-English sentence.
    """

    def __init__(self, reason: str, code: str = "not_allowed") -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code


class UnknownAct(ActNotAllowed):
    def __init__(self, name: str, known: list[str]) -> None:
        super().__init__(f"unknown act {name!r} (known: {', '.join(known)})", "unknown_act")
