"""The base of every resource fact."""

from __future__ import annotations

from dataclasses import dataclass, field

from serverless_guard.facts.value import Path


@dataclass(frozen=True, slots=True, kw_only=True)
class Resource:
    """One resource (or one part of a resource, such as a role's inline policy) as facts.

    - `id`: unique per resource in its stack (CloudFormation logical id, Pulumi URN).
    - `type`: the engine's type token (`AWS::Lambda::Function`, `aws:lambda/function:Function`).
    - `name`: what the user calls it (logical id, Pulumi resource name).
    - `at`: where in the resource this fact comes from, for facts that are parts of a resource.
    - `ref_value`: the literal value a reference to the resource yields (its physical name or id),
      when known before deployment.
    - `aliases`: rendered strings (see `facts.nodes.render`) by which other resources may refer
      to this one: `${Id}`, `${Id.Arn}`, literal names and ARNs.
    """

    id: str
    type: str
    name: str
    at: Path = ()
    ref_value: str | None = None
    aliases: frozenset[str] = field(default_factory=frozenset)
