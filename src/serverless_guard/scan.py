"""Scan CloudFormation/SAM templates, CDK cloud assemblies and Pulumi programs with the catalog."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from serverless_guard.catalog import BY_ID
from serverless_guard.catalog.rule import Enforcement, Outcome, Severity
from serverless_guard.cdk.assembly import Acknowledgement
from serverless_guard.config import Config
from serverless_guard.engines.cloudformation.cdk_out import acknowledgements_by_folder
from serverless_guard.engines.cloudformation.gaps import INPUT_ERROR, INPUT_ERROR_TITLE, Gap
from serverless_guard.engines.cloudformation.stack import LoadedStack, load_all
from serverless_guard.errors import InputError
from serverless_guard.evaluate import (
    MIN_REASON,
    Locate,
    evaluate,
    exemption_findings,
    sort_findings,
)
from serverless_guard.exemptions import Exemptions, parse_exemptions
from serverless_guard.facts.value import Path as FactPath
from serverless_guard.findings import Finding, Location, Suppression
from serverless_guard.naming import Dialect, words_in

if TYPE_CHECKING:
    from serverless_guard.engines.pulumi.model import PulumiResource


@dataclass(frozen=True, slots=True)
class ScanResult:
    """Findings of one scan, and what was scanned."""

    findings: tuple[Finding, ...]
    files: tuple[str, ...]
    resources: int
    skipped: tuple[str, ...] = ()
    """What a folder walk left alone, one line each (`path: reason`)."""

    @property
    def blocking(self) -> bool:
        return any(f.blocking for f in self.findings)


def exemptions_of(config: Config) -> Exemptions:
    """The configuration's exemptions, judged as of today (UTC)."""
    today = datetime.now(UTC).date()
    return parse_exemptions(list(config.exemptions), set(BY_ID), today)


def evaluate_stack(
    stack: LoadedStack, config: Config, exemptions: Exemptions | None = None
) -> list[Finding]:
    findings = evaluate(
        stack.facts,
        config,
        stack.locate,
        stack.suppressions,
        exemptions=exemptions,
        words=stack.words,
    )
    hidden = {gap.resource: gap for gap in stack.gaps if gap.hides}
    if hidden:
        findings = [_unseen(f, hidden) for f in findings]
    return findings + [_gap_finding(stack, gap, config) for gap in stack.gaps]


def _unseen(finding: Finding, hidden: Mapping[str, Gap]) -> Finding:
    """A failure on a resource whose properties may come from a part the scan cannot see is
    unknown: that part may well set what the rule found missing."""
    gap = hidden.get(finding.location.source_resource or finding.resource)
    if gap is None or finding.outcome is not Outcome.FAIL:
        return finding
    return replace(
        finding,
        outcome=Outcome.UNKNOWN,
        message=f"{finding.message} (unless it is set by what the scan cannot see: {gap.message})",
    )


def _gap_finding(stack: LoadedStack, gap: Gap, config: Config) -> Finding:
    """A part of the template that could not be judged: `input-unknown` or `input-error`."""
    location = stack.locate(gap.resource, ())
    if gap.line is not None:
        location = replace(location, line=gap.line)
    return Finding(
        rule=gap.rule,
        title=gap.title,
        severity=Severity.HIGH,
        enforcement=Enforcement.MANDATORY,
        outcome=Outcome.ERROR if gap.error else Outcome.UNKNOWN,
        resource=gap.resource,
        resource_type="",
        message=gap.message,
        location=location,
        strict_unknowns=config.strict_unknowns,
    )


def input_error_finding(error: InputError) -> Finding:
    """A file that could not be read, reported among the findings (blocking)."""
    return Finding(
        rule=INPUT_ERROR,
        title=INPUT_ERROR_TITLE,
        severity=Severity.HIGH,
        enforcement=Enforcement.MANDATORY,
        outcome=Outcome.ERROR,
        resource="",
        resource_type="",
        message=error.message,
        location=Location(file=error.file, line=error.line),
    )


def scan(paths: Sequence[str], config: Config | None = None) -> ScanResult:
    """Scan files and folders. A path that does not exist, or a single named file that cannot be
    read, raises `InputError`; in a multi-file or folder scan, a file that cannot be read is an
    `input-error` finding and the scan goes on."""
    config = config or Config()
    exemptions = exemptions_of(config)
    loaded = load_all(paths)
    stacks = loaded.stacks
    acknowledged = acknowledgements_by_folder(stack.file for stack in stacks)
    findings = [
        f
        for stack in stacks
        for f in _acknowledge(
            evaluate_stack(stack, config, exemptions),
            acknowledged.get(os.path.dirname(stack.file), ()),
        )
    ]
    findings += _invalid_acknowledgements(
        [a for folder in acknowledged.values() for a in folder], config
    )
    findings += exemption_findings(exemptions, Location())
    findings += [input_error_finding(error) for error in loaded.errors]
    files = [stack.file for stack in stacks] + [e.file for e in loaded.errors if e.file]
    return ScanResult(
        findings=tuple(sort_findings(findings)),
        files=tuple(dict.fromkeys(files)),
        resources=sum(len(stack.origins) for stack in stacks),
        skipped=tuple(str(skipped) for skipped in loaded.skipped),
    )


def _declared(resources: Sequence[PulumiResource], program: str) -> Locate:
    """Locate a Pulumi resource (by URN) where the program declared it, else at the program."""
    sources = {r.urn: r.source for r in resources if r.source is not None}

    def locate(resource_id: str, _at: FactPath) -> Location:
        source = sources.get(resource_id)
        if source is None:
            return Location(file=program)
        return Location(file=os.path.relpath(source[0]), line=source[1])

    return locate


def _acknowledge(
    findings: list[Finding], acknowledgements: Sequence[Acknowledgement]
) -> list[Finding]:
    """Findings of a cloud assembly's stack, those acknowledged in the assembly (as the CDK
    validation plugin matches them) marked suppressed with the acknowledgement's reason. As with
    resource metadata, an acknowledgement without a sufficient reason suppresses nothing."""
    if not acknowledgements:
        return findings
    from serverless_guard.cdk.validate import ACKNOWLEDGED, acknowledgement_for  # imports us

    by_id: dict[str, dict[str, Acknowledgement]] = {}
    for ack in acknowledgements:
        if len(ack.reason.strip()) >= MIN_REASON:
            by_id.setdefault(ack.id, {}).setdefault(ack.path, ack)
    out: list[Finding] = []
    for found in findings:
        applied = None if found.suppression else acknowledgement_for(found, by_id)
        if applied is not None:
            found = replace(
                found, suppression=Suppression(found.rule, applied.reason, ACKNOWLEDGED)
            )
        out.append(found)
    return out


def _invalid_acknowledgements(
    acknowledgements: Sequence[Acknowledgement], config: Config
) -> list[Finding]:
    if not acknowledgements:
        return []
    from serverless_guard.cdk.validate import invalid_acknowledgements  # imports us

    return invalid_acknowledgements(acknowledgements, config)


def scan_pulumi(
    project_dir: str,
    config: Config | None = None,
    *,
    stack: str | None = None,
    settings: Mapping[str, str] | None = None,
) -> ScanResult:
    """Run a Pulumi Python program under mocks (no CLI, no backend, no credentials) and
    evaluate what it registers, as the policy pack would at `pulumi preview`."""
    from serverless_guard.engines.pulumi.extract import facts_from
    from serverless_guard.engines.pulumi.program import run_program
    from serverless_guard.engines.pulumi.program_config import load_spec

    config = config or Config()
    exemptions = exemptions_of(config)
    overrides = dict(settings or {})
    spec = load_spec(Path(project_dir), stack=stack, config=overrides)
    resources = run_program(project_dir, stack=spec.stack, config=overrides)
    program = os.path.relpath(spec.program)
    findings = evaluate(
        facts_from(resources),
        config,
        _declared(resources, program),
        exemptions=exemptions,
        words=words_in(Dialect.PULUMI_PYTHON),
    )
    findings += exemption_findings(exemptions, Location(file=program))
    return ScanResult(
        findings=tuple(sort_findings(findings)),
        files=(program,),
        resources=sum(1 for r in resources if not r.type.startswith("pulumi:")),
    )
