"""One rule for text read from files, and escaping wherever such text is printed.

Scenario files travel (trainers swap them, org charts come from HR systems), and text in
them ends up on a trainer's or trainee's terminal. A terminal obeys control characters:
``ESC ] 0 ; ... BEL`` (an OSC sequence) retitles the window, OSC 52 writes the clipboard,
``ESC [`` or the one-byte C1 ``CSI`` (0x9b) moves the cursor and erases what was printed,
and a bidirectional override (U+202E, the "Trojan Source" trick) makes text read in
another order than it is stored. So:

* :func:`find_unsafe` is the rule every text from a file goes through when it is read:
  control characters (C0 except newline and tab in texts, DEL, C1) and bidirectional
  controls (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C) are refused, with
  :func:`unsafe_message` saying which character it is and what to do;
* :func:`safe_text` (one line), :func:`safe_lines` (newlines kept) and :func:`safe_json`
  (JSON already dumped) escape them at every output, as defence in depth: a file name, a
  key of a mapping, a value quoted in a problem.

Ids have a stricter rule of their own (no spaces, no invisible characters at all), written
as :data:`ID_PATTERN` so that the JSON Schema editors read carries the very same pattern.
"""

from __future__ import annotations

import re
import unicodedata

#: C0 controls but tab and newline, DEL, C1 controls (as a regex class body)
_CONTROLS = "\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f"
#: bidirectional controls: marks, embeddings and overrides, isolates (a regex class body)
_BIDI = "\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069"

#: What a text field may not contain (newline and tab are fine).
UNSAFE_IN_TEXT = re.compile(f"[{_CONTROLS}{_BIDI}]")
#: What a key, an id or a line of output may not contain: the above, newline and tab.
UNSAFE_ON_A_LINE = re.compile(f"[\\t\\n{_CONTROLS}{_BIDI}]")
#: Escaped on output: the above, and the line and paragraph separators that some readers
#: take for a line break.
_ESCAPED = re.compile(f"[\\t\\n{_CONTROLS}{_BIDI}\\u2028\\u2029]")
_ESCAPED_KEEP_LINES = re.compile(f"[{_CONTROLS}{_BIDI}\\u2028\\u2029]")

#: A text field's rule as a JSON Schema pattern (ECMA-262 and Python ``re`` alike).
TEXT_PATTERN = f"^[^{_CONTROLS}{_BIDI}]*$"

#: Characters an id may not contain: ``" # ' * , :``, every space (Zs, Zl, Zp), every
#: control and format character (Cc, Cf: zero-width and bidirectional ones included),
#: surrogates and private use (Cs, Co). Explicit ranges rather than ``\\p{C}``, which
#: Python's ``re`` (and so the ``jsonschema`` package) does not read; Unicode 15.
#: Characters outside the Basic Multilingual Plane are written as themselves, which
#: Python and ECMA-262 regular expressions with the ``u`` flag (what editors use) read as
#: one character each.
ID_FORBIDDEN = (
    "\"#'*,:"
    "\\u0000-\\u0020\\u007f-\\u00a0\\u00ad\\u0600-\\u0605\\u061c\\u06dd\\u070f"
    "\\u0890\\u0891\\u08e2\\u1680\\u180e\\u2000-\\u200f\\u2028-\\u202f\\u205f-\\u2064"
    "\\u2066-\\u206f\\u3000\\ud800-\\uf8ff\\ufeff\\ufff9-\\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
    "\U000f0000-\U000ffffd\U00100000-\U0010fffd"
)
#: An id, as a JSON Schema pattern. ``$(?!\\n)``: Python's ``$`` also matches before a
#: final newline, ECMA-262's does not; with the look-ahead both end at the end.
ID_PATTERN = f"^[^{ID_FORBIDDEN}]+$(?!\\n)"
#: A person, a team, `player`, or `*` for everyone.
GROUP_PATTERN = f"^(?:[^{ID_FORBIDDEN}]+|\\*)$(?!\\n)"

_ID = re.compile(ID_PATTERN)
_GROUP = re.compile(GROUP_PATTERN)
#: a character no id has, newline apart (to check many ids joined by newlines at once)
_NOT_IN_ID_BUT_NEWLINE = re.compile(
    "[" + ID_FORBIDDEN.replace("\\u0000-\\u0020", "\\u0000-\\u0009\\u000b-\\u0020") + "]")

_C0 = ["NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "TAB", "LF", "VT", "FF",
       "CR", "SO", "SI", "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM",
       "SUB", "ESC", "FS", "GS", "RS", "US"]
_C1 = ["PAD", "HOP", "BPH", "NBH", "IND", "NEL", "SSA", "ESA", "HTS", "HTJ", "VTS", "PLD",
       "PLU", "RI", "SS2", "SS3", "DCS", "PU1", "PU2", "STS", "CCH", "MW", "SPA", "EPA", "SOS",
       "SGCI", "SCI", "CSI", "ST", "OSC", "PM", "APC"]


def find_unsafe(text: str, *, one_line: bool = False) -> int | None:
    """The index of the first character the rule refuses in ``text``, or None.

    >>> find_unsafe("Evil \\x1b]0;PWNED\\x07 title")
    5
    >>> find_unsafe("two\\nlines"), find_unsafe("two\\nlines", one_line=True)
    (None, 3)
    """
    found = (UNSAFE_ON_A_LINE if one_line else UNSAFE_IN_TEXT).search(text)
    return found.start() if found else None


def is_id(text: str) -> bool:
    """Whether ``text`` is a valid id (see :data:`ID_PATTERN`)."""
    return _ID.search(text) is not None


def is_group(text: str) -> bool:
    """Whether ``text`` is a valid person, team, `player` or `*` (:data:`GROUP_PATTERN`)."""
    return _GROUP.search(text) is not None


def first_bad_id(ids: list[str], max_length: int = 64) -> int | None:
    """The index of the first of ``ids`` that is not a valid id of at most ``max_length``
    characters, or None; a million valid ids are checked in a few regex passes."""
    if not ids:
        return None
    if (max(map(len, ids)) <= max_length and min(map(len, ids)) >= 1
            and not _NOT_IN_ID_BUT_NEWLINE.search("\n".join(ids))):
        return None
    return next((i for i, x in enumerate(ids) if not (len(x) <= max_length and is_id(x))),
                None)


def escape_char(char: str) -> str:
    """``\\x1b`` for ESC, ``\\u202e`` for RIGHT-TO-LEFT OVERRIDE, ``\\n`` for a newline."""
    special = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}
    if char in special:
        return special[char]
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def describe_char(char: str) -> str:
    """``U+001B (ESC)``, ``U+202E (RIGHT-TO-LEFT OVERRIDE)``."""
    code = ord(char)
    if code < 0x20:
        name = _C0[code]
    elif code == 0x7F:
        name = "DEL"
    elif 0x80 <= code <= 0x9F:
        name = _C1[code - 0x80]
    else:
        name = unicodedata.name(char, "")
    return f"U+{code:04X} ({name})" if name else f"U+{code:04X}"


def what_is_wrong(char: str) -> str:
    """``U+001B (ESC, written \\x1b), a control character, which a terminal obeys instead
    of printing it``."""
    name = describe_char(char)
    what = f"{name[:-1]}, written {escape_char(char)})" if name.endswith(")") \
        else f"{name} (written {escape_char(char)})"
    if "\u2000" <= char <= "\u206f" or char == "\u061c":
        why = ("a bidirectional control, which shows text in another order than it is "
               "written")
    elif char in "\n\t":
        why = "a line break or tab"
    else:
        why = "a control character, which a terminal obeys instead of printing it"
    return f"{what}, {why}"


def unsafe_message(char: str, *, key: bool = False) -> str:
    """What is wrong with ``char`` in a text (or a key) and what to do, for a problem list:
    ``contains U+001B (ESC, written \\x1b), a control character ...: remove it``."""
    if key:
        return (f"the key contains {what_is_wrong(char)}: a key is the name of a field "
                "(such as `title`), on one line; remove it")
    return f"contains {what_is_wrong(char)}: remove it (newlines and tabs are fine in texts)"


def safe_text(text: str) -> str:
    """``text`` on one line with every control and bidirectional character escaped
    (``\\x1b``, ``\\u202e``, ``\\n``): safe to print on a terminal, in Markdown or CSV.
    Text without such characters comes back unchanged.

    >>> safe_text("Evil \\x1b]0;PWNED\\x07 title")
    'Evil \\\\x1b]0;PWNED\\\\x07 title'
    """
    if not _ESCAPED.search(text):
        return text
    return _ESCAPED.sub(lambda m: escape_char(m.group()), text)


def safe_lines(text: str) -> str:
    """Like :func:`safe_text`, but newlines and tabs stay (a message of several lines)."""
    if not _ESCAPED_KEEP_LINES.search(text):
        return text
    return _ESCAPED_KEEP_LINES.sub(lambda m: escape_char(m.group()), text)


def safe_json(dumped: str) -> str:
    """JSON text (from ``json.dumps(..., ensure_ascii=False)``) with the characters that
    ``json`` leaves as they are (DEL, C1, bidirectional controls, line separators) written
    as ``\\u`` escapes: the same JSON value, safe to print. Outside strings JSON has none of
    these characters, so escaping them everywhere only touches strings."""
    if not _ESCAPED_KEEP_LINES.search(dumped):
        return dumped
    return _ESCAPED_KEEP_LINES.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)


__all__ = [
    "GROUP_PATTERN",
    "ID_FORBIDDEN",
    "ID_PATTERN",
    "TEXT_PATTERN",
    "describe_char",
    "escape_char",
    "find_unsafe",
    "first_bad_id",
    "is_group",
    "is_id",
    "safe_json",
    "safe_lines",
    "safe_text",
    "unsafe_message",
    "what_is_wrong",
]
