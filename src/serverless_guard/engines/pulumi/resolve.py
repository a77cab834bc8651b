"""Turn a Pulumi resource's inputs into the engine-neutral node tree (see `facts.nodes`).

- An unknown sentinel becomes an `Opaque` node ("preview output").
- A top-level scalar input computed from exactly one other resource (its property dependencies
  name one URN) becomes a `Ref` to that resource: this is how links survive preview, when the
  referenced resource's id or ARN is still unknown, and how they stay unambiguous afterwards.
- Everything else is kept as plain data (engines hand out read-only proxies: copy them).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from serverless_guard.engines.pulumi.model import PulumiResource, is_unknown
from serverless_guard.facts.nodes import Opaque, Ref

PREVIEW_OUTPUT = "preview output"


def plain(value: Any) -> Any:
    """A deep copy as dict/list/scalars, with unknown sentinels as `Opaque` nodes."""
    if is_unknown(value):
        return Opaque(PREVIEW_OUTPUT)
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        return [plain(v) for v in value]
    return value


def nodes(resource: PulumiResource) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in resource.props.items():
        deps = resource.property_dependencies.get(key, ())
        node = plain(value)
        if len(set(deps)) == 1 and (isinstance(node, str | Opaque)):
            node = Ref(deps[0])
        out[str(key)] = node
    return out
