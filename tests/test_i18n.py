"""The interface's gettext catalogues (simulator/locale): complete, consistent, compiled as
they are, plurals and numbers by each language's rules, and the language chosen as asked."""

from __future__ import annotations

import gettext
import shutil
from pathlib import Path

import pytest

from simulator import i18n, translations
from simulator.i18n import Messages, known_language, language_from_environment, language_of
from simulator.translations import SOURCE, placeholders

LANGUAGES = translations.languages()
TRANSLATIONS = [lang for lang in LANGUAGES if lang != SOURCE]


def test_english_dutch_and_german_are_shipped() -> None:
    assert {"en", "nl", "de"} <= set(LANGUAGES)
    assert set(i18n.languages()) == set(LANGUAGES)


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_every_catalogue_has_every_english_key_and_nothing_else(language: str) -> None:
    english = translations.read_po(translations.po_path(SOURCE))
    entries = translations.read_po(translations.po_path(language))
    assert set(entries.ids) == set(english.ids), (
        sorted(set(english.ids) - set(entries.ids)), sorted(set(entries.ids) - set(english.ids)))
    assert not entries.untranslated and not entries.fuzzy
    assert set(entries.words) == set(english.words)


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_translations_keep_the_english_placeholders_and_plural_forms(language: str) -> None:
    """Every {name} of the English in every form of the translation (a singular may say
    "1" for {count}), none that the English lacks; each translation made from the
    English as it is now; as many plural forms as the language's Plural-Forms says."""
    assert translations.problems(language) == []
    english = translations.read_po(translations.po_path(SOURCE))
    entries = translations.read_po(translations.po_path(language))
    for key, forms in entries.words.items():
        wanted = set().union(*(placeholders(s) for s in english.ids[key]))
        for form in forms:
            assert placeholders(form) <= wanted, (key, form)
            if len(forms) == 1:
                assert placeholders(form) == wanted, (key, form)


def test_the_check_finds_what_a_translator_left(tmp_path: Path) -> None:
    locale = tmp_path / "locale"
    shutil.copytree(translations.LOCALE_DIR, locale,
                    ignore=shutil.ignore_patterns("*.mo"))
    po = translations.po_path("de", locale)
    text = po.read_text(encoding="utf-8")
    text = text.replace('msgstr "Runde {turn}/{turns}"', 'msgstr "Runde {turn}/{runden}"')
    text = text.replace('msgstr "Wähle ein Szenario"', 'msgstr ""')
    text = text.replace('msgctxt "game.over"\n', '#, fuzzy\nmsgctxt "game.over"\n')
    text += '\nmsgctxt "game.nonsense"\nmsgid "Nonsense"\nmsgstr "Unsinn"\n'
    po.write_text(text, encoding="utf-8")
    found = "\n".join(translations.problems("de", locale))
    assert "game.turn: placeholders ['runden', 'turn']" in found
    assert "picker.title: not translated" in found
    assert "game.over: fuzzy" in found
    assert "game.nonsense: not a key of trustsim" in found
    # the English changed since the German was made
    en = translations.po_path("en", locale)
    en.write_text(en.read_text(encoding="utf-8").replace(
        'msgid "Choose a scenario"', 'msgid "Pick a scenario"'), encoding="utf-8")
    found = "\n".join(translations.problems("nl", locale))
    assert "picker.title: translated from other English" in found
    assert "picker.title: missing" not in found


def test_a_new_language_starts_from_the_english_with_its_plural_forms(tmp_path: Path) -> None:
    locale = tmp_path / "locale"
    shutil.copytree(translations.LOCALE_DIR, locale, ignore=shutil.ignore_patterns("*.mo"))
    po = translations.new_catalogue("pl", locale)
    text = po.read_text(encoding="utf-8")
    assert "Language: pl" in text and "nplurals=3" in text
    found = translations.problems("pl", locale)
    assert "pl: count.act: not translated" in found
    assert not any("missing" in line for line in found)


# -- compiled catalogues ------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogues_say_what_the_po_says(language: str, tmp_path: Path) -> None:
    """Compiled fresh, a catalogue reads as its .po does, and the standard library's own
    gettext reads it too (a standard .mo: msgctxt, plurals and all)."""
    mo = tmp_path / f"{language}.mo"
    translations.compile_po(translations.po_path(language), mo)
    from_mo = translations.read_mo(mo)
    from_po = translations.read_po(translations.po_path(language))
    assert from_mo.words == from_po.words
    assert from_mo.source_hash == from_po.source_hash
    assert from_mo.plural_forms == from_po.plural_forms
    with mo.open("rb") as handle:
        standard = gettext.GNUTranslations(handle)
    english = translations.read_po(translations.po_path(SOURCE)).ids
    assert standard.pgettext("game.turn", english["game.turn"][0]) == \
        from_po.words["game.turn"][0]
    singular, plural = english["count.turn"]
    assert standard.npgettext("count.turn", singular, plural, 1) == from_po.words["count.turn"][0]
    assert standard.npgettext("count.turn", singular, plural, 5) == from_po.words["count.turn"][1]


def test_the_compiled_catalogues_in_use_are_those_of_the_po() -> None:
    """Where the running trustsim has compiled catalogues (an install, a checkout installed
    with -e), they are the .po as it is; else the .po is read."""
    for language in LANGUAGES:
        expected = translations.read_po(translations.po_path(language)).words
        assert dict(i18n.catalogue(language).words) == expected, language


def test_a_stale_or_missing_mo_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locale = tmp_path / "locale"
    shutil.copytree(translations.LOCALE_DIR, locale, ignore=shutil.ignore_patterns("*.mo"))
    monkeypatch.setattr(i18n, "LOCALE_DIR", locale)
    translations.compile_all(locale)
    assert all(translations.is_current(lang, locale) for lang in LANGUAGES)
    po = translations.po_path("de", locale)
    po.write_text(po.read_text(encoding="utf-8").replace(
        'msgstr "Wähle ein Szenario"', 'msgstr "Such dir ein Szenario aus"'), encoding="utf-8")
    assert not translations.is_current("de", locale)
    assert i18n.load_catalogue("de").words["picker.title"] == ("Such dir ein Szenario aus",)
    translations.mo_path("nl", locale).unlink()
    assert i18n.load_catalogue("nl").words["picker.title"] == ("Kies een scenario",)


# -- plurals, numbers, fallbacks ----------------------------------------------------------------


@pytest.mark.parametrize(("language", "one", "many", "zero", "number"), [
    ("en", "1 act", "3 acts", "0 acts", "0.30"),
    ("nl", "1 actie", "3 acties", "0 acties", "0,30"),
    ("de", "1 Zug", "3 Züge", "0 Züge", "0,30"),
])
def test_plurals_and_numbers_by_the_language(language: str, one: str, many: str, zero: str,
                                             number: str) -> None:
    t = Messages(language)
    assert (t.count("act", 1), t.count("act", 3), t.count("act", 0)) == (one, many, zero)
    assert t.num(0.3) == number
    assert t.num(-0.0001, "+.3f") == number[0] + number[1] + "000"
    assert t("game.team_size", count=1) != t("game.team_size", count=2)


def test_german_speaks_german() -> None:
    t = Messages("de")
    assert t.language == "de"
    assert t("game.turn", turn=1, turns=8) == "Runde 1/8"
    assert t("cmd.end_turn") == "Runde beenden"
    assert t("debrief.title", title="X") == "Nachbesprechung: X"
    assert t("game.resumed", turn=2, count=1).startswith("Weiter in Runde 2 (1 Zug ")
    assert t.num(12.5, ".1f") == "12,5"


def test_a_missing_word_falls_back_to_english(monkeypatch: pytest.MonkeyPatch) -> None:
    german = i18n.catalogue("de")
    words = {k: v for k, v in german.words.items() if k != "game.over"}
    monkeypatch.setattr(i18n, "catalogue", lambda lang: i18n.Catalogue(
        "de", words, german.plural) if lang == "de" else CATALOGUE(lang))
    t = Messages("de")
    assert t("game.over") == "Game over"
    assert t.has("game.over") and t("game.turn", turn=1, turns=2) == "Runde 1/2"
    assert t("no.such.key") == "no.such.key"


CATALOGUE = i18n.catalogue


@pytest.mark.parametrize(("code", "language"), [
    ("de", "de"), ("de-AT", "de"), ("de_DE.UTF-8", "de"), ("nl-BE", "nl"), ("NL", "nl"),
    ("en_GB", "en"), ("xx", "en"), ("", "en"), (None, "en"), ("C", "en"),
])
def test_language_codes(code: str | None, language: str) -> None:
    assert language_of(code) == language
    assert (known_language(code) is not None) == (code not in ("xx", "", None, "C"))


@pytest.mark.parametrize(("environ", "language"), [
    ({"LANG": "de_DE.UTF-8"}, "de"),
    ({"LANG": "nl_NL.UTF-8"}, "nl"),
    ({"LANG": "C.UTF-8"}, None),
    ({"LANG": "POSIX"}, None),
    ({}, None),
    ({"LANG": "fr_FR.UTF-8"}, None),  # trustsim does not speak French (yet)
    ({"LANG": "de_DE.UTF-8", "LC_ALL": "nl_BE.UTF-8"}, "nl"),
    ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "de_CH.UTF-8"}, "de"),
    ({"LANG": "fr_FR.UTF-8", "LANGUAGE": "fr:de"}, "de"),
    ({"LANG": "C", "LANGUAGE": "de"}, None),  # gettext ignores LANGUAGE in the C locale
])
def test_the_language_of_the_environment(environ: dict[str, str], language: str | None) -> None:
    assert language_from_environment(environ) == language


def test_run_interface_hands_the_app_the_system_language(monkeypatch: pytest.MonkeyPatch) -> None:
    from simulator.ui import app as app_module
    from simulator.ui.run import run_interface

    seen: dict[str, object] = {}

    class Recorder:
        def __init__(self, paths: list[Path], **options: object) -> None:
            seen.update(options)

        def run(self) -> int:
            return 0

    monkeypatch.setattr(app_module, "TrustsimApp", Recorder)
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    assert run_interface([], language=None, single=False) == 0
    assert seen["system_language"] == "de" and seen["language"] is None
    monkeypatch.setenv("LANG", "C.UTF-8")
    run_interface([], language="nl", single=False)
    assert seen["system_language"] is None and seen["language"] == "nl"
