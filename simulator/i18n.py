"""Message catalogues: every word the interface and the debrief say, in each language.

Scenario text (brief, names, events, objectives) lives in the scenario file; these are the
tool's own words, in gettext catalogues that translators edit without Python:
``simulator/locale/<lang>/LC_MESSAGES/trustsim.po`` (``msgctxt`` the key, ``msgid`` the
English, ``msgstr`` the translation), compiled to ``.mo`` when trustsim is built or installed
(see :mod:`simulator.translations` and docs/translating.md). ``Messages(lang)("key",
**values)`` formats one; a message with a plural picks its form by ``count`` and the
language's ``Plural-Forms``; a key missing in a language falls back to English, and a test
checks that every language has every key.
"""

from __future__ import annotations

import logging
import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from . import translations
from .translations import SOURCE, CatalogueError

LOCALE_DIR = translations.LOCALE_DIR


@dataclass(frozen=True)
class Catalogue:
    """One language's words by key: one form, or one per plural form, picked by ``plural``."""

    language: str
    words: Mapping[str, tuple[str, ...]]
    plural: Callable[[int], int]


@cache
def languages() -> tuple[str, ...]:
    """The languages trustsim speaks: those with a catalogue under ``simulator/locale``."""
    return tuple(translations.languages(LOCALE_DIR))


def _plural(plural_forms: str) -> Callable[[int], int]:
    try:
        rule: Callable[[int], int] = translations._plural_function(plural_forms)
        rule(1)
    except (ValueError, TypeError):
        logging.getLogger(__name__).warning("unreadable Plural-Forms %r", plural_forms)
        return lambda n: int(n != 1)
    return rule


@cache
def catalogue(language: str) -> Catalogue:
    """``language``'s catalogue, read once: see :func:`load_catalogue`."""
    return load_catalogue(language)


def load_catalogue(language: str, locale_dir: Path | None = None) -> Catalogue:
    """``language``'s compiled catalogue; its ``.po`` (read with Babel) when the ``.mo`` is
    missing or older than the ``.po``, as in a checkout whose ``.po`` was just edited.

    Raises :class:`CatalogueError` when neither can be read: trustsim was not built with its
    catalogues and Babel is not installed to read the ``.po``."""
    folder = locale_dir or LOCALE_DIR
    po, mo = translations.po_path(language, folder), translations.mo_path(language, folder)
    entries = translations.read_mo(mo) if mo.is_file() else None
    if entries is None or (po.is_file()
                           and entries.source_hash != translations.source_hash(po.read_bytes())):
        try:
            entries = translations.read_po(po)
        except CatalogueError:
            if entries is None:
                raise CatalogueError(
                    f"the interface words in {language!r} are not compiled ({mo} is "
                    f"missing) and cannot be read from {po} either: reinstall trustsim "
                    f"(pip install .), or install Babel (pip install 'babel>=2.12,<3')"
                ) from None
            logging.getLogger(__name__).warning("%s is older than %s: using it anyway "
                                                "(Babel is not installed to read the .po)",
                                                mo, po)
    return Catalogue(language, entries.words, _plural(entries.plural_forms))


def known_language(code: str | None) -> str | None:
    """The catalogue for a language code or locale name (``nl-BE``, ``de_DE.UTF-8`` ->
    ``nl``, ``de``), or ``None`` when trustsim does not speak it."""
    if not code:
        return None
    base = code.split(".")[0].split("@")[0].replace("_", "-").split("-")[0].lower()
    return base if base in languages() else None


def language_of(code: str | None) -> str:
    """The catalogue for a language code (``nl-BE`` -> ``nl``), English if unknown."""
    return known_language(code) or SOURCE


def language_from_environment(environ: Mapping[str, str] | None = None) -> str | None:
    """The language the system asks for, as gettext reads it: the first language trustsim
    speaks in ``LANGUAGE`` (a list, ``de:en``), then the locale (``LC_ALL``, else
    ``LC_MESSAGES``, else ``LANG``: ``de_DE.UTF-8``); ``None`` when none is set, it is ``C``
    or ``POSIX``, or trustsim does not speak it."""
    env = os.environ if environ is None else environ
    locale = next((env[name] for name in ("LC_ALL", "LC_MESSAGES", "LANG")
                   if env.get(name)), "")
    if locale.split(".")[0] in ("C", "POSIX"):
        return None
    for code in [*env.get("LANGUAGE", "").split(":"), locale]:
        if known_language(code):
            return known_language(code)
    return None


def number(value: float, spec: str = ".2f") -> str:
    """``format(value, spec)`` without the sign of a value that rounds to zero: a change
    of -0.0001 reads ``0.000``, not ``-0.000`` (nor ``+0.000``).

    >>> number(-0.0001, "+.3f"), number(0.0004, "+.3f"), number(-0.25, "+.2f")
    ('0.000', '0.000', '-0.25')
    """
    text = format(value, spec)
    if math.isfinite(value) and text[:1] in "+-" \
            and not any(digit in text for digit in "123456789"):
        return text[1:]
    return text


class Messages:
    """Formatted messages in one language.

    A message with a plural takes its form from ``count`` by the language's plural rule:
    ``t("game.team_size", count=1)`` is "1 person", not "1 people".

    >>> Messages("nl")("game.turn", turn=1, turns=8)
    'Beurt 1/8'
    >>> Messages("en")("game.team_size", count=1), Messages("en")("game.team_size", count=3)
    ('1 person', '3 people')
    >>> Messages("de")("game.team_size", count=1), Messages("de").num(0.3)
    ('1 Person', '0,30')
    """

    def __init__(self, language: str | None = SOURCE) -> None:
        self.language = language_of(language)
        self._catalogue = catalogue(self.language)
        self._english = catalogue(SOURCE)

    def __call__(self, key: str, **values: Any) -> str:
        found = self._catalogue
        forms = found.words.get(key)
        if not forms:
            found = self._english
            forms = found.words.get(key)
        if not forms:
            template = key
        elif len(forms) == 1:
            template = forms[0]
        else:
            count = values.get("count")
            if isinstance(count, (int, float)) and not isinstance(count, bool) \
                    and math.isfinite(count) and count == int(count):
                index = found.plural(abs(int(count)))
            else:  # no count: the last form, the plural for most languages
                index = len(forms) - 1
            template = forms[min(max(index, 0), len(forms) - 1)]
        try:
            return template.format(**values)
        except (KeyError, IndexError, ValueError):
            return template

    def has(self, key: str) -> bool:
        """Whether ``key`` is a message (in this language, or in English to fall back on)."""
        return key in self._catalogue.words or key in self._english.words

    def count(self, noun: str, n: int) -> str:
        """``n`` and a noun, singular or plural: ``count("act", 1)`` is "1 act".

        >>> Messages("nl").count("turn", 1), Messages("nl").count("turn", 8)
        ('1 beurt', '8 beurten')
        """
        return self(f"count.{noun}", count=n)

    def num(self, value: float | None, spec: str = ".2f") -> str:
        """A number as this language writes it (``0,30`` in Dutch); ``–`` for none; a value
        that rounds to zero has no sign (``0.000``, never ``-0.000``)."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "–"
        text = number(value, spec)
        decimal = self("number.decimal") or "."
        return text.replace(".", decimal) if decimal != "." else text


__all__ = ["Catalogue", "CatalogueError", "Messages", "catalogue", "known_language",
           "language_from_environment", "language_of", "languages", "load_catalogue",
           "number"]
