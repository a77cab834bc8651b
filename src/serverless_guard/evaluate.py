"""Run the catalog over one stack's facts; apply configuration and suppressions."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from serverless_guard.catalog import CATALOG
from serverless_guard.catalog.rule import Enforcement, Outcome, Rule, Severity, Verdict
from serverless_guard.config import Config
from serverless_guard.facts.base import Resource
from serverless_guard.facts.graph import Graph
from serverless_guard.facts.value import Path, path_text
from serverless_guard.findings import Finding, Location, Suppression
from serverless_guard.naming import Words, cloudformation_words, message

if TYPE_CHECKING:
    from serverless_guard.exemptions import Exemptions

MIN_REASON = 10
INVALID_SUPPRESSION = "invalid-suppression"
INVALID_SUPPRESSION_TITLE = "Suppressions and exemptions name a catalog rule and give a reason"

# fail > error > unknown > pass > not-applicable: the worst variant of a resource speaks for it.
OUTCOME_RANK = {
    Outcome.FAIL: 4,
    Outcome.ERROR: 3,
    Outcome.UNKNOWN: 2,
    Outcome.PASS: 1,
    Outcome.NOT_APPLICABLE: 0,
}

Locate = Callable[[str, Path], Location]


@dataclass(frozen=True, slots=True)
class Result:
    """One rule's verdict on one resource (the worst over its facts)."""

    rule: Rule
    subject: Resource
    verdict: Verdict


def run_rule(
    rule: Rule,
    subject: Resource,
    graph: Graph,
    params: object,
    all_params: Mapping[str, object] | None = None,
) -> Verdict:
    """Run a rule; one that raises yields an `error` verdict, never a pass."""
    try:
        verdict = rule.run(subject, graph, params, all_params)
    except Exception as err:
        return Verdict(Outcome.ERROR, f"rule {rule.id} raised {type(err).__name__}: {err}")
    if not isinstance(verdict, Verdict):
        return Verdict(Outcome.ERROR, f"rule {rule.id} returned {type(verdict).__name__}")
    return verdict


def results(
    facts: Sequence[Resource], config: Config, rules: Sequence[Rule] = CATALOG
) -> list[Result]:
    """Every enabled rule on every fact of the kinds it reads, worst verdict per resource."""
    graph = Graph(facts)
    by_kind: dict[type[Resource], list[Rule]] = defaultdict(list)
    for rule in rules:
        if config.enforcement(rule) is not Enforcement.DISABLED:
            for kind in rule.subjects:
                by_kind[kind].append(rule)
    all_params = {rule.id: config.params_for(rule) for rule in rules}
    worst: dict[tuple[str, str, Path], Result] = {}
    for fact in facts:
        for rule in by_kind.get(type(fact), ()):
            verdict = run_rule(rule, fact, graph, all_params[rule.id], all_params)
            key = (rule.id, fact.id, fact.at)
            seen = worst.get(key)
            if seen is None or OUTCOME_RANK[verdict.outcome] > OUTCOME_RANK[seen.verdict.outcome]:
                worst[key] = Result(rule, fact, verdict)
    return list(worst.values())


def evaluate(
    facts: Sequence[Resource],
    config: Config,
    locate: Locate,
    suppressions: Mapping[str, Sequence[Suppression]] | None = None,
    rules: Sequence[Rule] = CATALOG,
    exemptions: Exemptions | None = None,
    words: Words = cloudformation_words,
) -> list[Finding]:
    """Findings (fail, unknown, error; suppressed ones marked) for one stack, each message
    in the words of the resource's author (`words`).

    A finding is suppressed by a valid suppression in the resource's metadata, else by a valid
    exemption of the configuration that matches the rule and the resource id (its defects are
    reported once per run by the caller: see `exemption_findings`)."""
    suppressions = suppressions or {}
    known_ids = {r.id for r in rules}
    findings: list[Finding] = []
    for result in results(facts, config, rules):
        outcome = result.verdict.outcome
        if outcome in (Outcome.PASS, Outcome.NOT_APPLICABLE):
            continue
        rule, subject = result.rule, result.subject
        at = result.verdict.at or subject.at
        findings.append(
            Finding(
                rule=rule.id,
                title=rule.title,
                severity=rule.severity,
                enforcement=config.enforcement(rule),
                outcome=outcome,
                resource=subject.id,
                resource_type=subject.type,
                message=message(result.verdict, subject, words),
                at=at,
                location=locate(subject.id, at),
                suppression=_matching(suppressions.get(subject.id, ()), rule.id)
                or _exempted(exemptions, rule.id, subject.id),
                strict_unknowns=config.strict_unknowns,
            )
        )
    findings.extend(_invalid_suppressions(suppressions, known_ids, locate))
    return sort_findings(findings)


def _matching(entries: Iterable[Suppression], rule_id: str) -> Suppression | None:
    for entry in entries:
        if entry.rule == rule_id and len(entry.reason.strip()) >= MIN_REASON:
            return entry
    return None


def _exempted(exemptions: Exemptions | None, rule_id: str, resource_id: str) -> Suppression | None:
    found = exemptions.match(rule_id, resource_id) if exemptions is not None else None
    if found is None or not found.valid:
        return None
    return Suppression(rule_id, found.reason, source="exemption")


def exemption_findings(exemptions: Exemptions, where: Location) -> list[Finding]:
    """The configuration's defective exemptions, each an `invalid-suppression` error."""
    return [
        Finding(
            rule=INVALID_SUPPRESSION,
            title=INVALID_SUPPRESSION_TITLE,
            severity=Severity.HIGH,
            enforcement=Enforcement.MANDATORY,
            outcome=Outcome.ERROR,
            resource="",
            resource_type="",
            message=problem,
            location=where,
        )
        for problem in exemptions.problems
    ]


def _invalid_suppressions(
    suppressions: Mapping[str, Sequence[Suppression]], known_ids: set[str], locate: Locate
) -> Iterable[Finding]:
    for resource, entries in suppressions.items():
        for entry in entries:
            if entry.rule not in known_ids:
                problem = f"suppression names unknown rule {entry.rule!r}"
            elif len(entry.reason.strip()) < MIN_REASON:
                problem = (
                    f"suppression of {entry.rule} needs a reason of at least {MIN_REASON} "
                    "characters"
                )
            else:
                continue
            yield Finding(
                rule=INVALID_SUPPRESSION,
                title=INVALID_SUPPRESSION_TITLE,
                severity=Severity.HIGH,
                enforcement=Enforcement.MANDATORY,
                outcome=Outcome.ERROR,
                resource=resource,
                resource_type="",
                message=problem,
                location=locate(resource, ()),
            )


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
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
