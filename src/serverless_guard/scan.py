"""Scan CloudFormation/SAM templates and CDK cloud assemblies with the catalog."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from serverless_guard.config import Config
from serverless_guard.engines.cloudformation.stack import LoadedStack, load_paths
from serverless_guard.evaluate import evaluate, sort_findings
from serverless_guard.findings import Finding


@dataclass(frozen=True, slots=True)
class ScanResult:
    """Findings of one scan, and what was scanned."""

    findings: tuple[Finding, ...]
    files: tuple[str, ...]
    resources: int

    @property
    def blocking(self) -> bool:
        return any(f.blocking for f in self.findings)


def evaluate_stack(stack: LoadedStack, config: Config) -> list[Finding]:
    return evaluate(stack.facts, config, stack.locate, stack.suppressions)


def scan(paths: Sequence[str], config: Config | None = None) -> ScanResult:
    """Scan files and folders; raises `InputError` for input that cannot be read."""
    config = config or Config()
    stacks = load_paths(paths)
    findings = [finding for stack in stacks for finding in evaluate_stack(stack, config)]
    return ScanResult(
        findings=tuple(sort_findings(findings)),
        files=tuple(dict.fromkeys(stack.file for stack in stacks)),
        resources=sum(len(stack.origins) for stack in stacks),
    )
