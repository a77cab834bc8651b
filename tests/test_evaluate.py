"""The evaluator: rules fail closed, variants report their worst verdict, suppressions and
exemptions mark findings without hiding them."""

from __future__ import annotations

from pathlib import Path

from serverless_guard.catalog.rule import (
    Domain,
    Enforcement,
    Outcome,
    Remediation,
    Severity,
    Verdict,
    failed,
    passed,
    rule,
)
from serverless_guard.config import Config, config_from_mapping
from serverless_guard.engines.cloudformation.stack import load_file
from serverless_guard.evaluate import evaluate, results
from serverless_guard.facts.logs import LogGroup
from serverless_guard.findings import Location
from serverless_guard.scan import scan
from serverless_guard.waivers import INVALID_SUPPRESSION

META = {
    "title": "Log groups are fine",
    "severity": Severity.HIGH,
    "domain": Domain.LOGGING,
    "rationale": "A test rule.",
    "remediation": Remediation(cdk="-", pulumi="-"),
    "references": ("https://docs.aws.amazon.com/",),
}


@rule(id="test-raises", **META)  # type: ignore[arg-type]
def test_raises(group: LogGroup) -> Verdict:
    raise KeyError("RetentionInDays")


@rule(id="test-returns-nothing", **META)  # type: ignore[arg-type]
def test_returns_nothing(group: LogGroup) -> Verdict:
    return None  # type: ignore[return-value]


@rule(id="test-fails-when-short", **META)  # type: ignore[arg-type]
def test_fails_when_short(group: LogGroup) -> Verdict:
    days = group.retention_days
    if getattr(days, "value", 0) < 30:
        return failed("short", at=days)
    return passed()


def _group(**kwargs: object) -> LogGroup:
    return LogGroup(id="Logs", type="AWS::Logs::LogGroup", name="Logs", **kwargs)  # type: ignore[arg-type]


def _locate(resource: str, at: object) -> Location:
    return Location(file="t.yaml", line=3)


def test_a_rule_that_raises_is_a_blocking_error_never_a_pass() -> None:
    findings = evaluate([_group()], Config(), _locate, rules=[test_raises, test_returns_nothing])
    assert [(f.rule, f.outcome) for f in findings] == [
        ("test-raises", Outcome.ERROR),
        ("test-returns-nothing", Outcome.ERROR),
    ]
    assert all(f.blocking for f in findings)
    assert "KeyError" in findings[0].message


def test_the_worst_variant_speaks_for_the_resource(tmp_path: Path) -> None:
    template = tmp_path / "t.yaml"
    template.write_text(
        "Parameters:\n  Env: {Type: String}\n"
        "Conditions:\n  Prod: !Equals [!Ref Env, prod]\n"
        "Resources:\n  Logs:\n    Type: AWS::Logs::LogGroup\n"
        "    Properties:\n      RetentionInDays: !If [Prod, 365, 7]\n"
    )
    stack = load_file(str(template))
    assert len(stack.facts) == 2  # one fact per branch
    found = results(stack.facts, Config(), [test_fails_when_short])
    assert [r.verdict.outcome for r in found] == [Outcome.FAIL]


def test_suppressions_mark_findings_and_bad_ones_are_errors(tmp_path: Path) -> None:
    template = tmp_path / "t.yaml"
    template.write_text(
        "Resources:\n"
        "  Kept:\n    Type: AWS::Logs::LogGroup\n"
        "    Metadata:\n      serverless-guard:\n        suppress:\n"
        "          - {id: logs-retention-set, reason: Exported to the central archive nightly}\n"
        "  Short:\n    Type: AWS::Logs::LogGroup\n"
        "    Metadata:\n      serverless-guard:\n        suppress:\n"
        "          - {id: logs-retention-set, reason: later}\n"
    )
    config = config_from_mapping({"all": "disabled", "logs-retention-set": "mandatory"})
    result = scan([str(template)], config)
    verdicts = sorted((f.rule, f.resource, f.verdict) for f in result.findings)
    assert verdicts == [
        (INVALID_SUPPRESSION, "Short", "error"),
        ("logs-retention-set", "Kept", "suppressed"),
        ("logs-retention-set", "Short", "fail"),
    ]
    assert result.blocking


def test_exemptions_apply_to_scans_and_defective_ones_are_reported(tmp_path: Path) -> None:
    template = tmp_path / "t.yaml"
    template.write_text(
        "Resources:\n  LegacyLogs:\n    Type: AWS::Logs::LogGroup\n"
        "  OtherLogs:\n    Type: AWS::Logs::LogGroup\n"
    )
    raw = {
        "all": "disabled",
        "logs-retention-set": "mandatory",
        "serverless-guard": {
            "exemptions": [
                {
                    "rule": "logs-retention-set",
                    "resource": "Legacy*",
                    "reason": "Retired with the old import job in Q1",
                    "expires": "2099-01-01",
                },
                {
                    "rule": "logs-retention-set",
                    "resource": "Other*",
                    "reason": "Expired waiver of last year",
                    "expires": "2020-01-01",
                },
            ]
        },
    }
    result = scan([str(template)], config_from_mapping(raw))
    verdicts = sorted((f.rule, f.resource, f.verdict) for f in result.findings)
    assert verdicts == [
        (INVALID_SUPPRESSION, "", "error"),
        ("logs-retention-set", "LegacyLogs", "suppressed"),
        ("logs-retention-set", "OtherLogs", "fail"),
    ]
    exempted = next(f for f in result.findings if f.verdict == "suppressed")
    assert exempted.suppression is not None
    assert exempted.suppression.source == "exemption"
    assert exempted.enforcement is Enforcement.MANDATORY
    assert not exempted.blocking
