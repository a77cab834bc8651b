"""Run the catalog over one stack's facts; apply the configuration and the waivers given."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from serverless_guard.catalog import CATALOG
from serverless_guard.catalog.rule import Enforcement, Outcome, Rule, Verdict
from serverless_guard.config import Config
from serverless_guard.facts.base import Resource
from serverless_guard.facts.graph import Graph
from serverless_guard.facts.value import Path
from serverless_guard.findings import Finding, Location, sort_findings
from serverless_guard.naming import Words, cloudformation_words, message
from serverless_guard.waivers.fingerprint import evidence, fingerprint, located
from serverless_guard.waivers.judge import Judgement, Waivers

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
    *,
    rules: Sequence[Rule] = CATALOG,
    words: Words = cloudformation_words,
) -> list[Finding]:
    """Findings (fail, unknown, error) for one stack, nothing waived yet, each with its
    location and fingerprint (what waivers are judged by), its message in the words of the
    resource's author (`words`). The fingerprint's evidence is the rule's own message, the same
    in every engine's words."""
    findings: list[Finding] = []
    values: dict[int, list[tuple[Path, object]]] = {}  # the located values of each fact
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
                strict_unknowns=config.strict_unknowns,
                fingerprint=fingerprint(
                    rule.id,
                    subject.id,
                    at,
                    outcome.value,
                    evidence(_located(values, subject), at, result.verdict.message),
                ),
            )
        )
    return sort_findings(findings)


def _located(
    cache: dict[int, list[tuple[Path, object]]], fact: Resource
) -> list[tuple[Path, object]]:
    if id(fact) not in cache:
        cache[id(fact)] = located(fact)
    return cache[id(fact)]


def evaluate_all(
    stacks: Iterable[tuple[Sequence[Resource], Locate]],
    config: Config,
    waivers: Waivers,
    *,
    rules: Sequence[Rule] = CATALOG,
    words: Words = cloudformation_words,
) -> Judgement:
    """The findings of every stack (its facts, and how to locate them), with the waivers
    applied: what they waive is marked suppressed, their defects are findings, and the baseline
    entries that match nothing are resolved. Where a waiver comes from is the waivers' business."""
    return waivers.judge(
        finding
        for facts, locate in stacks
        for finding in evaluate(facts, config, locate, rules=rules, words=words)
    )
