"""The base of every resource fact."""

from __future__ import annotations

from dataclasses import dataclass, field

from serverless_guard.facts.value import Known, Path, Value

ALWAYS: Known[bool] = Known(True)


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
    - `deployed`: whether the resource exists in every deployment of its stack: known true, or
      unknown when it exists only under a condition decided at deployment (a CloudFormation
      resource's `Condition` on a parameter); the unknown's reason names the condition, so two
      facts under the same condition have equal `deployed` values. A resource that protects
      another counts only where both exist (see `catalog.rule.Rule.run`).
    """

    id: str
    type: str
    name: str
    at: Path = ()
    ref_value: str | None = None
    aliases: frozenset[str] = field(default_factory=frozenset)
    deployed: Value[bool] = ALWAYS
