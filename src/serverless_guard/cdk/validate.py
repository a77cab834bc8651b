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
  and each violation with the severity it has unacknowledged. The same matching is done here
  so that `Evaluation.success` and the counts agree with the CDK's verdict.
- An acknowledgement of this plugin's namespace that names no catalog rule, or gives a reason
  shorter than `MIN_REASON` characters, is an `invalid-suppression` violation, as a wrong
  metadata suppression is.
- Findings suppressed by resource metadata (`serverless-guard: {suppress: [{id, reason}]}`)
  are not violations (they never fail the synth, and the CDK's report has no place for
  suppressions it did not make): the report's metadata lists them with their reasons.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from serverless_guard.catalog import BY_ID
from serverless_guard.catalog.rule import Enforcement, Outcome, Severity
from serverless_guard.cdk.assembly import Acknowledgement, StackFiles, read_stack
from serverless_guard.config import Config
from serverless_guard.engines.cloudformation.stack import LoadedStack, load_file
from serverless_guard.evaluate import (
    INVALID_SUPPRESSION,
    INVALID_SUPPRESSION_TITLE,
    MIN_REASON,
    exemption_findings,
    sort_findings,
)
from serverless_guard.findings import Finding, Location, Suppression
from serverless_guard.report.common import rule_info
from serverless_guard.scan import evaluate_stack, exemptions_of

PLUGIN_NAME = "serverless-guard"
ACKNOWLEDGED = "acknowledgement"  # the source of a suppression by `Validations.acknowledge`
NAMESPACE = PLUGIN_NAME  # the CDK's namespace for this plugin's rule ids: the name, `-` for ` `
SEPARATOR = "::"

ACKNOWLEDGEMENT_FIX = (
    "Acknowledge a rule of the catalog (`serverless-guard rules` lists them) as "
    f"`Validations.of(construct).acknowledge(Acknowledgment(id='{NAMESPACE}{SEPARATOR}<rule id>', "
    f"reason=...))`, with a reason of at least {MIN_REASON} characters that says why the "
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
    """Everything one validation found, and what the CDK report is made of."""

    findings: tuple[Finding, ...]
    templates: tuple[str, ...]
    resources: int
    acknowledgements: tuple[Acknowledgement, ...] = ()
    violations: tuple[Violation, ...] = field(init=False)

    def __post_init__(self) -> None:
        violations = tuple(
            violation(f)
            for f in self.findings
            if f.suppression is None or f.suppression.source == ACKNOWLEDGED
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
        suppressed = [
            f for f in self.findings if f.suppression and f.suppression.source != ACKNOWLEDGED
        ]
        out = {
            "scanned": f"{_plural(len(self.templates), 'template')}, "
            f"{_plural(self.resources, 'resource')}",
            "blocking": str(sum(1 for f in self.findings if f.blocking)),
        }
        if suppressed:
            out["suppressed by resource metadata"] = str(len(suppressed))
        for number, finding in enumerate(suppressed, start=1):
            reason = finding.suppression.reason if finding.suppression else ""
            out[f"suppressed {number}"] = f"{finding.rule} on {_where(finding)}: {reason}"
        return out


def acknowledgement_id(rule_id: str) -> str:
    """The id to acknowledge a rule with: `Validations.of(c).acknowledge(id=..., reason=...)`."""
    return f"{NAMESPACE}{SEPARATOR}{rule_id}"


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
    check the acknowledgements of this plugin's rules: those in the stacks' assembly metadata
    and `outer_acknowledgements` (those on the app and the stages above the stacks).

    A finding the CDK will acknowledge (see `acknowledgement_for`) is marked suppressed, with
    the acknowledgement's reason, so that `Evaluation.success` agrees with the CDK's verdict;
    it is still a violation of the report, for the CDK to list as suppressed."""
    acknowledgements = _unique(
        [*outer_acknowledgements, *(a for s in stacks for a in s.acknowledgements)]
    )
    by_id: dict[str, dict[str, Acknowledgement]] = {}
    for ack in acknowledgements:
        by_id.setdefault(ack.id, {}).setdefault(ack.path, ack)
    exemptions = exemptions_of(config)
    findings: list[Finding] = exemption_findings(exemptions, Location())
    templates: list[str] = []
    resources = 0
    for stack in stacks:
        for path in (stack.template, *stack.nested_templates):
            if path in templates:
                continue
            templates.append(path)
            loaded = _with_construct_paths(load_file(path), stack.construct_paths.get(path, {}))
            resources += len(loaded.origins)
            for found in evaluate_stack(loaded, config, exemptions):
                applied = None if found.suppression else acknowledgement_for(found, by_id)
                if applied is not None:
                    found = dataclasses.replace(
                        found, suppression=Suppression(found.rule, applied.reason, ACKNOWLEDGED)
                    )
                findings.append(found)
    findings.extend(invalid_acknowledgements(acknowledgements, config))
    return Evaluation(
        findings=tuple(sort_findings(findings)),
        templates=tuple(templates),
        resources=resources,
        acknowledgements=acknowledgements,
    )


def acknowledgement_for(
    finding: Finding, by_id: Mapping[str, Mapping[str, Acknowledgement]]
) -> Acknowledgement | None:
    """The acknowledgement the CDK applies to a finding: one of `serverless-guard::<rule>` on the
    finding's construct or the closest of its ancestors (the app included)."""
    at_paths = by_id.get(acknowledgement_id(finding.rule))
    if not at_paths or finding.rule == INVALID_SUPPRESSION:
        return None
    path = finding.location.construct_path or ""
    while True:
        if path in at_paths:
            return at_paths[path]
        if not path:
            return None
        path = path.rpartition("/")[0]


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


def invalid_acknowledgements(
    acknowledgements: Iterable[Acknowledgement], config: Config
) -> list[Finding]:
    """An acknowledgement of this plugin that names no catalog rule or gives too short a
    reason silences nothing of ours: it is reported, as a metadata suppression would be."""
    out: list[Finding] = []
    prefix = NAMESPACE + SEPARATOR
    for ack in acknowledgements:
        if not ack.id.startswith(prefix):
            continue
        rule_id = ack.id[len(prefix) :]
        if rule_id not in BY_ID:
            problem = f"acknowledgement '{ack.id}' names unknown rule {rule_id!r}"
        elif len(ack.reason.strip()) < MIN_REASON:
            problem = (
                f"acknowledgement '{ack.id}' needs a reason of at least {MIN_REASON} characters"
            )
        else:
            continue
        where = ack.path or "the app"
        out.append(
            Finding(
                rule=INVALID_SUPPRESSION,
                title=INVALID_SUPPRESSION_TITLE,
                severity=Severity.HIGH,
                enforcement=Enforcement.MANDATORY,
                outcome=Outcome.ERROR,
                resource=where,
                resource_type="",
                message=f"{problem} (on {where})",
                location=Location(construct_path=ack.path or None),
                strict_unknowns=config.strict_unknowns,
            )
        )
    return out


def cdk_severity(finding: Finding) -> str:
    if finding.rule == INVALID_SUPPRESSION:
        return FATAL
    if finding.blocking:
        return ERROR
    if finding.outcome is Outcome.UNKNOWN:
        return INFO
    return WARNING


def description(finding: Finding) -> str:
    """`[lambda-log-retention, medium, mandatory] Title: message` (plus the verdict when the
    rule could not decide: an unknown value, or a rule error)."""
    tags = [finding.rule, finding.severity.value, finding.enforcement.value]
    if finding.outcome is Outcome.UNKNOWN:
        tags.append("unknown until deployment")
    elif finding.outcome is Outcome.ERROR and finding.rule != INVALID_SUPPRESSION:
        tags.append("rule error")
    title = finding.title.rstrip(".")
    message = finding.message.strip()
    text = f"{title}: {message}" if message else title
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
    if finding.suppression is not None and finding.suppression.source == ACKNOWLEDGED:
        return dataclasses.replace(finding, suppression=None)
    return finding


def violation(finding: Finding) -> Violation:
    """The violation of the report for a finding (acknowledged or not: the CDK lists an
    acknowledged violation as suppressed, with the severity it would have had)."""
    finding = unacknowledged(finding)
    from_template = finding.location.file is not None
    return Violation(
        rule_name=finding.rule,
        description=description(finding),
        severity=cdk_severity(finding),
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


def _with_construct_paths(stack: LoadedStack, paths: Mapping[str, str]) -> LoadedStack:
    for logical_id, origin in stack.origins.items():
        if origin.construct_path is None and logical_id in paths:
            stack.origins[logical_id] = dataclasses.replace(
                origin, construct_path=paths[logical_id]
            )
    return stack


def _unique(acknowledgements: Iterable[Acknowledgement]) -> tuple[Acknowledgement, ...]:
    return tuple(dict.fromkeys(acknowledgements))


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
