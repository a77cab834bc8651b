"""Every rule fixture gives the verdict its file name promises."""

from __future__ import annotations

import pytest
from fixture_cases import Case, all_cases

from serverless_guard.catalog import BY_ID
from serverless_guard.catalog.rule import Enforcement, Outcome
from serverless_guard.config import config_from_mapping
from serverless_guard.engines.cloudformation.stack import load_file
from serverless_guard.evaluate import results

CASES = all_cases()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_fixture(case: Case) -> None:
    assert case.rule in BY_ID, f"fixture folder for unknown rule {case.rule}"
    raw = {case.rule: {"enforcementLevel": Enforcement.MANDATORY.value}, **case.config}
    config = config_from_mapping(raw)
    stack = load_file(str(case.path))
    outcomes = []
    for result in results(stack.facts, config, [BY_ID[case.rule]]):
        origin = stack.origins.get(result.subject.id)
        names = {result.subject.id, origin.source_resource if origin else None}
        if case.resource is None or case.resource in names:
            outcomes.append(result.verdict.outcome)
    assert Outcome.ERROR not in outcomes, f"rule raised: {outcomes}"
    if case.expectation == "fail":
        assert Outcome.FAIL in outcomes, outcomes
    elif case.expectation == "pass":
        assert Outcome.PASS in outcomes, outcomes
        assert not {Outcome.FAIL, Outcome.UNKNOWN} & set(outcomes), outcomes
    elif case.expectation == "unknown":
        assert Outcome.UNKNOWN in outcomes, outcomes
        assert Outcome.FAIL not in outcomes, outcomes
    else:
        assert set(outcomes) <= {Outcome.NOT_APPLICABLE}, outcomes
