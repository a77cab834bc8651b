"""Values as they cross the Pulumi resource protocol: secrets, resource references, outputs and
the unknown sentinel, read as plain data."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# Wire signatures of the Pulumi resource protocol.
SIG = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e"
OUTPUT_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4"
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"


def unwrap(value: Any) -> Any:
    """A secret's value (both the SDK's and the wire's wrapping), else the value itself."""
    if isinstance(value, Mapping) and value.get(SIG) == SECRET_SIG:
        return unwrap(value.get("value"))
    return value


def input_text(inputs: Mapping[str, Any], key: str) -> str | None:
    """The input `key` when it is a known, non-empty string."""
    value = unwrap(inputs.get(key))
    return value if isinstance(value, str) and value and value != UNKNOWN else None


def input_flag(inputs: Mapping[str, Any], key: str) -> bool:
    """Whether the input `key` is `True`."""
    return unwrap(inputs.get(key)) is True


def plain(value: Any) -> Any:
    """A wire value as the policy pack receives it: secrets unwrapped, resource references as
    their id (custom resources) or URN; assets, archives and unknown sentinels unchanged."""
    if isinstance(value, Mapping):
        sig = value.get(SIG)
        if sig == SECRET_SIG:
            return plain(value.get("value"))
        if sig == RESOURCE_SIG:
            ident = value.get("id")
            return ident if isinstance(ident, str) and ident else value.get("urn")
        if sig == OUTPUT_SIG:
            return plain(value["value"]) if "value" in value else UNKNOWN
        return {str(k): plain(value[k]) for k in sorted(value, key=str)}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value
