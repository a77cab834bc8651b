"""From pulumi-policy's validation arguments to `PulumiResource` records.

pulumi-policy wraps inputs in read-only proxies that raise on unknown values. The pack reads what
the proxies wrap, so the engine's unknown sentinels reach the extractors intact and become
`Unknown` values; a value that cannot be read at all becomes the unknown-object sentinel.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

from serverless_guard.engines.pulumi.model import UNKNOWN_OBJECT, PulumiResource

# The engine's sentinel for an unknown object: what a value the pack cannot read becomes.
MAX_DEPTH = 100


def _target(value: object) -> object:
    """What one of pulumi-policy's read-only proxies wraps (they answer `["__target"]`)."""
    try:
        return cast(Any, value)["__target"]
    except Exception:
        return None


def _items(value: Mapping[Any, Any]) -> list[tuple[Any, Any]]:
    if isinstance(value, dict):
        return list(value.items())
    target = _target(value)
    if isinstance(target, dict):
        return list(target.items())
    out: list[tuple[Any, Any]] = []
    for key in list(value):
        try:
            out.append((key, value[key]))
        except Exception:  # an unknown value behind a proxy
            out.append((key, UNKNOWN_OBJECT))
    return out


def _elements(value: Sequence[Any]) -> list[Any]:
    if isinstance(value, list | tuple):
        return list(value)
    target = _target(value)
    if isinstance(target, list):
        return target
    out: list[Any] = []
    for index in range(len(value)):
        try:
            out.append(value[index])
        except Exception:
            out.append(UNKNOWN_OBJECT)
    return out


def plain(value: object, depth: int = 0) -> Any:
    """Plain data (dict, list, scalars) from pulumi-policy's proxied inputs, with the engine's
    unknown sentinels left in place. Assets and archives stay as they are."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if depth >= MAX_DEPTH:
        return UNKNOWN_OBJECT
    if isinstance(value, Mapping):
        return {str(k): plain(v, depth + 1) for k, v in _items(value)}
    if isinstance(value, Sequence) and not isinstance(value, bytes | bytearray):
        return [plain(v, depth + 1) for v in _elements(value)]
    return value


def _props(value: object) -> dict[str, Any]:
    data = plain(value)
    return data if isinstance(data, dict) else {}


def resource_of(args: Any) -> PulumiResource:
    """The resource of a `ResourceValidationArgs` (Analyze: no property dependencies)."""
    parent = getattr(getattr(args, "opts", None), "parent", None)
    return PulumiResource(
        urn=str(args.urn),
        type=str(args.resource_type),
        name=str(args.name),
        props=_props(args.props),
        parent=str(parent) if parent else None,
    )


def stack_resources(args: Any) -> list[PulumiResource]:
    """The resources of a `StackValidationArgs`, with their property dependencies."""
    out: list[PulumiResource] = []
    for r in args.resources:
        deps = getattr(r, "property_dependencies", None) or {}
        out.append(
            PulumiResource(
                urn=str(r.urn),
                type=str(r.resource_type),
                name=str(r.name),
                props=_props(r.props),
                property_dependencies={
                    str(key): tuple(str(d.urn) for d in value) for key, value in deps.items()
                },
                dependencies=tuple(str(d.urn) for d in (getattr(r, "dependencies", None) or ())),
                parent=str(r.parent.urn) if getattr(r, "parent", None) is not None else None,
            )
        )
    return out
