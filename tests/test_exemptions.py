"""Exemptions: parsing, validation and matching (engine-neutral)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from serverless_guard.exemptions import Exemptions, parse_exemptions

TODAY = date(2026, 6, 15)
RULES = {"lambda-in-vpc", "logs-retention-set"}
REASON = "Calls a partner API outside the VPC until Q3"
URN = "urn:pulumi:prod::shop::aws:lambda/function:Function::legacy-export"


def _one(**entry: Any) -> Exemptions:
    return parse_exemptions([{"rule": "lambda-in-vpc", "urn": "*legacy-*", **entry}], RULES, TODAY)


def test_a_valid_exemption_matches_its_rule_and_glob() -> None:
    exemptions = _one(reason=REASON, expires="2026-09-30")
    assert exemptions.problems == ()
    found = exemptions.match("lambda-in-vpc", URN)
    assert found is not None
    assert found.valid
    assert found.reason == REASON
    assert found.expires == date(2026, 9, 30)
    assert exemptions.match("logs-retention-set", URN) is None
    assert exemptions.match("lambda-in-vpc", URN.replace("legacy", "modern")) is None


def test_the_glob_is_case_sensitive_and_star_crosses_colons() -> None:
    exemptions = parse_exemptions(
        [{"rule": "lambda-in-vpc", "urn": "urn:pulumi:prod::*", "reason": REASON}], RULES, TODAY
    )
    assert exemptions.match("lambda-in-vpc", URN) is not None
    assert exemptions.match("lambda-in-vpc", URN.replace("prod", "PROD")) is None


def test_valid_through_its_expiry_day() -> None:
    assert _one(reason=REASON, expires="2026-06-15").problems == ()
    expired = _one(reason=REASON, expires="2026-06-14")
    assert expired.problems == (
        "exemption #1 (lambda-in-vpc on *legacy-*) exempts nothing: expired on 2026-06-14",
    )
    found = expired.match("lambda-in-vpc", URN)
    assert found is not None
    assert not found.valid


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ({"reason": "legacy"}, "needs a reason of at least 10 characters"),
        ({"reason": "          x"}, "needs a reason of at least 10 characters"),
        ({}, "needs a reason of at least 10 characters"),
        ({"reason": 12345678901}, "needs a reason of at least 10 characters"),
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
    assert len(exemptions.problems) == 1
    assert problem in exemptions.problems[0]
    found = exemptions.match(str(entry.get("rule", "lambda-in-vpc")), URN)
    assert found is None or not found.valid


def test_every_defect_is_listed() -> None:
    exemptions = _one(reason="short", expires="2020-01-01")
    assert "needs a reason" in exemptions.problems[0]
    assert "expired on 2020-01-01" in exemptions.problems[0]


def test_resource_is_the_engine_neutral_spelling() -> None:
    exemptions = parse_exemptions(
        [{"rule": "logs-retention-set", "resource": "Legacy*", "reason": REASON}], RULES, TODAY
    )
    assert exemptions.problems == ()
    assert exemptions.match("logs-retention-set", "LegacyLogs") is not None


def test_a_valid_exemption_wins_over_an_invalid_one() -> None:
    exemptions = parse_exemptions(
        [
            {"rule": "lambda-in-vpc", "urn": "*", "reason": "short"},
            {"rule": "lambda-in-vpc", "urn": "*", "reason": REASON},
        ],
        RULES,
        TODAY,
    )
    found = exemptions.match("lambda-in-vpc", URN)
    assert found is not None
    assert found.index == 1
    assert len(exemptions.problems) == 1


@pytest.mark.parametrize("raw", [{"rule": "x"}, "lambda-in-vpc", 3])
def test_the_setting_must_be_a_list(raw: object) -> None:
    assert parse_exemptions(raw, RULES, TODAY).problems == ("exemptions must be a list of objects",)


def test_entries_must_be_objects() -> None:
    exemptions = parse_exemptions(["lambda-in-vpc"], RULES, TODAY)
    assert exemptions.problems == ("exemption #1 (? on ?) exempts nothing: must be an object",)


def test_nothing_configured() -> None:
    assert parse_exemptions(None, RULES, TODAY) == Exemptions()
    assert parse_exemptions([], RULES, TODAY) == Exemptions()
