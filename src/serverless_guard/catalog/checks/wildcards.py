"""IAM wildcard patterns (`*` any run of characters, colons included; `?` one character),
matched in linear time.

Policy patterns and the strings they are matched against come from templates and programs: a
regular expression built from them (`.*` per `*`) backtracks, and a few kilobytes of `*a*a*a`
against `aaaa...b` would hang a scan. The matcher here simulates the pattern's automaton instead:
the pattern positions reached so far are the bits of one integer, and each character of the
text costs a fixed number of integer operations on it (bit-parallel, as in the Shift-And
algorithm). It never backtracks: `steps(pattern, text)` is `len(text)` at most, whatever the
inputs, with each step working on `len(pattern)` bits.

`FREE` is a character no pattern writes, so only a wildcard matches it. A run of it longer than
the pattern stands for "any value": a pattern that matches `f"role/{free_run(pattern)}"` matches
every role name (long enough), which is how rules ask what a pattern covers (see `iam_patterns`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

FREE = "\x01"
"""A character that only a wildcard matches (never written in a policy)."""
ANY_VALUE = "\x02"
"""In a template of `matches_every`: any value, as long as wanted."""

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def free_run(pattern: str, length: int = 0) -> str:
    """A run of `FREE` longer than `pattern` (or `length` long, if given): a value that a
    pattern matches only through a `*`."""
    return FREE * (length or len(pattern) + 1)


def has_wildcard(text: str) -> bool:
    return "*" in text or "?" in text


@dataclass(frozen=True, slots=True)
class _Automaton:
    """A pattern's items as bit masks. Bit i of a state: the first i items are matched."""

    size: int
    stars: int  # items that are `*`
    ones: int  # items that are `?`
    letters: dict[str, int]  # for a character, the items it matches as a literal or as `?`

    @property
    def accept(self) -> int:
        return 1 << self.size

    def close(self, state: int) -> int:
        """A `*` may match nothing: reaching it reaches the item after it."""
        return state | ((state & self.stars) << 1)


@lru_cache(maxsize=4096)
def _compile(pattern: str, ignore_case: bool) -> _Automaton:
    if ignore_case:
        pattern = pattern.translate(_ASCII_LOWER)
    items: list[str] = []
    for char in pattern:
        if char == "*" and items and items[-1] == "*":
            continue  # `**` matches what `*` does
        items.append(char)
    stars = ones = 0
    literals: dict[str, int] = {}
    for index, item in enumerate(items):
        bit = 1 << index
        if item == "*":
            stars |= bit
        elif item == "?":
            ones |= bit
        else:
            literals[item] = literals.get(item, 0) | bit
    letters = {char: mask | ones for char, mask in literals.items()}
    return _Automaton(len(items), stars, ones, letters)


def simulate(
    pattern: str, text: str, *, ignore_case: bool, text_is_pattern: bool
) -> tuple[bool, int]:
    """Whether `pattern` matches the whole `text`, and the number of steps taken (one per
    character of `text` read). With `text_is_pattern`, `text` is itself a pattern and the
    question is whether `pattern` matches everything it does: its `*` can only be matched by a
    `*` of `pattern`, its `?` by a `*` or a `?`."""
    automaton = _compile(pattern, ignore_case)
    if ignore_case:
        text = text.translate(_ASCII_LOWER)
    state = automaton.close(1)
    steps = 0
    for char in text:
        steps += 1
        stay = state & automaton.stars
        if text_is_pattern and char == "*":
            advance = 0
        elif text_is_pattern and char == "?":
            advance = state & automaton.ones
        else:
            advance = state & automaton.letters.get(char, automaton.ones)
        state = automaton.close((advance << 1) | stay)
        if not state:
            break
    return bool(state & automaton.accept), steps


@lru_cache(maxsize=16384)
def glob_matches(pattern: str, text: str, *, ignore_case: bool = True) -> bool:
    """IAM wildcard matching of the whole text (ASCII case-insensitive unless told otherwise)."""
    if not has_wildcard(pattern):
        if ignore_case:
            return pattern.translate(_ASCII_LOWER) == text.translate(_ASCII_LOWER)
        return pattern == text
    return simulate(pattern, text, ignore_case=ignore_case, text_is_pattern=False)[0]


@lru_cache(maxsize=16384)
def glob_covers(pattern: str, granted: str, *, ignore_case: bool = True) -> bool:
    """True when `pattern` matches everything that `granted` (itself a pattern) matches. Sound:
    a True is always right; a few equivalent spellings (`?*` against `*?`) read False."""
    if not has_wildcard(pattern):
        return not has_wildcard(granted) and glob_matches(pattern, granted, ignore_case=ignore_case)
    return simulate(pattern, granted, ignore_case=ignore_case, text_is_pattern=True)[0]


def matches_every(pattern: str, template: str, *, ignore_case: bool = True) -> bool:
    """Whether `pattern` matches every string `template` describes, where each `ANY_VALUE` in
    `template` stands for any value (long enough: each becomes a `FREE` run longer than the
    pattern) and each `FREE` for any one character. Exact for long values: if the pattern
    matches the widened template, every `ANY_VALUE` is met by a `*` of the pattern, which
    matches any other value of at least the pattern's length there just as well."""
    wide = template.replace(ANY_VALUE, free_run(pattern))
    return glob_matches(pattern, wide, ignore_case=ignore_case)


def literal_prefix(pattern: str) -> str:
    """The part of a pattern before its first wildcard."""
    for index, char in enumerate(pattern):
        if char in "*?":
            return pattern[:index]
    return pattern
