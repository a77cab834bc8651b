"""Typed rule parameters: a frozen dataclass per rule, its JSON schema and its parser.

A parameter is a dataclass field with a default and a `doc` in its metadata. Supported types:
bool, int, str, list[str], and `T | None` of those. The same declaration gives the Pulumi policy
config schema, the documentation and the validation of user configuration.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from typing import Any, TypeVar, Union

P = TypeVar("P")


@dataclasses.dataclass(frozen=True, slots=True)
class NoParams:
    """The parameters of a rule that takes none."""


class ParamError(ValueError):
    """A configuration value does not fit a rule's parameters."""


def param(default: Any, doc: str) -> Any:
    """Declare a parameter field with its default and documentation."""
    if isinstance(default, list | tuple):
        items = tuple(default)
        return dataclasses.field(default_factory=lambda: items, metadata={"doc": doc})
    return dataclasses.field(default=default, metadata={"doc": doc})


def _field_types(cls: type[Any]) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _base_and_optional(tp: Any) -> tuple[Any, bool]:
    origin = typing.get_origin(tp)
    if origin in (Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0], True
    return tp, False


def _schema_of(tp: Any) -> dict[str, Any]:
    base, optional = _base_and_optional(tp)
    if base is bool:
        schema: dict[str, Any] = {"type": "boolean"}
    elif base is int:
        schema = {"type": "integer"}
    elif base is str:
        schema = {"type": "string"}
    elif typing.get_origin(base) is tuple and typing.get_args(base)[0] is str:
        schema = {"type": "array", "items": {"type": "string"}}
    else:  # pragma: no cover - a programming error in a rule declaration
        raise TypeError(f"unsupported parameter type {tp!r}")
    if optional:
        schema["type"] = [schema["type"], "null"]
    return schema


def schema(cls: type[Any]) -> dict[str, Any]:
    """The JSON schema of a parameter class (properties only)."""
    hints = _field_types(cls)
    out: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        entry = _schema_of(hints[f.name])
        entry["description"] = f.metadata.get("doc", "")
        entry["default"] = (
            list(default_of(f)) if isinstance(default_of(f), tuple) else default_of(f)
        )
        out[f.name] = entry
    return out


def default_of(f: dataclasses.Field[Any]) -> Any:
    if f.default is not dataclasses.MISSING:
        return f.default
    if f.default_factory is not dataclasses.MISSING:
        return f.default_factory()
    raise TypeError(f"parameter {f.name} has no default")  # pragma: no cover


def _coerce(name: str, tp: Any, raw: object) -> object:
    base, optional = _base_and_optional(tp)
    if raw is None:
        if optional:
            return None
        raise ParamError(f"{name} must not be null")
    if base is bool:
        if isinstance(raw, bool):
            return raw
        raise ParamError(f"{name} must be true or false, not {raw!r}")
    if base is int:
        if isinstance(raw, int) and not isinstance(raw, bool):
            return raw
        if isinstance(raw, float) and raw.is_integer():
            return int(raw)
        raise ParamError(f"{name} must be an integer, not {raw!r}")
    if base is str:
        if isinstance(raw, str):
            return raw
        raise ParamError(f"{name} must be a string, not {raw!r}")
    if isinstance(raw, list) and all(isinstance(x, str) for x in raw):
        return tuple(raw)
    raise ParamError(f"{name} must be a list of strings, not {raw!r}")


def parse(cls: type[P], raw: Mapping[str, object]) -> P:
    """Build parameters from configuration; unknown names and wrong types are errors."""
    hints = _field_types(cls)
    names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    extra = sorted(set(raw) - names)
    if extra:
        allowed = ", ".join(sorted(names)) or "none"
        raise ParamError(f"unknown parameter {extra[0]!r} (allowed: {allowed})")
    values = {key: _coerce(key, hints[key], value) for key, value in raw.items()}
    return cls(**values)
