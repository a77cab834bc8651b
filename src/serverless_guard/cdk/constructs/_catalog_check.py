"""Judge CloudFormation resources a construct builds with catalog rules, as a scan would, and
warn on the construct for each rule that fails."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from constructs import IConstruct

from serverless_guard.catalog.rule import Outcome, Rule
from serverless_guard.cdk.constructs._shared import warn
from serverless_guard.config import Config
from serverless_guard.engines.cloudformation.parse import LineDict
from serverless_guard.engines.cloudformation.stack import extract_stack
from serverless_guard.evaluate import results
from serverless_guard.naming import Dialect, message, words_in


def warn_failures(
    scope: IConstruct, resources: Mapping[str, object], rules: Sequence[Rule]
) -> None:
    """Warn on `scope` for every rule of `rules` that fails on the resources of a template
    (CloudFormation resources by logical id, their tokens resolved), once per message."""
    if not resources:
        return
    template = LineDict()
    template["Resources"] = resources
    facts = extract_stack(template, scope.node.path, {}).facts
    seen: set[tuple[str, str]] = set()
    for result in results(facts, Config(), rules):
        text = message(result.verdict, result.subject, words_in(Dialect.CDK))
        key = (result.rule.id, text)
        if result.verdict.outcome is Outcome.FAIL and key not in seen:
            seen.add(key)
            warn(scope, result.rule.id, text)
