"""The three states of a configuration value: known, absent, unknown.

Every fact field that comes from a template or a Pulumi resource is a `Value`. Each state keeps
the property path it was read from (relative to the resource's properties), so that findings can
point at the exact place to fix.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeAlias, TypeVar

T = TypeVar("T")

Path: TypeAlias = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Known(Generic[T]):
    """A value that is set and whose content is known."""

    value: T
    at: Path = ()


@dataclass(frozen=True, slots=True)
class Absent:
    """A value that is not set: the service default applies."""

    at: Path = ()


@dataclass(frozen=True, slots=True)
class Unknown:
    """A value that is set but cannot be known before deployment.

    `reason` says why, for example "preview output", "parameter Env has no default" or
    "Fn::ImportValue".
    """

    reason: str
    at: Path = ()


Value: TypeAlias = Known[T] | Absent | Unknown


def is_set(value: Value[T]) -> bool:
    """Presence check: an unknown value counts as present."""
    return not isinstance(value, Absent)


def known_or(value: Value[T], default: T) -> T:
    """The known content, or `default` when absent or unknown."""
    return value.value if isinstance(value, Known) else default


def path_text(path: Path) -> str:
    """`("Policies", 0, "PolicyDocument")` -> `Policies[0].PolicyDocument`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out
