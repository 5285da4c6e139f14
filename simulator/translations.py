"""The interface's gettext catalogues: reading, compiling (``.po`` -> ``.mo``) and checking.

Every word trustsim's interface says is in ``simulator/locale/<lang>/LC_MESSAGES/trustsim.po``:
``msgctxt`` is the key the program asks for (``game.turn``), ``msgid`` the English words
(``msgid_plural`` for a plural), ``msgstr`` the words in that language. English
(``en``) is the source and the template: its ``msgstr`` are empty, and compiling it fills them
with the English (as GNU ``msgen`` does). See docs/translating.md.

From a checkout, with Babel installed (the ``dev`` extra)::

    python -m simulator.translations check [LANG ...]   # what is missing, stale or wrong
    python -m simulator.translations compile            # .po -> .mo next to each .po
    python -m simulator.translations new fr             # a new catalogue to translate

This module imports only the standard library at the top (Babel when a function needs it):
``setup.py`` loads it by path to compile the catalogues when trustsim is built or installed.
"""

from __future__ import annotations

import hashlib
import re
import struct
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DOMAIN = "trustsim"
SOURCE = "en"
LOCALE_DIR = Path(__file__).resolve().with_name("locale")
#: A reserved entry of a compiled catalogue: the SHA-256 of the ``.po`` it was compiled from,
#: so that a ``.mo`` older than its ``.po`` is noticed whatever the files' dates say.
SOURCE_KEY = "trustsim.source"
DEFAULT_PLURAL = "nplurals=2; plural=(n != 1);"
PLACEHOLDER = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)[^{}]*\}")


class CatalogueError(Exception):
    """A catalogue that cannot be read (or compiled)."""


@dataclass
class Entries:
    """One catalogue, read from a ``.po`` or a ``.mo``: by key, the English (``ids``: the
    singular and, for a plural, the plural) and the words of the language (``words``: one
    form, or one per plural form); ``plural_forms`` is the ``Plural-Forms`` header."""

    language: str
    ids: dict[str, tuple[str, ...]] = field(default_factory=dict)
    words: dict[str, tuple[str, ...]] = field(default_factory=dict)
    plural_forms: str = DEFAULT_PLURAL
    source_hash: str | None = None
    untranslated: list[str] = field(default_factory=list)
    fuzzy: list[str] = field(default_factory=list)


def po_path(language: str, locale_dir: Path = LOCALE_DIR) -> Path:
    return locale_dir / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(language: str, locale_dir: Path = LOCALE_DIR) -> Path:
    return po_path(language, locale_dir).with_suffix(".mo")


def languages(locale_dir: Path = LOCALE_DIR) -> list[str]:
    """The languages with a catalogue (a ``.po`` or a compiled ``.mo``), sorted."""
    if not locale_dir.is_dir():
        return []
    return sorted(d.name for d in locale_dir.iterdir()
                  if (d / "LC_MESSAGES" / f"{DOMAIN}.po").is_file()
                  or (d / "LC_MESSAGES" / f"{DOMAIN}.mo").is_file())


def source_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def placeholders(text: str) -> set[str]:
    """The ``{name}`` placeholders of a message (``{{`` is a literal brace)."""
    return set(PLACEHOLDER.findall(text.replace("{{", "").replace("}}", "")))


# -- reading ----------------------------------------------------------------------------------


def _header_value(header: str, name: str) -> str | None:
    for line in header.splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip().lower() == name.lower():
            return value.strip()
    return None


def read_mo(path: Path) -> Entries:
    """A compiled catalogue (GNU ``.mo``, either byte order), with the standard library."""
    data = path.read_bytes()
    try:
        magic = struct.unpack("<I", data[:4])[0]
        order = {0x950412DE: "<", 0xDE120495: ">"}.get(magic)
        if order is None:
            raise CatalogueError(f"{path}: not a compiled gettext catalogue (.mo)")
        _revision, count, ids_at, strs_at = struct.unpack(order + "4I", data[4:20])
        pairs: list[tuple[bytes, bytes]] = []
        for i in range(count):
            id_len, id_at = struct.unpack(order + "2I", data[ids_at + 8 * i:ids_at + 8 * i + 8])
            str_len, str_at = struct.unpack(order + "2I",
                                            data[strs_at + 8 * i:strs_at + 8 * i + 8])
            pairs.append((data[id_at:id_at + id_len], data[str_at:str_at + str_len]))
    except struct.error as exc:
        raise CatalogueError(f"{path}: a damaged compiled catalogue ({exc})") from exc
    header = next((s.decode("utf-8", "replace") for i, s in pairs if not i), "")
    charset = "utf-8"
    match = re.search(r"charset=([\w.-]+)", _header_value(header, "Content-Type") or "")
    if match and match.group(1).lower() != "charset":
        charset = match.group(1)
    entries = Entries(language=path.parent.parent.name,
                      plural_forms=_header_value(header, "Plural-Forms") or DEFAULT_PLURAL)
    for raw_id, raw_str in pairs:
        if not raw_id:
            continue
        msgid, msgstr = raw_id.decode(charset), raw_str.decode(charset)
        context, sep, msgid = msgid.partition("\x04")
        if not sep:  # no context: not one of ours
            continue
        if context == SOURCE_KEY:
            entries.source_hash = msgstr
            continue
        entries.ids[context] = tuple(msgid.split("\x00"))
        entries.words[context] = tuple(msgstr.split("\x00"))
    return entries


def _babel() -> Any:
    try:
        from babel.messages import pofile
    except ImportError as exc:
        raise CatalogueError(
            "reading a .po catalogue needs Babel: pip install 'babel>=2.12,<3' (it comes "
            "with trustsim's dev extra), or reinstall trustsim to compile the catalogues"
        ) from exc
    return pofile


def read_catalog(path: Path) -> Any:
    """A ``.po`` file as a Babel catalogue (Babel is needed here)."""
    pofile = _babel()
    try:
        with path.open("rb") as handle:
            return pofile.read_po(handle, abort_invalid=True)
    except OSError as exc:
        raise CatalogueError(f"{path}: {exc.strerror or exc}") from exc
    except Exception as exc:  # Babel's PoFileError, or a bad encoding
        raise CatalogueError(f"{path}: {exc}") from exc


def read_po(path: Path) -> Entries:
    """A ``.po`` catalogue as trustsim uses it: fuzzy and untranslated entries are left out
    (the English shows instead), except in English, whose words are its msgids."""
    catalog = read_catalog(path)
    language = path.parent.parent.name
    plural_forms = _header_value(
        "\n".join(f"{k}: {v}" for k, v in catalog.mime_headers), "Plural-Forms")
    entries = Entries(language=language, plural_forms=plural_forms or DEFAULT_PLURAL,
                      source_hash=source_hash(path.read_bytes()))
    for message in catalog:
        if not message.id or not message.context:
            continue
        key = str(message.context)
        ids = tuple(message.id) if isinstance(message.id, (list, tuple)) else (message.id,)
        if isinstance(message.string, (list, tuple)):
            words = tuple(str(s) for s in message.string)
        else:
            words = (str(message.string or ""),)
        entries.ids[key] = ids
        if language == SOURCE and not any(words):
            words = ids
        if message.fuzzy:
            entries.fuzzy.append(key)
        elif not all(words):
            entries.untranslated.append(key)
        else:
            entries.words[key] = words
    return entries


# -- compiling --------------------------------------------------------------------------------


def compile_po(po: Path, mo: Path) -> None:
    """Compile one ``.po`` into ``mo`` (Babel's ``write_mo``), noting the ``.po``'s hash. The
    source language's empty msgstr are filled with its msgid."""
    from babel.messages.mofile import write_mo

    catalog = read_catalog(po)
    language = po.parent.parent.name
    for message in list(catalog):
        if not message.id:
            continue
        if language == SOURCE:
            if isinstance(message.id, (list, tuple)):
                message.string = tuple(message.id[min(i, 1)]
                                       for i in range(catalog.num_plurals))
            else:
                message.string = message.id
    catalog.add("sha256", source_hash(po.read_bytes()), context=SOURCE_KEY)
    mo.parent.mkdir(parents=True, exist_ok=True)
    partial = mo.with_name(mo.name + ".part")
    with partial.open("wb") as handle:
        write_mo(handle, catalog)
    partial.replace(mo)


def compile_all(locale_dir: Path = LOCALE_DIR, out_dir: Path | None = None) -> list[Path]:
    """Compile every language's ``.po`` under ``locale_dir`` into ``out_dir`` (the same
    layout; next to the ``.po`` by default). Returns the ``.mo`` written."""
    written = []
    for language in languages(locale_dir):
        po = po_path(language, locale_dir)
        if po.is_file():
            mo = mo_path(language, out_dir or locale_dir)
            compile_po(po, mo)
            written.append(mo)
    return written


def is_current(language: str, locale_dir: Path = LOCALE_DIR) -> bool:
    """Whether the language's ``.mo`` exists and was compiled from its ``.po`` as it is."""
    mo, po = mo_path(language, locale_dir), po_path(language, locale_dir)
    if not mo.is_file():
        return False
    return not po.is_file() or read_mo(mo).source_hash == source_hash(po.read_bytes())


# -- checking ---------------------------------------------------------------------------------


def plural_count(plural_forms: str) -> int | None:
    match = re.search(r"nplurals\s*=\s*(\d+)", plural_forms)
    return int(match.group(1)) if match else None


def problems(language: str, locale_dir: Path = LOCALE_DIR) -> list[str]:
    """What a translator still has to do in ``language``'s catalogue, measured against the
    English: missing and unknown keys, untranslated or fuzzy entries, entries whose English
    changed since they were translated, placeholders that differ, plural forms."""
    english = read_po(po_path(SOURCE, locale_dir))
    found: list[str] = []
    path = po_path(language, locale_dir)
    if not path.is_file():
        return [f"{path}: no such file"]
    try:
        entries = read_po(path)
    except CatalogueError as exc:
        return [str(exc)]
    nplurals = plural_count(entries.plural_forms)
    if nplurals is None:
        found.append(f"{language}: the Plural-Forms header is missing or has no nplurals")
    else:
        try:
            _plural_function(entries.plural_forms)(1)
        except ValueError:
            found.append(f"{language}: the Plural-Forms expression cannot be read: "
                         f"{entries.plural_forms}")
    for key in english.ids:
        if key not in entries.ids:
            found.append(f"{language}: {key}: missing")
    for key in entries.ids:
        if key not in english.ids:
            found.append(f"{language}: {key}: not a key of trustsim (not in English)")
    for key in entries.untranslated:
        found.append(f"{language}: {key}: not translated")
    for key in entries.fuzzy:
        found.append(f"{language}: {key}: fuzzy (marked to be checked)")
    for key, words in entries.words.items():
        source = english.ids.get(key)
        if source is None:
            continue
        if entries.ids[key] != source:
            found.append(f"{language}: {key}: translated from other English "
                         f"({entries.ids[key][0]!r}, now {source[0]!r})")
        if len(source) > 1 and nplurals is not None and len(words) != nplurals:
            found.append(f"{language}: {key}: {len(words)} plural forms, Plural-Forms says "
                         f"{nplurals}")
        wanted = set().union(*(placeholders(s) for s in source))
        for form in words:
            have = placeholders(form)
            # a singular form may say "1" instead of {count}
            allowed = wanted - {"count"} if len(source) > 1 else wanted
            if not allowed <= have <= wanted:
                found.append(f"{language}: {key}: placeholders {sorted(have)} in "
                             f"{form!r}, English has {sorted(wanted)}")
    if english.words.get("promise.what") and entries.words.get("promise.what"):
        want = english.words["promise.what"][0].count("|")
        if entries.words["promise.what"][0].count("|") != want:
            found.append(f"{language}: promise.what: {want + 1} phrases separated by |")
    return found


def _plural_function(plural_forms: str) -> Any:
    import gettext

    match = re.search(r"plural\s*=\s*([^;]+)", plural_forms)
    return gettext.c2py(match.group(1) if match else "n != 1")


# -- a new language ---------------------------------------------------------------------------


def new_catalogue(language: str, locale_dir: Path = LOCALE_DIR) -> Path:
    """Start ``language``'s catalogue from the English: every entry untranslated, the
    language's plural forms from Babel's locale data (CLDR)."""
    from babel import Locale
    from babel.messages.plurals import get_plural
    from babel.messages.pofile import write_po

    if not re.fullmatch(r"[a-z]{2,3}", language):
        raise CatalogueError(f"{language!r}: expected a language code such as fr or pt")
    path = po_path(language, locale_dir)
    if path.exists():
        raise CatalogueError(f"{path} exists already")
    catalog = read_catalog(po_path(SOURCE, locale_dir))
    catalog.locale = Locale.parse(language)
    rule = get_plural(language)
    catalog._num_plurals, catalog._plural_expr = rule.num_plurals, rule.plural_expr
    for message in catalog:
        if message.id:
            message.string = ("",) * rule.num_plurals if message.pluralizable else ""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=78, no_location=True)
    return path


# -- the command ------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    command = args.pop(0) if args else "check"
    try:
        if command == "check":
            wanted: Iterable[str] = args or [lang for lang in languages() if lang != SOURCE]
            found = [p for lang in wanted for p in problems(lang)]
            for line in found:
                print(line)
            if not found:
                print("every catalogue is complete: " + ", ".join(languages()))
            return 1 if found else 0
        if command == "compile":
            for mo in compile_all():
                print(f"compiled {mo}")
            return 0
        if command == "new" and len(args) == 1:
            path = new_catalogue(args[0])
            print(f"wrote {path}: translate it (Poedit, or any text editor), then "
                  f"`python -m simulator.translations check {args[0]}`")
            return 0
    except CatalogueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print("usage: python -m simulator.translations check [LANG ...] | compile | new LANG",
          file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
