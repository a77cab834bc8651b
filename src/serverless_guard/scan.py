"""Scan CloudFormation/SAM templates, CDK cloud assemblies and Pulumi programs with the catalog."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from serverless_guard.catalog.rule import Enforcement, Outcome, Severity
from serverless_guard.config import Config
from serverless_guard.engines.cloudformation.assembly_origins import read_assemblies
from serverless_guard.engines.cloudformation.gaps import INPUT_ERROR, INPUT_ERROR_TITLE, Gap
from serverless_guard.engines.cloudformation.stack import LoadedStack, load_all
from serverless_guard.errors import InputError
from serverless_guard.evaluate import Locate, evaluate, evaluate_all
from serverless_guard.facts.value import Path as FactPath
from serverless_guard.findings import Finding, Location, ScanResult
from serverless_guard.naming import Dialect, words_in
from serverless_guard.naming.templates import TemplateWords
from serverless_guard.waivers import (
    Waivers,
    assembly_waivers,
    configured_waivers,
    template_waivers,
)

if TYPE_CHECKING:
    from serverless_guard.engines.pulumi.model import PulumiResource

__all__ = ["ScanResult", "evaluate_stack", "scan", "scan_pulumi", "stack_findings"]


def stack_findings(stack: LoadedStack, config: Config) -> list[Finding]:
    """The findings of one loaded template, nothing waived yet: the rules' (a failure on a
    resource with a part the scan cannot see is unknown) and the parts it could not judge."""
    findings = evaluate(stack.facts, config, stack.locate, words=TemplateWords(stack))
    hidden = {gap.resource: gap for gap in stack.gaps if gap.hides}
    if hidden:
        findings = [_unseen(f, hidden) for f in findings]
    return findings + [_gap_finding(stack, gap, config) for gap in stack.gaps]


def evaluate_stack(stack: LoadedStack, config: Config) -> list[Finding]:
    """The findings of one loaded template, with its metadata suppressions and the
    configuration's waivers applied."""
    waivers = Waivers([*configured_waivers(config), *template_waivers(stack)])
    return list(waivers.judge(stack_findings(stack, config)).findings)


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
    `input-error` finding and the scan goes on.

    Waivers: each template's metadata suppressions, the CDK acknowledgements recorded in each
    cloud assembly (for the stacks of that assembly), the configuration's exemptions, the
    resources aws-cdk-lib created on its own, and the configuration's baseline."""
    config = config or Config()
    configured = configured_waivers(config)
    loaded = load_all(paths)
    stacks = loaded.stacks
    acknowledged = read_assemblies(stacks)
    waivers = Waivers(
        [
            *configured,
            *(w for stack in stacks for w in template_waivers(stack)),
            *(w for folder, acks in acknowledged.items() for w in assembly_waivers(acks, folder)),
        ]
    )
    findings = [f for stack in stacks for f in stack_findings(stack, config)]
    findings += [input_error_finding(error) for error in loaded.errors]
    judgement = waivers.judge(findings)
    files = [stack.file for stack in stacks] + [e.file for e in loaded.errors if e.file]
    return ScanResult(
        findings=judgement.findings,
        files=tuple(dict.fromkeys(files)),
        resources=sum(len(stack.origins) for stack in stacks),
        baseline=config.baseline,
        resolved=judgement.resolved,
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
    overrides = dict(settings or {})
    spec = load_spec(Path(project_dir), stack=stack, config=overrides)
    program = os.path.relpath(spec.program)
    waivers = Waivers(configured_waivers(config, Location(file=program)))
    resources = run_program(project_dir, stack=spec.stack, config=overrides)
    located = (facts_from(resources), _declared(resources, program))
    judgement = evaluate_all([located], config, waivers, words=words_in(Dialect.PULUMI_PYTHON))
    return ScanResult(
        findings=judgement.findings,
        files=(program,),
        resources=sum(1 for r in resources if not r.type.startswith("pulumi:")),
        baseline=config.baseline,
        resolved=judgement.resolved,
    )
