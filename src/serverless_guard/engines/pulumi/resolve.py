"""Turn a Pulumi resource's inputs into the engine-neutral node tree (see `facts.nodes`).

- An unknown sentinel becomes an `Opaque` node ("preview output").
- A top-level scalar input only known at deployment and computed from exactly one other
  resource (its property dependencies name one URN) becomes a `Ref` to that resource: this is
  how links survive preview, when the referenced resource's name or ARN is still unknown. A
  link stands in only for what is unknown: a known value is that value (a bucket name, a log
  group name, an ARN), compared with the names and ARNs of the stack's resources as a
  template's literals are, whatever it was computed from. The exception is an input that holds
  an id the provider assigns (`restApi`, `apiId`): nothing the program states can be compared
  with it, so the resource it was computed from is what it denotes, known or not.
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


# Inputs that hold an id the provider assigns to another resource (pulumi-aws and aws-native
# spell them alike).
ASSIGNED_IDS = frozenset({"restApi", "restApiId", "apiId"})


def nodes(resource: PulumiResource) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in resource.props.items():
        deps = set(resource.property_dependencies.get(key, ()))
        node = plain(value)
        if len(deps) == 1 and (
            isinstance(node, Opaque) or (isinstance(node, str) and key in ASSIGNED_IDS)
        ):
            node = Ref(next(iter(deps)))
        out[str(key)] = node
    return out
