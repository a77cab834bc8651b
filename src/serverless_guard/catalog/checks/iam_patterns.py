"""IAM policy elements as patterns: rendered elements made concrete, and wildcard matching.

Policy elements are rendered strings (see `facts.nodes`): `${Id}` and `${Id.Attr}` denote stack
resources, `${?what}` parts are only known at deployment. The IAM rules read each element twice:
as it is certainly (references and deployment-time parts stand for specific values), and at
worst (a deployment-time part that a user supplies, such as a parameter without default, may be
`*`). A rule fails on what is certain and is unknown on what is only possible.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from serverless_guard.facts.nodes import OPAQUE_PART

_REFERENCE = re.compile(r"\$\{[^?}][^}]*\}")
SPECIFIC = "\x00"
"""Stands for a part that is one specific value: it matches no wildcard test."""
ANY = "\x01"
"""A name no pattern with a literal character matches: a pattern that matches it matches all."""


def concrete(text: str, *, worst: bool) -> str:
    """`text` with its non-literal parts replaced. References to stack resources and pseudo
    parameters (`AWS::Region`, ...) are specific values. Other deployment-time parts are `*` when
    `worst`, and specific otherwise."""

    def opaque(match: re.Match[str]) -> str:
        pseudo = match.group(0).startswith("${?AWS::")
        return "*" if worst and not pseudo else SPECIFIC

    return OPAQUE_PART.sub(opaque, _REFERENCE.sub(SPECIFIC, text))


def on_concrete(test: Callable[[str], bool]) -> Callable[[str, bool], bool]:
    """A test of rendered elements from a test of concrete text (see `concrete`)."""
    return lambda element, worst: test(concrete(element, worst=worst))


@lru_cache(maxsize=1024)
def _glob(pattern: str, star_only: bool) -> re.Pattern[str]:
    """A pattern's regex. With `star_only`, the text matched is itself a pattern, and only a
    `*` of `pattern` may match one of its `*`s (a `?` stands for one character, not for many)."""
    out = []
    for char in pattern:
        if char == "*":
            out.append(".*")
        elif char == "?":
            out.append("[^*]" if star_only else ".")
        else:
            out.append(re.escape(char))
    return re.compile("".join(out), re.IGNORECASE | re.DOTALL)


def glob_matches(pattern: str, text: str) -> bool:
    """IAM wildcard matching, case-insensitive: `*` is any run of characters, `?` one."""
    if "*" not in pattern and "?" not in pattern:
        return pattern.lower() == text.lower()
    if text == "*":  # the common question "does this pattern match everything?"
        return pattern.replace("*", "") in ("", "?")
    return _glob(pattern, False).fullmatch(text) is not None


def glob_covers(pattern: str, granted: str) -> bool:
    """True when every action that `granted` (itself a pattern) matches, `pattern` matches."""
    if "*" not in pattern and "?" not in pattern:
        return pattern.lower() == granted.lower()
    return _glob(pattern, True).fullmatch(granted) is not None


def all_resources(resource: str) -> bool:
    """`*`, or an ARN whose service and resource are wildcards (`arn:aws:*:*:*:*`): whatever
    the partition, region and account."""
    if glob_matches(resource, ANY) and ":" not in resource:
        return True
    parts = resource.split(":", 5)
    return (
        len(parts) == 6
        and parts[0].lower() == "arn"
        and glob_matches(parts[2], ANY)
        and glob_matches(parts[5], ANY)
    )
