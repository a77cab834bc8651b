"""What an evaluation reports."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from serverless_guard.catalog.rule import Enforcement, Outcome, Severity
from serverless_guard.facts.value import Path, path_text


@dataclass(frozen=True, slots=True)
class Location:
    """Where a finding can be fixed. `source_resource` is the resource the user wrote when the
    reported one was generated from it (a SAM resource); `sources` are all the resources it was
    generated from (several for a resource that SAM shares between functions, such as the
    implicit API); `construct_path` is the CDK path; `framework` names the aws-cdk-lib feature
    that created the resource when the user did not write it (a custom-resource provider, say);
    `parent` the nested-stack resource (`file:LogicalId`) that deploys the stack of `file`."""

    file: str | None = None
    line: int | None = None
    source_resource: str | None = None
    construct_path: str | None = None
    sources: tuple[str, ...] = ()
    framework: str | None = None
    parent: str | None = None


@dataclass(frozen=True, slots=True)
class Suppression:
    """Why a finding does not block: the waiver's reason and where the waiver comes from
    (`metadata`, `acknowledgement`, `exemption`, `framework` or `baseline`)."""

    rule: str
    reason: str
    source: str = "metadata"


@dataclass(frozen=True, slots=True)
class Finding:
    """A rule's verdict on a resource that is worth reporting. `fingerprint` identifies it in a
    baseline (rule, resource, property path and the offending value, never its line)."""

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
    fingerprint: str = ""

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


@dataclass(frozen=True, slots=True)
class BaselineEntry:
    """One finding recorded in a baseline file: its rule, resource and property path (for the
    reader), its file when it had one, the fingerprint it is matched by, and the reviewer's
    optional reason."""

    rule: str
    resource: str
    path: str
    fingerprint: str
    file: str | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class ScanResult:
    """Findings of one scan, and what was scanned. `baseline` is the baseline file the findings
    were compared with (None without one); `resolved` are its entries that match no finding;
    `skipped` what a folder walk left alone."""

    findings: tuple[Finding, ...]
    files: tuple[str, ...]
    resources: int
    baseline: str | None = None
    resolved: tuple[BaselineEntry, ...] = ()
    skipped: tuple[str, ...] = ()
    """What a folder walk left alone, one line each (`path: reason`)."""

    @property
    def blocking(self) -> bool:
        return any(f.blocking for f in self.findings)


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """The report order: file, line, resource, rule, property path (then the given order)."""
    return sorted(
        findings,
        key=lambda f: (
            f.location.file or "",
            f.location.line or 0,
            f.resource,
            f.rule,
            path_text(f.at),
        ),
    )
