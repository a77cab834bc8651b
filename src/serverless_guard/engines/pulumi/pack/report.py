"""What a policy reports: a rule's verdicts on the extracted facts, or the settings' problems.

A fail or an error is reported at the rule's level. An `unknown` verdict names the value that
could not be checked; it is advisory unless `strict_unknowns` is on, then it is reported at the
rule's level (so it blocks for a mandatory rule). An exempted finding is advisory with its reason.
A rule whose parameters do not parse, or a resource an extractor cannot read, is an `error` for
that rule. `channel` sets the level of each diagnostic.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from serverless_guard.catalog.rule import Enforcement, Outcome, Rule, Verdict
from serverless_guard.engines.pulumi.pack.channel import Diagnostic
from serverless_guard.engines.pulumi.pack.extraction import Extracted, kinds_of_type
from serverless_guard.engines.pulumi.pack.settings import PackSettings, parse_params
from serverless_guard.evaluate import OUTCOME_RANK, run_rule
from serverless_guard.facts.base import Resource
from serverless_guard.facts.value import Path, path_text
from serverless_guard.findings import Finding
from serverless_guard.naming import Dialect, message, words_in

PREVIEW_WORDS = words_in(Dialect.PULUMI)  # the provider's input names, as preview shows them


def _where(at: Path) -> str:
    return f" (at {path_text(at)})" if at else ""


def to_diagnostic(
    rule: Rule, resource_id: str, verdict: Verdict, settings: PackSettings, at: Path = ()
) -> Diagnostic | None:
    """A reportable verdict as a diagnostic: fail and error at the rule's level, unknown
    advisory unless `strict_unknowns`, anything exempted advisory with its reason."""
    outcome = verdict.outcome
    if outcome in (Outcome.PASS, Outcome.NOT_APPLICABLE):
        return None
    where = _where(verdict.at or at)
    advisory = False
    if outcome is Outcome.FAIL:
        text = f"{verdict.message}{where}"
    elif outcome is Outcome.ERROR:
        text = f"error: {verdict.message}{where}"
    else:
        text = f"unknown: {verdict.message}{where}"
        if not settings.strict_unknowns:
            advisory = True
            text += " [advisory while strict_unknowns is off]"
    finding = Finding(
        rule=rule.id,
        title=rule.title,
        severity=rule.severity,
        enforcement=Enforcement.MANDATORY,
        outcome=outcome,
        resource=resource_id,
        resource_type="",
        message=text,
    )
    decision = settings.waivers.decide(finding)
    if decision.waiver is not None:
        reason = decision.waiver.reason
        return Diagnostic(f"exempted ({reason}): {text}", resource_id, advisory=True)
    if decision.ignored is not None:
        text += f" [{decision.ignored.label} ignored: {decision.ignored.problem}]"
    return Diagnostic(text, resource_id, advisory)


def rule_diagnostics(
    rule: Rule,
    extracted: Extracted,
    settings: PackSettings,
    own_config: Mapping[str, Any] | None = None,
) -> list[Diagnostic]:
    """One rule on some facts: the worst verdict per fact, as diagnostics."""
    params, problem = parse_params(rule, own_config)
    all_params = {**settings.config.params, rule.id: params}
    worst: dict[tuple[str, Path], tuple[Resource, Verdict]] = {}
    for fact in extracted.facts:
        if type(fact) not in rule.subjects:
            continue
        if problem is not None:
            verdict = Verdict(Outcome.ERROR, f"rule {rule.id} is misconfigured: {problem}")
        else:
            verdict = run_rule(rule, fact, extracted.graph, params, all_params)
        key = (fact.id, fact.at)
        seen = worst.get(key)
        if seen is None or OUTCOME_RANK[verdict.outcome] > OUTCOME_RANK[seen[1].outcome]:
            worst[key] = (fact, verdict)
    out: list[Diagnostic] = []
    for fact, verdict in worst.values():
        worded = dataclasses.replace(verdict, message=message(verdict, fact, PREVIEW_WORDS))
        diagnostic = to_diagnostic(rule, fact.id, worded, settings, fact.at)
        if diagnostic is not None:
            out.append(diagnostic)
    for failure in extracted.failures:
        kinds = kinds_of_type(failure.type)
        if kinds is None or kinds & set(rule.subjects):
            verdict = Verdict(
                Outcome.ERROR,
                f"could not read {failure.type} {failure.name} to check it: {failure.error}",
            )
            diagnostic = to_diagnostic(rule, failure.urn, verdict, settings)
            if diagnostic is not None:
                out.append(diagnostic)
    return sorted(out, key=lambda d: (d.urn, d.message))


def settings_diagnostics(settings: PackSettings, extracted: Extracted) -> list[Diagnostic]:
    """What the pack's own policy reports: configuration problems (exemptions that exempt
    nothing, ill-typed settings and parameters) and resources no rule could read."""
    out = [Diagnostic(problem) for problem in settings.problems]
    out.extend(
        Diagnostic(
            f"could not read {f.type} {f.name}: {f.error}; the rules that read it did not run",
            f.urn,
        )
        for f in extracted.failures
    )
    return out
