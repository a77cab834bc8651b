"""Cases that mirror each other across engines give the same verdict.

A rule's fixtures with the same stem (`fail_no_key.yaml`, `fail_no_key.pulumi.json`,
`fail_no_key.native.json`) describe the same situation for CloudFormation, pulumi-aws and
aws-native: the worst outcome on the resource the case is about must be the same on each. SAM
cases are not compared: a SAM template is a different stack (the transform adds resources).
"""

from __future__ import annotations

from collections import defaultdict

import pytest
from fixture_cases import Case, all_cases
from test_rule_fixtures import _verdicts

from serverless_guard.catalog.rule import Outcome

ENGINES = ("cloudformation", "pulumi", "native")

# From the best outcome to the worst.
_RANK = (Outcome.NOT_APPLICABLE, Outcome.PASS, Outcome.UNKNOWN, Outcome.FAIL, Outcome.ERROR)


def mirrored_groups() -> dict[tuple[str, str], list[Case]]:
    """Same-stem cases of one rule, by (rule, stem), where more than one engine has one."""
    groups: dict[tuple[str, str], list[Case]] = defaultdict(list)
    for case in all_cases():
        if case.engine in ENGINES:
            groups[(case.rule, case.stem)].append(case)
    return {key: cases for key, cases in groups.items() if len({c.engine for c in cases}) > 1}


def worst(case: Case) -> Outcome | None:
    """The worst outcome of the case's rule on the case's resource; None when the rule has
    nothing to say about it."""
    outcomes = {verdict.outcome for verdict in _verdicts(case)}
    return max(outcomes, key=_RANK.index) if outcomes else None


GROUPS = mirrored_groups()


def test_engines_are_mirrored() -> None:
    """Every Pulumi engine mirrors at least some CloudFormation cases."""
    engines = {case.engine for cases in GROUPS.values() for case in cases}
    assert {"cloudformation", "native"} <= engines


@pytest.mark.parametrize("key", sorted(GROUPS), ids=[f"{r}/{s}" for r, s in sorted(GROUPS)])
def test_same_verdict_on_every_engine(key: tuple[str, str]) -> None:
    by_engine = {case.path.name: worst(case) for case in GROUPS[key]}
    assert len(set(by_engine.values())) == 1, by_engine
