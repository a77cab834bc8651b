"""JSON as the user's files must be: no key written twice, no lone surrogate.

Python's decoder accepts both: the last of two equal keys wins silently (a configuration or
baseline could then say two things, and a reviewer read the other one), and a `\\ud800` escape
without its pair decodes to text that cannot be written out again. Both are errors here, with
the line where the text goes wrong when it can be told.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any, TypeVar

from serverless_guard.errors import InputError

D = TypeVar("D", bound=dict[str, Any])
_SURROGATE_ESCAPE = re.compile(r"(\\+)u([dD][89a-fA-F][0-9a-fA-F]{2})")


class StrictJsonError(InputError):
    """JSON text that is not what it must be (the caller names the file)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message, line=line)


def unique_keys(pairs: list[tuple[str, Any]], make: Callable[[], D]) -> D:
    """An object of the decoded `pairs` (a `make()` mapping), refusing a key written twice."""
    out = make()
    for key, value in pairs:
        if key in out:
            raise StrictJsonError(f"duplicate key {key!r}")
        out[key] = value
    return out


def _plain(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    return unique_keys(pairs, dict[str, Any])


_DECODER = json.JSONDecoder(object_pairs_hook=_plain)


def loads(text: str) -> object:
    """Decode `text`, refusing duplicate keys and lone surrogates (`StrictJsonError`)."""
    bad = lone_surrogate(text)
    if bad is not None:
        raise StrictJsonError(
            "invalid JSON: a lone surrogate escape is not a character", text.count("\n", 0, bad) + 1
        )
    try:
        return _DECODER.decode(text.removeprefix("\ufeff"))
    except json.JSONDecodeError as err:
        raise StrictJsonError(f"invalid JSON: {err.msg}", err.lineno) from None
    except RecursionError:
        raise StrictJsonError("invalid JSON: nested too deep") from None


def lone_surrogate(text: str) -> int | None:
    """The offset of the first `\\uD800`-`\\uDFFF` escape of a JSON text that is not half of a
    pair (a high surrogate directly followed by a low one), or None."""
    if "\\u" not in text:
        return None
    pending: int | None = None  # offset of a high surrogate waiting for its low half
    end_of_pending = -1
    for match in _SURROGATE_ESCAPE.finditer(text):
        if len(match.group(1)) % 2 == 0:
            continue  # an escaped backslash followed by the letter u: not an escape
        start = match.start() + len(match.group(1)) - 1
        high = int(match.group(2), 16) < 0xDC00
        if pending is not None:
            if not high and start == end_of_pending:
                pending = None
                continue
            return pending
        if not high:
            return start
        pending, end_of_pending = start, match.end()
    return pending
