"""The one test of a waiver's reason, for every kind of waiver and every front end.

A reason is text with at least `MIN_REASON` visible characters: letters, digits, punctuation or
symbols. Whitespace does not count (ten spaces and an `x` is one character), nor do marks that
only decorate another character or letters that render as nothing (the Hangul fillers, the
blank Braille pattern). A reason that is not text (a list, a number, a map, a boolean, nothing)
fails, and so does one that holds a control, format (zero-width, bidirectional override),
surrogate, private-use or unassigned character: such characters can make a reason read
differently from what it says, or hide it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

MIN_REASON = 10

_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def reason_problem(reason: object) -> str | None:
    """Why `reason` is not a reason (one phrase), or None when it is one."""
    needs = f"needs a reason of at least {MIN_REASON} visible characters"
    if reason is None:
        return needs
    if not isinstance(reason, str):
        return f"{needs}, not {_kind(reason)}"
    visible = 0
    for char in reason:
        if char.isspace():
            continue
        category = unicodedata.category(char)
        if category in _HIDDEN_CATEGORIES:
            name = unicodedata.name(char, "")
            what = f"U+{ord(char):04X}" + (f" {name}" if name else "")
            return f"{needs}; its reason holds an invisible or control character ({what})"
        if category[0] != "M" and char not in _BLANK_LETTERS:
            visible += 1
    return None if visible >= MIN_REASON else needs


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, Mapping):
        return "a map"
    return f"a {type(value).__name__}"
