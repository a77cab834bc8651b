"""Scan CloudFormation/SAM templates, CDK cloud assemblies and Pulumi programs with the catalog."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from serverless_guard.catalog import BY_ID
from serverless_guard.config import Config
from serverless_guard.engines.cloudformation.stack import LoadedStack, load_paths
from serverless_guard.evaluate import evaluate, exemption_findings, sort_findings
from serverless_guard.exemptions import Exemptions, parse_exemptions
from serverless_guard.findings import Finding, Location


@dataclass(frozen=True, slots=True)
class ScanResult:
    """Findings of one scan, and what was scanned."""

    findings: tuple[Finding, ...]
    files: tuple[str, ...]
    resources: int

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
    return evaluate(stack.facts, config, stack.locate, stack.suppressions, exemptions=exemptions)


def scan(paths: Sequence[str], config: Config | None = None) -> ScanResult:
    """Scan files and folders; raises `InputError` for input that cannot be read."""
    config = config or Config()
    exemptions = exemptions_of(config)
    stacks = load_paths(paths)
    findings = [f for stack in stacks for f in evaluate_stack(stack, config, exemptions)]
    findings += exemption_findings(exemptions, Location())
    return ScanResult(
        findings=tuple(sort_findings(findings)),
        files=tuple(dict.fromkeys(stack.file for stack in stacks)),
        resources=sum(len(stack.origins) for stack in stacks),
    )


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
        lambda _id, _at: Location(file=program),
        exemptions=exemptions,
    )
    findings += exemption_findings(exemptions, Location(file=program))
    return ScanResult(
        findings=tuple(sort_findings(findings)),
        files=(program,),
        resources=sum(1 for r in resources if not r.type.startswith("pulumi:")),
    )
