"""What an evaluation reports."""

from __future__ import annotations

from dataclasses import dataclass

from serverless_guard.catalog.rule import Enforcement, Outcome, Severity
from serverless_guard.facts.value import Path


@dataclass(frozen=True, slots=True)
class Location:
    """Where a finding can be fixed. `source_resource` is the resource the user wrote when the
    reported one was generated from it (a SAM resource); `construct_path` is the CDK path;
    `parent` the nested-stack resource (`file:LogicalId`) that deploys the stack of `file`."""

    file: str | None = None
    line: int | None = None
    source_resource: str | None = None
    construct_path: str | None = None
    parent: str | None = None


@dataclass(frozen=True, slots=True)
class Suppression:
    rule: str
    reason: str
    source: str = "metadata"


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    title: str
    severity: Severity
    enforcement: Enforcement
    outcome: Outcome
    resource: str
    resource_type: str
    message: str
    at: Path = ()
    location: Location = Location()
    suppression: Suppression | None = None
    strict_unknowns: bool = False

    @property
    def verdict(self) -> str:
        """`fail`, `unknown`, `error`, or `suppressed`."""
        return "suppressed" if self.suppression else self.outcome.value

    @property
    def blocking(self) -> bool:
        if self.suppression is not None or self.enforcement is not Enforcement.MANDATORY:
            return False
        if self.outcome is Outcome.UNKNOWN:
            return self.strict_unknowns
        return self.outcome in (Outcome.FAIL, Outcome.ERROR)
