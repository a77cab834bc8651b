"""A resource's Python arguments as the engine hands them to a policy pack: camelCase names (read
from pulumi-aws's own type metadata), plain values, and the engine's unknown sentinel for every
value a program only knows later (an `Output`, an awaitable, a resource reference).

This mirrors the SDK's serialization of resource inputs (`pulumi.runtime.rpc.serialize_property`,
which is asynchronous and needs the engine) with the SDK's name tables (`pulumi._types`): nested
argument classes and their dict forms get pulumi names, user maps (tags, environment variables)
keep their keys. `tests/test_pulumi_components.py` compares it with what the engine receives, so
an SDK upgrade that changes those tables fails a test.
"""

from __future__ import annotations

import enum
import inspect
import typing
from collections.abc import Mapping, Sequence

import pulumi
from pulumi import _types

from serverless_guard.engines.pulumi.mocks.wire import UNKNOWN


class Later:
    """A value the check treats as only known at deployment: one built from a value the program
    only knows later, or a reference to a resource the component does not create (the user's
    role or log group), which the component cannot judge and the policy pack judges in the
    stack."""


LATER = Later()


def known(value: object) -> bool:
    """Whether the program knows a value, and every value inside it, now (none is an output,
    an awaitable or `LATER`)."""
    if _pending(value):
        return False
    if _types.is_input_type(type(value)):
        return all(known(v) for v in _types.input_type_to_dict(value).values())
    if isinstance(value, Mapping):
        return all(known(v) for v in value.values())
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        return all(known(v) for v in value)
    return True


def _pending(value: object) -> bool:
    """A value only known later itself (not a container of such values)."""
    return isinstance(value, pulumi.Output | pulumi.Resource | Later) or inspect.isawaitable(value)


def _input_type(typ: object) -> type | None:
    """The argument class a declared type names (itself, or a member of its union)."""
    if isinstance(typ, type) and _types.is_input_type(typ):
        return typ
    for member in typing.get_args(typ):
        found = _input_type(member) if typing.get_origin(member) is not Sequence else None
        if found is not None:
            return found
    return None


def _element_type(typ: object) -> object:
    """The element type of a declared sequence type, if it is one."""
    for candidate in (typ, *typing.get_args(typ)):
        if typing.get_origin(candidate) in (Sequence, list, tuple):
            args = typing.get_args(candidate)
            return args[0] if args else None
    return None


def engine_value(value: object, typ: object = None) -> object:
    """One value as the engine receives it (see the module docstring)."""
    if value is None:
        return None
    if _pending(value):
        return UNKNOWN
    if isinstance(value, pulumi.Asset | pulumi.Archive):
        return {}  # the rules never read code
    if isinstance(value, enum.Enum):
        return value.value
    value_type = type(value)
    if _types.is_input_type(value_type):
        fields = _types.input_type_to_dict(value)
        types = _types.input_type_types(value_type)
        return {k: engine_value(v, types.get(k)) for k, v in fields.items()}
    if isinstance(value, Mapping):
        cls = _input_type(typ)
        if cls is None:  # a user map: keys as written
            return {str(k): engine_value(v) for k, v in value.items()}
        names = _types.input_type_py_to_pulumi_names(cls)
        types = _types.input_type_types(cls)
        out: dict[str, object] = {}
        for key, item in value.items():
            name = names.get(str(key)) or str(key)
            out[name] = engine_value(item, types.get(name))
        return out
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        element = _element_type(typ)
        return [engine_value(item, element) for item in value]
    return value


def engine_props(args_type: type, values: Mapping[str, object]) -> dict[str, object]:
    """A resource's arguments (Python names, as given to its constructor) as the engine's
    inputs; arguments left unset (None) are left out, as the engine leaves them out."""
    names = _types.input_type_py_to_pulumi_names(args_type)
    types = _types.input_type_types(args_type)
    out: dict[str, object] = {}
    for key, value in values.items():
        if value is None:
            continue
        name = names.get(key, key)
        out[name] = engine_value(value, types.get(name))
    return out
