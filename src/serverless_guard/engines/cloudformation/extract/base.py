"""What every CloudFormation extractor receives, and the identity fields every fact shares."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from serverless_guard.engines.props import Props
from serverless_guard.facts.base import Resource
from serverless_guard.facts.value import Known


@dataclass(frozen=True, slots=True)
class CfnResource:
    """One resolved resource (one condition variant of it)."""

    id: str
    type: str
    properties: Mapping[str, Any]

    @property
    def props(self) -> Props:
        return Props(self.properties)

    def identity(
        self,
        *,
        name_property: str | None = None,
        ref_is_name: bool = True,
        arn: Callable[[str], str] | None = None,
        extra_aliases: Iterable[str] = (),
    ) -> dict[str, Any]:
        """id, type, name, ref_value and aliases for a fact of this resource.

        A reference `${Id}` and `${Id.Arn}` always denote the resource; its physical name (from
        `name_property`, rendered) and the ARN built from it (by `arn`) do too.
        """
        aliases = {f"${{{self.id}}}", f"${{{self.id}.Arn}}", *extra_aliases}
        literal: str | None = None
        if name_property is not None:
            rendered = self.props.link(name_property)
            if isinstance(rendered, Known):
                aliases.add(rendered.value)
                if arn is not None:
                    aliases.add(arn(rendered.value))
            value = self.props.string(name_property)
            if isinstance(value, Known):
                literal = value.value
        return {
            "id": self.id,
            "type": self.type,
            "name": self.id,
            "ref_value": literal if ref_is_name else None,
            "aliases": frozenset(aliases),
        }


Extractor = Callable[[CfnResource], Iterable[Resource]]
