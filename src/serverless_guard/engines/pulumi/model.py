"""A Pulumi resource as a policy pack sees it: engine-neutral input of the Pulumi extractors.

The same record comes from two places: the Analyzer gRPC requests of `pulumi preview` (through
pulumi-policy's validation arguments) and a program run under Pulumi's mocks
(`serverless-guard pulumi`). Property values are plain JSON-like data; a value that is unknown
during preview is one of the engine's unknown sentinels (see `is_unknown`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# The engine's sentinels for values that are unknown during preview (one per value type); they
# are part of the Pulumi resource protocol and also what pulumi-policy's proxies test for.
UNKNOWN_OBJECT = "dd056dcd-154b-4c76-9bd3-c8f88648b5ff"
UNKNOWN_SENTINELS = frozenset(
    {
        "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",  # boolean
        "3eeb2bf0-c639-47a8-9e75-3b44932eb421",  # number
        "04da6b54-80e4-46f7-96ec-b56ff0331ba9",  # string
        "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",  # array
        "030794c1-ac77-496b-92df-f27374a8bd58",  # asset
        "e48ece36-62e2-4504-bad9-02848725956a",  # archive
        UNKNOWN_OBJECT,
    }
)


def is_unknown(value: object) -> bool:
    return isinstance(value, str) and value in UNKNOWN_SENTINELS


@dataclass(frozen=True, slots=True)
class PulumiResource:
    """One resource of a stack.

    - `props`: the resource's inputs (plain data; unknown values are sentinels).
    - `property_dependencies`: for each input property, the URNs of the resources its value was
      computed from (these survive preview, when ids are still unknown).
    - `source`: the file and line where the program declared the resource (its constructor call
      in the program's own files), when known.
    """

    urn: str
    type: str
    name: str
    props: Mapping[str, Any]
    property_dependencies: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    dependencies: tuple[str, ...] = ()
    parent: str | None = None
    source: tuple[str, int] | None = None
