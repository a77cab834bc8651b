"""Scan CloudFormation/SAM templates, CDK cloud assemblies and Pulumi programs with the catalog."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from serverless_guard.config import Config
from serverless_guard.engines.cloudformation.assembly_origins import read_assemblies
from serverless_guard.engines.cloudformation.stack import LoadedStack, load_paths
from serverless_guard.evaluate import Locate, evaluate_all
from serverless_guard.facts.value import Path as FactPath
from serverless_guard.findings import Finding, Location, ScanResult
from serverless_guard.waivers import (
    Waivers,
    assembly_waivers,
    configured_waivers,
    template_waivers,
)

if TYPE_CHECKING:
    from serverless_guard.engines.pulumi.model import PulumiResource

__all__ = ["ScanResult", "evaluate_stack", "scan", "scan_pulumi"]


def scan(paths: Sequence[str], config: Config | None = None) -> ScanResult:
    """Scan files and folders; raises `InputError` for input that cannot be read.

    Waivers: each template's metadata suppressions, the CDK acknowledgements recorded in each
    cloud assembly (for the stacks of that assembly), the configuration's exemptions, the
    resources aws-cdk-lib created on its own, and the configuration's baseline."""
    config = config or Config()
    configured = configured_waivers(config)
    stacks = load_paths(paths)
    acknowledged = read_assemblies(stacks)
    waivers = Waivers(
        [
            *configured,
            *(w for stack in stacks for w in template_waivers(stack)),
            *(w for folder, acks in acknowledged.items() for w in assembly_waivers(acks, folder)),
        ]
    )
    judgement = evaluate_all(((s.facts, s.locate) for s in stacks), config, waivers)
    return ScanResult(
        findings=judgement.findings,
        files=tuple(dict.fromkeys(stack.file for stack in stacks)),
        resources=sum(len(stack.origins) for stack in stacks),
        baseline=config.baseline,
        resolved=judgement.resolved,
    )


def evaluate_stack(stack: LoadedStack, config: Config) -> list[Finding]:
    """The findings of one loaded template, with its metadata suppressions and the
    configuration's waivers applied."""
    waivers = Waivers([*configured_waivers(config), *template_waivers(stack)])
    return list(evaluate_all([(stack.facts, stack.locate)], config, waivers).findings)


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
    judgement = evaluate_all([located], config, waivers)
    return ScanResult(
        findings=judgement.findings,
        files=(program,),
        resources=sum(1 for r in resources if not r.type.startswith("pulumi:")),
        baseline=config.baseline,
        resolved=judgement.resolved,
    )
