"""IAM policy documents, normalized once for every engine.

Actions, resources and principals are always tuples of rendered strings (see `facts.nodes`):
a reference to a stack resource reads `${Id}` or `${Id.Attr}`, a part only known at deployment
reads `${?what}`. A statement's position in its document is kept in `at`.
"""

from __future__ import annotations

from dataclasses import dataclass

from serverless_guard.facts.value import Path


@dataclass(frozen=True, slots=True)
class Principal:
    """One principal entry: kind is `*` (for `Principal: "*"`), AWS, Service, Federated or
    CanonicalUser."""

    kind: str
    value: str


@dataclass(frozen=True, slots=True)
class Condition:
    operator: str
    key: str
    values: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Statement:
    effect: str
    sid: str = ""
    actions: tuple[str, ...] = ()
    not_actions: tuple[str, ...] = ()
    resources: tuple[str, ...] = ()
    not_resources: tuple[str, ...] = ()
    principals: tuple[Principal, ...] = ()
    not_principals: tuple[Principal, ...] = ()
    conditions: tuple[Condition, ...] = ()
    at: Path = ()

    @property
    def allows(self) -> bool:
        return self.effect == "Allow"

    @property
    def denies(self) -> bool:
        return self.effect == "Deny"

    def condition_values(self, operator_suffix: str, key: str) -> tuple[str, ...]:
        """Values of conditions on `key` (case-insensitive) whose operator ends with
        `operator_suffix` (`Bool` matches `Bool` and `ForAnyValue:Bool`)."""
        out: list[str] = []
        for cond in self.conditions:
            if cond.key.lower() == key.lower() and cond.operator.endswith(operator_suffix):
                out.extend(cond.values)
        return tuple(out)


@dataclass(frozen=True, slots=True)
class PolicyDocument:
    statements: tuple[Statement, ...]
    at: Path = ()
