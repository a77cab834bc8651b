"""What the pulumi-aws (classic) extractors read alike: a resource's type from its URN, its
identity, its literal inputs and the links its inputs make to the resources they were computed
from.

Inputs read as physical names and JSON documents come from the raw inputs, not the resolved
nodes: a known string computed from another resource (a policy built from a table's ARN) is that
string, not a reference to the other resource.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from serverless_guard.engines.policy_document import policy_document
from serverless_guard.engines.props import Props
from serverless_guard.engines.pulumi.extract.base import PulumiView
from serverless_guard.engines.pulumi.model import is_unknown
from serverless_guard.engines.pulumi.resolve import plain
from serverless_guard.facts.nodes import Opaque, Ref
from serverless_guard.facts.policy import PolicyDocument
from serverless_guard.facts.value import Known, Unknown, Value

LOG_GROUP_TYPE = "aws:cloudwatch/logGroup:LogGroup"

# Resources whose ARN holds ids the provider assigns (a REST API's and its stage's, an AppSync
# API's), by type token: what a web ACL association may name.
PROTECTABLE = frozenset(
    {
        "aws:apigateway/stage:Stage",
        "aws:appsync/graphQLApi:GraphQLApi",
        "aws-native:apigateway:Stage",
        "aws-native:appsync:GraphQlApi",
    }
)


def type_of(urn: str) -> str:
    """The resource type a URN names (`urn:pulumi:<stack>::<project>::<type>::<name>`; a
    child's type is qualified by its parents' types, `parent$child`)."""
    parts = urn.split("::", 3)
    return parts[2].rsplit("$", 1)[-1] if len(parts) == 4 else ""


def literal(view: PulumiView, key: str) -> str | None:
    """A string input's literal value when it is known (whatever it was computed from)."""
    raw = view.resource.props.get(key)
    if isinstance(raw, str) and not is_unknown(raw):
        return raw
    return None


def dependency(
    view: PulumiView, key: str, type_: str | tuple[str, ...] | None = None
) -> str | None:
    """The one resource (of `type_`, or one of those types, if given) an input was computed
    from, if there is one."""
    urns = set(view.resource.property_dependencies.get(key, ()))
    if len(urns) != 1:
        return None
    urn = next(iter(urns))
    types = (type_,) if isinstance(type_, str) else type_
    return urn if types is None or type_of(urn) in types else None


def assigned_arn_of(view: PulumiView, key: str) -> str | None:
    """The resource an ARN input names when that ARN holds ids the provider assigns, which
    nothing in the program can be compared with: the one resource it was computed from, or the
    one protectable resource among several (`Output.concat` of an API's id and a stage's name),
    known or not."""
    urns = set(view.resource.property_dependencies.get(key, ()))
    protectable = {urn for urn in urns if type_of(urn) in PROTECTABLE}
    if len(protectable) == 1:
        return next(iter(protectable))
    return next(iter(urns)) if len(urns) == 1 else None


def identity(view: PulumiView, name_key: str | None = None) -> dict[str, Any]:
    """The resource's identity; a known physical name is an alias, and what a reference to the
    resource stands for."""
    ident = view.identity()
    name = literal(view, name_key) if name_key is not None else None
    if name:
        ident["aliases"] = frozenset({*ident["aliases"], name})
        ident["ref_value"] = name
    return ident


def own_link(view: PulumiView) -> str:
    return Ref(view.urn).render()


def _referencing(node: Any, urn: str | None) -> Any:
    """`node` with the values inside it that are only known at deployment as references to
    `urn`, the one resource they were computed from (when there is one)."""
    if urn is None:
        return node
    if isinstance(node, Opaque):
        return Ref(urn)
    if isinstance(node, Mapping):
        return {key: _referencing(value, urn) for key, value in node.items()}
    if isinstance(node, list):
        return [_referencing(value, urn) for value in node]
    return node


def policy_input(view: PulumiView, key: str) -> Value[PolicyDocument]:
    """A policy document input: a JSON string or a policy object (unknown as a whole during
    preview when computed). In an object, a value only known at deployment that was computed
    from the one resource the input depends on (a role's or a table's ARN) refers to it."""
    node = plain(view.resource.props.get(key))
    if isinstance(node, Mapping):
        node = _referencing(node, dependency(view, key))
    return policy_document(node, (key,))


def nested_link(
    view: PulumiView, key: str, parent: Props, nested: str, type_: str | tuple[str, ...]
) -> Value[str]:
    """A link read from a nested input: a value only known at deployment that was computed
    from one resource of `type_` (or one of those types: the top-level input's only dependency)
    links to it."""
    value = parent.link(nested)
    if isinstance(value, Unknown):
        urn = dependency(view, key, type_)
        if urn is not None:
            return Known(Ref(urn).render(), value.at)
    return value
