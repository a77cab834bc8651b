"""Exemptions: parsing, validation and matching (engine-neutral)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from serverless_guard.catalog.rule import Enforcement, Outcome, Severity
from serverless_guard.findings import Finding
from serverless_guard.waivers import Waiver, Waivers
from serverless_guard.waivers.exemptions import exemption_waivers

TODAY = date(2026, 6, 15)
RULES = {"lambda-in-vpc", "logs-retention-set"}
REASON = "Calls a partner API outside the VPC until Q3"
URN = "urn:pulumi:prod::shop::aws:lambda/function:Function::legacy-export"


def _parse(raw: object) -> list[Waiver]:
    return exemption_waivers(raw, RULES, TODAY)


def _one(**entry: Any) -> list[Waiver]:
    return _parse([{"rule": "lambda-in-vpc", "urn": "*legacy-*", **entry}])


def _finding(rule: str, resource: str) -> Finding:
    return Finding(
        rule=rule,
        title="t",
        severity=Severity.HIGH,
        enforcement=Enforcement.MANDATORY,
        outcome=Outcome.FAIL,
        resource=resource,
        resource_type="",
        message="m",
    )


def _match(waivers: list[Waiver], rule: str, resource: str) -> Waiver | None:
    return Waivers(waivers).decide(_finding(rule, resource)).waiver


def _problems(waivers: list[Waiver]) -> list[str]:
    return [f.message for f in Waivers(waivers).defects()]


def test_a_valid_exemption_matches_its_rule_and_glob() -> None:
    exemptions = _one(reason=REASON, expires="2026-09-30")
    assert _problems(exemptions) == []
    found = _match(exemptions, "lambda-in-vpc", URN)
    assert found is not None
    assert found.valid
    assert found.reason == REASON
    assert found.expires == date(2026, 9, 30)
    assert _match(exemptions, "logs-retention-set", URN) is None
    assert _match(exemptions, "lambda-in-vpc", URN.replace("legacy", "modern")) is None


def test_the_glob_is_case_sensitive_and_star_crosses_colons() -> None:
    exemptions = _parse([{"rule": "lambda-in-vpc", "urn": "urn:pulumi:prod::*", "reason": REASON}])
    assert _match(exemptions, "lambda-in-vpc", URN) is not None
    assert _match(exemptions, "lambda-in-vpc", URN.replace("prod", "PROD")) is None


def test_valid_through_its_expiry_day() -> None:
    assert _problems(_one(reason=REASON, expires="2026-06-15")) == []
    expired = _one(reason=REASON, expires="2026-06-14")
    assert _problems(expired) == [
        "exemption #1 (lambda-in-vpc on *legacy-*) suppresses nothing: expired on 2026-06-14",
    ]
    decision = Waivers(expired).decide(_finding("lambda-in-vpc", URN))
    assert decision.waiver is None
    assert decision.ignored is not None
    assert decision.ignored.problem == "expired on 2026-06-14"


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ({"reason": "legacy"}, "needs a reason of at least 10 visible characters"),
        ({"reason": "          x"}, "needs a reason of at least 10 visible characters"),
        ({}, "needs a reason of at least 10 visible characters"),
        ({"reason": 12345678901}, "not a number"),
        ({"reason": REASON, "expires": "30/09/2026"}, "must be a date written YYYY-MM-DD"),
        ({"reason": REASON, "expires": "2026-02-30"}, "is not a date"),
        ({"reason": REASON, "expires": 20260930}, "must be a date written YYYY-MM-DD"),
        ({"reason": REASON, "rule": "lambda-in-vcp"}, "names unknown rule 'lambda-in-vcp'"),
        ({"reason": REASON, "rule": None}, "names no rule"),
        ({"reason": REASON, "urn": ""}, "matches no resource"),
        ({"reason": REASON, "resource": "x"}, "gives both `urn` and `resource`"),
        ({"reason": REASON, "reson": "typo"}, "unknown key 'reson'"),
    ],
)
def test_a_defective_exemption_exempts_nothing(entry: dict[str, Any], problem: str) -> None:
    exemptions = _one(**entry)
    problems = _problems(exemptions)
    assert len(problems) == 1
    assert problem in problems[0]
    assert _match(exemptions, str(entry.get("rule", "lambda-in-vpc")), URN) is None


def test_every_defect_is_listed() -> None:
    (problem,) = _problems(_one(reason="short", expires="2020-01-01"))
    assert "needs a reason" in problem
    assert "expired on 2020-01-01" in problem


def test_resource_is_the_engine_neutral_spelling() -> None:
    exemptions = _parse([{"rule": "logs-retention-set", "resource": "Legacy*", "reason": REASON}])
    assert _problems(exemptions) == []
    assert _match(exemptions, "logs-retention-set", "LegacyLogs") is not None


def test_a_valid_exemption_wins_over_an_invalid_one() -> None:
    exemptions = _parse(
        [
            {"rule": "lambda-in-vpc", "urn": "*", "reason": "short"},
            {"rule": "lambda-in-vpc", "urn": "*", "reason": REASON},
        ]
    )
    found = _match(exemptions, "lambda-in-vpc", URN)
    assert found is not None
    assert found.label.startswith("exemption #2 ")
    assert len(_problems(exemptions)) == 1


@pytest.mark.parametrize("raw", [{"rule": "x"}, "lambda-in-vpc", 3])
def test_the_setting_must_be_a_list(raw: object) -> None:
    assert _problems(_parse(raw)) == ["exemptions suppresses nothing: must be a list of objects"]


def test_entries_must_be_objects() -> None:
    assert _problems(_parse(["lambda-in-vpc"])) == [
        "exemption #1 (? on ?) suppresses nothing: must be an object"
    ]


def test_nothing_configured() -> None:
    assert _parse(None) == []
    assert _parse([]) == []
