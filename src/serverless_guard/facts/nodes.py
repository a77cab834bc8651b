"""Engine-neutral nodes of a resolved property tree.

An engine turns its raw resource properties into plain JSON-like data (dict, list, str, int,
float, bool, None) plus three node types for what is not a literal:

- `Ref`: a reference to another resource of the same stack (CloudFormation Ref/GetAtt, Pulumi
  property dependencies). The graph links resources through these.
- `Unknown`-like `Opaque`: a value that cannot be known before deployment (a preview output, a
  parameter without default, Fn::ImportValue, a pseudo parameter).
- `Text`: a string built from literal parts, references and opaque parts (Fn::Sub, Fn::Join).

`render` turns any of them into a stable string: references become `${Name}` or
`${Name.Attr}`, opaque parts `${?what}`. Two rendered strings are equal exactly when they denote
the same value for the same stack, which is how names and ARNs are matched across resources.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

OPAQUE_MARK = "${?"
# The inside of a `${...}` part: up to its `}`, never across another `${`, so that a text of
# many unclosed `${` is read once, not once per `${` (no regular expression here backtracks
# over user input).
INSIDE = r"(?:[^}$]|\$(?!\{))*+"
RENDERED_PART = re.compile(r"\$\{" + INSIDE + r"\}")
"""A part of a rendered string that is a reference or only known at deployment (`${...}`)."""
OPAQUE_PART = re.compile(r"\$\{\?" + INSIDE + r"\}")
"""A part of a rendered string that is only known at deployment (`${?what}`)."""


@dataclass(frozen=True, slots=True)
class Ref:
    """A reference to a resource in the same stack, optionally to one of its attributes."""

    target: str
    attribute: str | None = None

    def render(self) -> str:
        return f"${{{self.target}.{self.attribute}}}" if self.attribute else f"${{{self.target}}}"


@dataclass(frozen=True, slots=True)
class Opaque:
    """A value that is only known at deployment time."""

    what: str

    def render(self) -> str:
        return f"${{?{self.what}}}"


@dataclass(frozen=True, slots=True)
class Text:
    """A string made of literal parts, references and opaque parts."""

    parts: tuple[str | Ref | Opaque, ...]

    def render(self) -> str:
        return "".join(p if isinstance(p, str) else p.render() for p in self.parts)

    @property
    def has_opaque(self) -> bool:
        return any(isinstance(p, Opaque) for p in self.parts)

    @property
    def refs(self) -> tuple[Ref, ...]:
        return tuple(p for p in self.parts if isinstance(p, Ref))


def text(parts: Sequence[str | Ref | Opaque]) -> str | Text:
    """Build a Text, merging adjacent literals; a Text of literals only is a plain str."""
    merged: list[str | Ref | Opaque] = []
    for part in parts:
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] = merged[-1] + part
        elif part != "":
            merged.append(part)
    if all(isinstance(p, str) for p in merged):
        return "".join(p for p in merged if isinstance(p, str))
    return Text(tuple(merged))


def render(node: object) -> str:
    """A stable string form of a scalar node (see the module docstring)."""
    if isinstance(node, Ref | Opaque | Text):
        return node.render()
    if isinstance(node, bool):
        return "true" if node else "false"
    if isinstance(node, float) and node.is_integer():
        return str(int(node))
    if isinstance(node, str | int | float):
        return str(node)
    if node is None:
        return ""
    if isinstance(node, Mapping | Sequence):
        return Opaque("structured value").render()
    return Opaque(type(node).__name__).render()


def is_opaque_text(value: str) -> bool:
    """True when a rendered string contains a part only known at deployment."""
    return OPAQUE_MARK in value


def is_reference_text(value: str) -> bool:
    """True when a rendered string is exactly one reference to a stack resource."""
    return (
        value.startswith("${")
        and not value.startswith(OPAQUE_MARK)
        and value.endswith("}")
        and value.count("${") == 1
    )
