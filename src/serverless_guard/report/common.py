"""What every report format shares: ordering, counts, and the description of each rule id."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from serverless_guard.catalog import BY_ID
from serverless_guard.catalog.rule import Domain, Enforcement, Outcome, Remediation, Rule, Severity
from serverless_guard.engines.cloudformation.gaps import (
    INPUT_ERROR,
    INPUT_ERROR_TITLE,
    INPUT_UNKNOWN,
    INPUT_UNKNOWN_TITLE,
)
from serverless_guard.facts.value import path_text
from serverless_guard.findings import Finding, ScanResult, sort_findings
from serverless_guard.waivers.model import INVALID_SUPPRESSION, INVALID_SUPPRESSION_TITLE
from serverless_guard.waivers.reasons import MIN_REASON

VERDICTS = ("fail", "unknown", "error", "suppressed")
BASELINE = "baseline"  # the source of a suppression by a baseline entry


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """What a report says about a rule id: a catalog rule, or a check of the tool itself."""

    id: str
    title: str
    severity: Severity
    domain: str
    rationale: str
    remediation: Remediation | None
    references: tuple[str, ...]
    default_enforcement: Enforcement
    rule: Rule | None = None


INVALID_SUPPRESSION_INFO = RuleInfo(
    id=INVALID_SUPPRESSION,
    title=INVALID_SUPPRESSION_TITLE,
    severity=Severity.HIGH,
    domain="suppressions",
    rationale=(
        "A suppression (template metadata, a CDK acknowledgement, an exemption of the "
        "configuration) must name a rule of the catalog and say, in at least "
        f"{MIN_REASON} visible characters of text, why the resource is an exception; an "
        "exemption must not have expired. One that names an unknown rule, gives no reason, is "
        "not written in the documented shape or has expired silences nothing and is reported "
        "instead, so that a typo or a forgotten waiver never hides a finding and every "
        "exception stays explained."
    ),
    remediation=Remediation(
        cdk="Fix the rule id or the reason in the resource's `serverless-guard` metadata, set "
        "with `add_metadata('serverless-guard', {'suppress': [{'id': ..., 'reason': ...}]})` "
        "on the CloudFormation resource (`construct.node.default_child`).",
        pulumi="Fix the rule id or the reason of the exemption in the policy pack configuration.",
        cloudformation="Fix the entry under the resource's `Metadata.serverless-guard.suppress`: "
        "`{id: <rule id>, reason: <why this resource is an exception>}`.",
    ),
    references=(),
    default_enforcement=Enforcement.MANDATORY,
)

INPUT_ERROR_INFO = RuleInfo(
    id=INPUT_ERROR,
    title=INPUT_ERROR_TITLE,
    severity=Severity.HIGH,
    domain="input",
    rationale=(
        "A file that cannot be read, or a part of a template that cannot be expanded (an include "
        "outside the template's folder, a loop past its bound, a resource the SAM translator "
        "refuses, a nested stack that deploys itself), is not checked by any rule. It is "
        "reported, and blocks, so that a broken or hostile input never passes for a clean one; "
        "the other files and resources are still judged."
    ),
    remediation=Remediation(
        cdk="Fix the template the message names (see the file and line).",
        pulumi="Not used by Pulumi programs.",
        cloudformation="Fix what the message names: the file's syntax, the include's location "
        "(inside the template's folder), the loop's size, or the resource the translator names.",
    ),
    references=(),
    default_enforcement=Enforcement.MANDATORY,
)

INPUT_UNKNOWN_INFO = RuleInfo(
    id=INPUT_UNKNOWN,
    title=INPUT_UNKNOWN_TITLE,
    severity=Severity.HIGH,
    domain="input",
    rationale=(
        "Some parts of a template only exist at deployment: an `AWS::Include` or a nested stack "
        "from S3, a macro the scan does not run, a loop over a collection given at deployment. "
        "No rule can judge them before then, so each is reported as unknown (blocking under "
        "`strict_unknowns`), never silently dropped."
    ),
    remediation=Remediation(
        cdk="Not used by CDK apps: cdk.out holds every template.",
        pulumi="Not used by Pulumi programs.",
        cloudformation="Keep included snippets and nested templates beside the template (the "
        "packaging step uploads them), give loop collections a default, or scan the processed "
        "template.",
    ),
    references=(),
    default_enforcement=Enforcement.MANDATORY,
)

PSEUDO_RULES: dict[str, RuleInfo] = {
    INVALID_SUPPRESSION: INVALID_SUPPRESSION_INFO,
    INPUT_ERROR: INPUT_ERROR_INFO,
    INPUT_UNKNOWN: INPUT_UNKNOWN_INFO,
}


def info_of_rule(rule: Rule) -> RuleInfo:
    return RuleInfo(
        id=rule.id,
        title=rule.title,
        severity=rule.severity,
        domain=rule.domain.value,
        rationale=rule.rationale,
        remediation=rule.remediation,
        references=rule.references,
        default_enforcement=rule.default_enforcement,
        rule=rule,
    )


def rule_info(rule_id: str, finding: Finding | None = None) -> RuleInfo | None:
    """The description of a rule id: from the catalog, the tool's own checks, or (for an id
    neither knows) what the finding says about itself."""
    rule = BY_ID.get(rule_id)
    if rule is not None:
        return info_of_rule(rule)
    if rule_id in PSEUDO_RULES:
        return PSEUDO_RULES[rule_id]
    if finding is None:
        return None
    return RuleInfo(
        id=rule_id,
        title=finding.title or rule_id,
        severity=finding.severity,
        domain="",
        rationale=finding.title or rule_id,
        remediation=None,
        references=(),
        default_enforcement=finding.enforcement,
    )


def ordered(findings: Iterable[Finding]) -> list[Finding]:
    """The report order: file, line, resource, rule, property path (then the given order)."""
    return sort_findings(findings)


def by_verdict(findings: Sequence[Finding]) -> dict[str, int]:
    """Counts per verdict, every verdict present, in a fixed order."""
    counts = Counter(f.verdict for f in findings)
    return {verdict: counts.get(verdict, 0) for verdict in VERDICTS}


def blocking_count(findings: Sequence[Finding]) -> int:
    return sum(1 for f in findings if f.blocking)


def would_block(finding: Finding) -> bool:
    """Whether the finding blocks, or would block were it not suppressed."""
    if finding.suppression is None:
        return finding.blocking
    return dataclasses.replace(finding, suppression=None).blocking


def property_path(finding: Finding) -> str | None:
    return path_text(finding.at) or None


def summary_line(result: ScanResult) -> str:
    """`3 findings (2 fail, 0 unknown, 0 error, 1 suppressed), 1 blocking; 2 files, 9 resources
    scanned` (and, with a baseline, `; baseline: 1 suppressed, 2 resolved`)."""
    findings = result.findings
    counts = ", ".join(f"{n} {verdict}" for verdict, n in by_verdict(findings).items())
    files = len(result.files)
    skipped = f", {len(result.skipped)} skipped" if result.skipped else ""
    line = (
        f"{_plural(len(findings), 'finding')} ({counts}), {blocking_count(findings)} blocking; "
        f"{_plural(files, 'file')}, {_plural(result.resources, 'resource')} scanned{skipped}"
    )
    if result.baseline is not None:
        line += (
            f"; baseline: {baselined_count(findings)} suppressed, {len(result.resolved)} resolved"
        )
    return line


def baselined_count(findings: Sequence[Finding]) -> int:
    return sum(1 for f in findings if f.suppression and f.suppression.source == BASELINE)


def resolved_entries(result: ScanResult) -> list[dict[str, object]]:
    """The baseline entries that match no finding any more, as report objects."""
    return [
        {
            "rule": entry.rule,
            "resource": entry.resource,
            "path": entry.path or None,
            "file": entry.file,
            "fingerprint": entry.fingerprint,
        }
        for entry in result.resolved
    ]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def domain_title(domain: str) -> str:
    titles = {
        Domain.ENCRYPTION.value: "Encryption",
        Domain.NETWORK.value: "Network access",
        Domain.IAM.value: "IAM",
        Domain.LOGGING.value: "Logging",
        Domain.HARDENING.value: "Hardening",
    }
    return titles.get(domain, domain.replace("-", " ").capitalize())


def is_problem(finding: Finding) -> bool:
    """A fail or an error (as opposed to an unknown), suppressed or not."""
    return finding.outcome in (Outcome.FAIL, Outcome.ERROR)
