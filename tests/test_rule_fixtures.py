"""Every rule fixture gives the verdict its file name promises."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fixture_cases import (
    PULUMI_ENGINES,
    UNKNOWN_SENTINEL,
    Case,
    all_cases,
    pulumi_resources,
    urn_of,
)

from serverless_guard.catalog import BY_ID
from serverless_guard.catalog.rule import Enforcement, Outcome, Verdict
from serverless_guard.config import config_from_mapping
from serverless_guard.engines.cloudformation.stack import load_file
from serverless_guard.engines.pulumi.extract import facts_from
from serverless_guard.engines.pulumi.model import is_unknown
from serverless_guard.evaluate import results

CASES = all_cases()


def _verdicts(case: Case) -> list[Verdict]:
    """The verdicts of the case's rule on the resource the case is about (all when unnamed)."""
    raw = {case.rule: {"enforcementLevel": Enforcement.MANDATORY.value}, **case.config}
    config = config_from_mapping(raw)
    rules = [BY_ID[case.rule]]
    verdicts: list[Verdict] = []
    if case.engine in PULUMI_ENGINES:
        facts = facts_from(pulumi_resources(case.path))
        for result in results(facts, config, rules):
            names = {result.subject.id, result.subject.name}
            if case.resource is None or case.resource in names:
                verdicts.append(result.verdict)
        return verdicts
    stack = load_file(str(case.path))
    for result in results(stack.facts, config, rules):
        origin = stack.origins.get(result.subject.id)
        names = {result.subject.id, origin.source_resource if origin else None}
        if case.resource is None or case.resource in names:
            verdicts.append(result.verdict)
    return verdicts


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_fixture(case: Case) -> None:
    assert case.rule in BY_ID, f"fixture folder for unknown rule {case.rule}"
    verdicts = _verdicts(case)
    outcomes = [v.outcome for v in verdicts]
    assert Outcome.ERROR not in outcomes, f"rule raised: {verdicts}"
    if case.expectation == "fail":
        assert Outcome.FAIL in outcomes, verdicts
    elif case.expectation == "pass":
        assert Outcome.PASS in outcomes, verdicts
        assert not {Outcome.FAIL, Outcome.UNKNOWN} & set(outcomes), verdicts
    elif case.expectation == "unknown":
        assert Outcome.UNKNOWN in outcomes, verdicts
        assert Outcome.FAIL not in outcomes, verdicts
    else:
        assert set(outcomes) <= {Outcome.NOT_APPLICABLE}, verdicts


def test_pulumi_fixture_format(tmp_path: Path) -> None:
    """A Pulumi fixture becomes resources with URNs, sentinels and property dependencies."""
    path = tmp_path / "pass_example.pulumi.json"
    path.write_text(
        json.dumps(
            {
                "resources": [
                    {"type": "aws:sqs/queue:Queue", "name": "dlq", "props": {}},
                    {
                        "type": "aws:sqs/queue:Queue",
                        "name": "jobs",
                        "props": {"redrivePolicy": "$unknown", "tags": {"team": "$unknown"}},
                        "dependencies": {"redrivePolicy": ["dlq"]},
                        "parent": "dlq",
                    },
                ]
            }
        )
    )
    dlq, jobs = pulumi_resources(path)
    assert (
        dlq.urn
        == urn_of("aws:sqs/queue:Queue", "dlq")
        == "urn:pulumi:test::proj::aws:sqs/queue:Queue::dlq"
    )
    assert jobs.props["redrivePolicy"] == UNKNOWN_SENTINEL
    assert is_unknown(jobs.props["tags"]["team"])
    assert jobs.property_dependencies == {"redrivePolicy": (dlq.urn,)}
    assert jobs.dependencies == (dlq.urn,)
    assert jobs.parent == dlq.urn
