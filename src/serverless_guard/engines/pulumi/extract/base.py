"""What every Pulumi extractor receives, and the identity fields every fact shares."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from serverless_guard.engines.props import Props
from serverless_guard.engines.pulumi.model import PulumiResource
from serverless_guard.engines.pulumi.resolve import nodes
from serverless_guard.facts.base import Resource
from serverless_guard.facts.value import Known


@dataclass(frozen=True)
class PulumiView:
    """One Pulumi resource with its inputs resolved into nodes."""

    resource: PulumiResource
    properties: dict[str, Any] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "properties", nodes(self.resource))

    @property
    def props(self) -> Props:
        return Props(self.properties)

    @property
    def urn(self) -> str:
        return self.resource.urn

    def identity(self, *, name_property: str | None = None) -> dict[str, Any]:
        """id (the URN), type, name, ref_value and aliases for a fact of this resource.

        `${urn}` always denotes the resource (links made from property dependencies); a literal
        physical name from `name_property` does too.
        """
        aliases = {f"${{{self.urn}}}"}
        literal: str | None = None
        if name_property is not None:
            value = self.props.string(name_property)
            if isinstance(value, Known):
                literal = value.value
                aliases.add(literal)
        return {
            "id": self.urn,
            "type": self.resource.type,
            "name": self.resource.name,
            "ref_value": literal,
            "aliases": frozenset(aliases),
        }


Extractor = Callable[[PulumiView], Iterable[Resource]]
