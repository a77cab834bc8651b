"""A pulumi-aws (classic) resource's inputs as plain data, and the blocks within them.

Two readers per resource: `view.props` (resolved nodes) for inputs that link to another
resource (a KMS key, a bucket), where a value computed from one resource is a reference to it;
`plain_inputs(view)` for everything else, where a known value stays that value whatever it was
computed from (a bucket policy built from the bucket's ARN is a policy, a setting computed from
a config output is that setting).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from serverless_guard.engines.props import Props
from serverless_guard.engines.pulumi.extract.base import PulumiView
from serverless_guard.engines.pulumi.resolve import plain
from serverless_guard.facts.nodes import Opaque
from serverless_guard.facts.value import Absent, Known, Unknown, Value

T = TypeVar("T")
Block = Props | Unknown | Absent


def plain_inputs(view: PulumiView) -> Props:
    """The resource's inputs as plain data (unknown values as opaque nodes, no references)."""
    data: dict[str, Any] = plain(view.resource.props)
    return Props(data)


def plain_identity(
    view: PulumiView, name_key: str | None = None, *, arn: Callable[[str], str] | None = None
) -> dict[str, Any]:
    """The resource's identity. A known physical name, and the ARN built from it, are aliases,
    and the name is what a reference to the resource stands for."""
    ident = view.identity()
    name = plain_inputs(view).string(name_key) if name_key is not None else None
    if isinstance(name, Known) and name.value:
        aliases = {*ident["aliases"], name.value}
        if arn is not None:
            aliases.add(arn(name.value))
        ident["aliases"] = frozenset(aliases)
        ident["ref_value"] = name.value
    return ident


def read(block: Block, reader: Callable[[Props], Value[T]]) -> Value[T]:
    """A value inside a block that may itself be absent or unknown."""
    return reader(block) if isinstance(block, Props) else block


def blocks(props: Props, key: str) -> list[Props | Unknown]:
    """The items of a list input; an item (or the list) only known at deployment is unknown."""
    node = props.raw(key)
    if isinstance(node, Opaque):
        return [Unknown(node.what, props.path(key))]
    if not isinstance(node, list):
        return []
    out: list[Props | Unknown] = []
    for index, item in enumerate(node):
        at = props.path(key, index)
        if isinstance(item, Mapping):
            out.append(Props(item, at))
        elif isinstance(item, Opaque):
            out.append(Unknown(item.what, at))
    return out


def first(block: Block, key: str) -> Block:
    """The first item of a list input (S3 applies the first encryption rule; BucketV2 gives
    single blocks as lists of one)."""
    if not isinstance(block, Props):
        return block
    items = blocks(block, key)
    return items[0] if items else Absent(block.path(key))
