"""The catalog over the templates of a CDK synth, as violations of a CDK validation report.

Free of aws-cdk-lib: `plugin.py` turns `Violation`s into the CDK's report types.

- The templates are those the CDK hands the plugin plus the templates of their nested stacks
  (which the CDK does not hand over). Construct paths come from the resources' `aws:cdk:path`
  metadata (the CDK CLI asks for it) or else from the stack's assembly metadata.
- Each finding is one violation (rule name: the rule id) with one violating resource: its
  construct path, logical id, template path and property path (`Properties.X.Y`). The
  description is `[rule id, severity, enforcement] Title: message`; the fix is the rule's CDK
  remediation and its first reference; the rule metadata has the rest.
- The CDK's severity says what the finding does to the synth: `error` for a blocking finding (a
  mandatory rule fails or errors, or an unknown under `strict_unknowns`), `warning` for an
  advisory one, `info` for a value only known at deployment, and `fatal` (which cannot be
  acknowledged) for a suppression that is itself wrong.
- Acknowledgements (`Validations.of(construct).acknowledge(...)` with the id
  `serverless-guard::<rule id>`) are applied by the CDK: it moves a violation whose construct,
  or one of its ancestors, acknowledges the rule to the report's suppressed violations, with
  the reason, and recomputes the report's success from the severities of the violations left.
  The report is therefore sent with the success it has before acknowledgements (fail closed),
  and each violation with the severity it has unacknowledged. The same decision is made here
  (`serverless_guard.waivers`: the nearest acknowledgement decides) so that
  `Evaluation.success` and the counts agree with the CDK's verdict.
- The CDK applies an acknowledgement whatever its reason. An acknowledgement of this plugin's
  namespace that names no catalog rule or gives no proper reason is an `invalid-suppression`
  violation (`fatal`, which the CDK never acknowledges), and a finding it would acknowledge is
  sent as `fatal` too, so that the CDK cannot list it as suppressed: it suppresses nothing,
  here as in `serverless-guard scan cdk.out`, and the synth fails.
- Findings waived otherwise (resource metadata, an exemption, a resource aws-cdk-lib created on
  its own, the baseline) are not violations (they never fail the synth, and the CDK's report has
  no place for suppressions it did not make): the report's metadata lists them with their
  reasons.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from serverless_guard.catalog.rule import Outcome
from serverless_guard.config import Config
from serverless_guard.engines.cloudformation.assembly import (
    Acknowledgement,
    StackFiles,
    read_stack,
)
from serverless_guard.engines.cloudformation.assembly_origins import with_assembly_origins
from serverless_guard.engines.cloudformation.cdk_framework import tree_near
from serverless_guard.engines.cloudformation.stack import LoadedStack, load_file
from serverless_guard.findings import BaselineEntry, Finding
from serverless_guard.report.common import rule_info
from serverless_guard.scan import stack_findings
from serverless_guard.waivers import (
    INVALID_SUPPRESSION,
    MIN_REASON,
    Source,
    Waivers,
    assembly_waivers,
    configured_waivers,
    template_waivers,
)
from serverless_guard.waivers.acknowledgements import NAMESPACE, SEPARATOR, acknowledgement_id

PLUGIN_NAME = NAMESPACE  # the CDK's namespace for this plugin's rule ids: the name, `-` for ` `

ACKNOWLEDGEMENT_FIX = (
    "Acknowledge a rule of the catalog (`serverless-guard rules` lists them) as "
    f"`Validations.of(construct).acknowledge(Acknowledgment(id='{NAMESPACE}{SEPARATOR}<rule id>', "
    f"reason=...))`, with a reason of at least {MIN_REASON} visible characters that says why the "
    "construct is an exception."
)

FATAL = "fatal"
ERROR = "error"
WARNING = "warning"
INFO = "info"


@dataclass(frozen=True, slots=True)
class Violation:
    """One finding, in the shape of the CDK's `PolicyViolation` with one violating resource."""

    rule_name: str
    description: str
    severity: str
    fix: str | None
    rule_metadata: Mapping[str, str]
    locations: tuple[str, ...] = ()
    template_path: str | None = None
    logical_id: str | None = None
    construct_path: str | None = None


@dataclass(frozen=True, slots=True)
class Evaluation:
    """Everything one validation found, and what the CDK report is made of. `refused` holds,
    for each finding whose nearest acknowledgement is defective, that acknowledgement's label:
    its violation is `fatal`, so that the CDK does not acknowledge it either."""

    findings: tuple[Finding, ...]
    templates: tuple[str, ...]
    resources: int
    acknowledgements: tuple[Acknowledgement, ...] = ()
    refused: Mapping[Finding, str] = field(default_factory=dict)
    resolved: tuple[BaselineEntry, ...] = ()
    violations: tuple[Violation, ...] = field(init=False)

    def __post_init__(self) -> None:
        violations = tuple(
            violation(f, self.refused.get(f))
            for f in self.findings
            if f.suppression is None or f.suppression.source == Source.ACKNOWLEDGEMENT
        )
        object.__setattr__(self, "violations", violations)

    @property
    def success(self) -> bool:
        """False exactly when a finding blocks (acknowledged findings do not)."""
        return not any(f.blocking for f in self.findings)

    @property
    def report_success(self) -> bool:
        """The report's `success`: False when a finding blocks before acknowledgements. The CDK
        recomputes it from the severities of the violations it leaves once it has applied the
        acknowledgements, so a finding acknowledged here but not by the CDK still fails."""
        return not any(unacknowledged(f).blocking for f in self.findings)

    @property
    def metadata(self) -> dict[str, str]:
        """The report's metadata: counts, and the findings waived otherwise than by an
        acknowledgement (which the CDK lists itself, under `suppressedViolations`)."""
        acknowledged = [f for f in self.findings if _source(f) == Source.ACKNOWLEDGEMENT]
        suppressed = [f for f in self.findings if _source(f) not in (None, Source.ACKNOWLEDGEMENT)]
        out = {
            "scanned": f"{_plural(len(self.templates), 'template')}, "
            f"{_plural(self.resources, 'resource')}",
            "blocking": str(sum(1 for f in self.findings if f.blocking)),
        }
        if acknowledged:
            out["acknowledged"] = str(len(acknowledged))
        if suppressed:
            out["suppressed"] = str(len(suppressed))
        for number, finding in enumerate(suppressed, start=1):
            waived = finding.suppression
            assert waived is not None
            out[f"suppressed {number}"] = (
                f"{finding.rule} on {_where(finding)} ({waived.source}): {waived.reason}"
            )
        for number, entry in enumerate(self.resolved, start=1):
            out[f"resolved {number}"] = (
                f"baseline entry {entry.rule} on {entry.resource} matches no finding"
            )
        return out


def evaluate_templates(
    template_paths: Sequence[str],
    config: Config,
    outer_acknowledgements: Iterable[Acknowledgement] = (),
) -> Evaluation:
    """`evaluate_stacks` on the stacks of the given templates."""
    return evaluate_stacks([read_stack(p) for p in template_paths], config, outer_acknowledgements)


def evaluate_stacks(
    stacks: Sequence[StackFiles],
    config: Config,
    outer_acknowledgements: Iterable[Acknowledgement] = (),
) -> Evaluation:
    """Evaluate each stack's template (and those of its nested stacks) with the catalog, and
    judge the waivers: resource metadata, the acknowledgements of this plugin's rules (those in
    the stacks' assembly metadata, and `outer_acknowledgements`: those on the app and the stages
    above the stacks), the configuration's exemptions and baseline, and the resources
    aws-cdk-lib created on its own.

    A finding the CDK will acknowledge is marked suppressed, with the acknowledgement's reason,
    so that `Evaluation.success` agrees with the CDK's verdict; it is still a violation of the
    report, for the CDK to list as suppressed."""
    outer = list(outer_acknowledgements)
    found = [*configured_waivers(config), *assembly_waivers(outer)]
    loaded: dict[str, LoadedStack] = {}
    for stack in stacks:
        folder = os.path.dirname(stack.template)
        found.extend(assembly_waivers(stack.acknowledgements, folder))
        tree = tree_near(folder or os.curdir)
        for path in (stack.template, *stack.nested_templates):
            if path not in loaded:
                paths = stack.construct_paths.get(path, {})
                loaded[path] = with_assembly_origins(load_file(path), paths, tree)
                found.extend(template_waivers(loaded[path]))
    waivers = Waivers(found)
    judgement = waivers.judge(f for s in loaded.values() for f in stack_findings(s, config))
    refused: dict[Finding, str] = {}
    for finding in judgement.findings:
        nearest = waivers.nearest_acknowledgement(finding) if finding.suppression is None else None
        if nearest is not None and not nearest.valid and finding.rule != INVALID_SUPPRESSION:
            refused[finding] = nearest.label
    return Evaluation(
        findings=judgement.findings,
        templates=tuple(loaded),
        resources=sum(len(s.origins) for s in loaded.values()),
        acknowledgements=(*outer, *(a for s in stacks for a in s.acknowledgements)),
        refused=refused,
        resolved=judgement.resolved,
    )


def ancestors(stacks: Iterable[StackFiles]) -> list[str]:
    """The construct paths above the given stacks (the app is `""`), outermost first."""
    out: list[str] = [""]
    for stack in stacks:
        parts = (stack.construct_path or "").split("/")
        for end in range(1, len(parts)):
            path = "/".join(parts[:end])
            if path not in out:
                out.append(path)
    return out


def cdk_severity(finding: Finding, refused: str | None = None) -> str:
    if finding.rule == INVALID_SUPPRESSION or refused is not None:
        return FATAL
    if finding.blocking:
        return ERROR
    if finding.outcome is Outcome.UNKNOWN:
        return INFO
    return WARNING


def description(finding: Finding, refused: str | None = None) -> str:
    """`[lambda-log-retention, medium, mandatory] Title: message` (plus the verdict when the
    rule could not decide: an unknown value, or a rule error; and the defective acknowledgement
    that does not suppress it)."""
    tags = [finding.rule, finding.severity.value, finding.enforcement.value]
    if finding.outcome is Outcome.UNKNOWN:
        tags.append("unknown until deployment")
    elif finding.outcome is Outcome.ERROR and finding.rule != INVALID_SUPPRESSION:
        tags.append("rule error")
    title = finding.title.rstrip(".")
    message = finding.message.strip()
    text = f"{title}: {message}" if message else title
    if refused is not None:
        text += f" (not suppressed: {refused} is invalid)"
    return f"[{', '.join(tags)}] {text}"


def fix(finding: Finding) -> str | None:
    if finding.rule == INVALID_SUPPRESSION and finding.location.file is None:
        return ACKNOWLEDGEMENT_FIX
    info = rule_info(finding.rule, finding)
    if info is None or info.remediation is None:
        return None
    text = info.remediation.cdk.strip()
    if info.references:
        text += f"\nSee {info.references[0]}"
    return text or None


def rule_metadata(finding: Finding) -> dict[str, str]:
    info = rule_info(finding.rule, finding)
    out = {
        "rule": finding.rule,
        "title": finding.title,
        "severity": finding.severity.value,
        "enforcement": finding.enforcement.value,
        "verdict": finding.verdict,
        "blocking": "true" if finding.blocking else "false",
        "acknowledge": acknowledgement_id(finding.rule),
    }
    if info is not None and info.domain:
        out["domain"] = info.domain
    if info is not None and info.references:
        out["references"] = " ".join(info.references)
    return out


def locations(finding: Finding) -> tuple[str, ...]:
    """`("Properties.VpcConfig.SubnetIds",)`: the CDK's spelling of a property path."""
    if not finding.at or finding.location.file is None:
        return ()
    return (".".join(["Properties", *(str(part) for part in finding.at)]),)


def unacknowledged(finding: Finding) -> Finding:
    """The finding as the CDK sees it before it applies acknowledgements."""
    if _source(finding) == Source.ACKNOWLEDGEMENT:
        return dataclasses.replace(finding, suppression=None)
    return finding


def violation(finding: Finding, refused: str | None = None) -> Violation:
    """The violation of the report for a finding (acknowledged or not: the CDK lists an
    acknowledged violation as suppressed, with the severity it would have had). `refused` names
    the defective acknowledgement the CDK would apply: the violation is then `fatal`."""
    finding = unacknowledged(finding)
    from_template = finding.location.file is not None
    return Violation(
        rule_name=finding.rule,
        description=description(finding, refused),
        severity=cdk_severity(finding, refused),
        fix=fix(finding),
        rule_metadata=rule_metadata(finding),
        locations=locations(finding),
        template_path=finding.location.file,
        logical_id=finding.resource if from_template else None,
        construct_path=finding.location.construct_path,
    )


def _where(finding: Finding) -> str:
    path = finding.location.construct_path
    if finding.location.file is None:
        return path or finding.resource
    return f"{path} ({finding.resource})" if path else finding.resource


def _source(finding: Finding) -> str | None:
    return finding.suppression.source if finding.suppression is not None else None


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
