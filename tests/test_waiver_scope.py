"""How far a waiver reaches: one decision for every front end.

- A suppression on one SAM function never reaches what SAM generates for another: a resource
  SAM shares between functions (the implicit API, its stages and deployments) is suppressed
  only when every function that contributes to it suppresses the rule.
- The nearest CDK acknowledgement decides, as in the CDK: a defective one on the construct
  hides nothing, whatever its ancestors acknowledge.
- Metadata waives in its own template only; acknowledgements in their own cloud assembly."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from serverless_guard.catalog.rule import Enforcement, Outcome, Severity
from serverless_guard.config import config_from_mapping
from serverless_guard.engines.cloudformation.assembly import Acknowledgement
from serverless_guard.findings import Finding, Location, ScanResult
from serverless_guard.scan import scan
from serverless_guard.waivers import INVALID_SUPPRESSION, Waivers, assembly_waivers

REASON = "A public catalog, read-only, reviewed by the security team"
API_RULES = ("apigw-method-authorization", "apigw-rest-private-endpoint", "apigw-stage-tracing")


def sam_app(suppressed_by: dict[str, tuple[str, ...]]) -> dict[str, Any]:
    """Two functions on the implicit REST API (one also on the implicit HTTP API) and one on a
    schedule; `suppressed_by` gives the rules each function suppresses."""
    functions: dict[str, dict[str, Any]] = {
        "ListOrders": {"List": {"Type": "Api", "Properties": {"Path": "/orders", "Method": "get"}}},
        "GetOrder": {
            "Get": {"Type": "Api", "Properties": {"Path": "/orders/{id}", "Method": "get"}},
            "Http": {"Type": "HttpApi"},
        },
        "Nightly": {"Cron": {"Type": "Schedule", "Properties": {"Schedule": "rate(1 day)"}}},
    }
    resources: dict[str, Any] = {}
    for name, events in functions.items():
        body: dict[str, Any] = {
            "Type": "AWS::Serverless::Function",
            "Properties": {"Events": events},
        }
        rules = suppressed_by.get(name, ())
        if rules:
            suppress = [{"id": rule, "reason": REASON} for rule in rules]
            body["Metadata"] = {"serverless-guard": {"suppress": suppress}}
        resources[name] = body
    return {
        "Transform": "AWS::Serverless-2016-10-31",
        "Globals": {"Function": {"Runtime": "python3.12", "Handler": "a.h", "CodeUri": "src/"}},
        "Resources": resources,
    }


def scan_yaml(tmp_path: Path, template: dict[str, Any], name: str = "template.yaml") -> ScanResult:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(template, sort_keys=False), encoding="utf-8")
    return scan([str(path)], config_from_mapping({"all": "mandatory"}))


def states(result: ScanResult, prefix: str, rules: tuple[str, ...] = API_RULES) -> set[str]:
    return {f.verdict for f in result.findings if f.resource.startswith(prefix) and f.rule in rules}


def test_one_function_cannot_suppress_the_api_it_shares(tmp_path: Path) -> None:
    result = scan_yaml(tmp_path, sam_app({"ListOrders": API_RULES}))
    assert states(result, "ServerlessRestApi") == {"fail"}
    assert result.blocking


def test_every_contributing_function_suppresses_the_shared_api(tmp_path: Path) -> None:
    result = scan_yaml(tmp_path, sam_app({"ListOrders": API_RULES, "GetOrder": API_RULES}))
    assert states(result, "ServerlessRestApi") == {"suppressed"}
    reasons = {
        f.suppression.reason
        for f in result.findings
        if f.suppression and f.resource.startswith("ServerlessRestApi")
    }
    assert reasons == {REASON}


def test_a_function_without_an_api_event_does_not_count(tmp_path: Path) -> None:
    both = {"ListOrders": API_RULES, "GetOrder": API_RULES, "Nightly": ()}
    assert states(scan_yaml(tmp_path, sam_app(both)), "ServerlessRestApi") == {"suppressed"}


def test_the_http_api_belongs_to_its_only_function(tmp_path: Path) -> None:
    http = ("apigw-http-route-authorization",)
    alone = scan_yaml(tmp_path, sam_app({"GetOrder": http}))
    assert states(alone, "ServerlessHttpApi", http) == {"suppressed"}
    other = scan_yaml(tmp_path, sam_app({"ListOrders": http}))
    assert states(other, "ServerlessHttpApi", http) == {"fail"}


def test_a_suppression_stays_with_its_own_function(tmp_path: Path) -> None:
    tracing = ("lambda-tracing-active",)
    result = scan_yaml(tmp_path, sam_app({"ListOrders": tracing}))
    by_resource = {f.resource: f.verdict for f in result.findings if f.rule == tracing[0]}
    assert by_resource == {"ListOrders": "suppressed", "GetOrder": "fail", "Nightly": "fail"}


def test_reasons_of_several_functions_are_all_shown(tmp_path: Path) -> None:
    template = sam_app({"ListOrders": API_RULES, "GetOrder": API_RULES})
    suppress = template["Resources"]["GetOrder"]["Metadata"]["serverless-guard"]["suppress"]
    for entry in suppress:
        entry["reason"] = "Behind the partner VPN, reviewed 2026-11"
    result = scan_yaml(tmp_path, template)
    (stage,) = [
        f
        for f in result.findings
        if f.resource == "ServerlessRestApiProdStage" and f.rule == "apigw-stage-tracing"
    ]
    assert stage.suppression is not None
    assert stage.suppression.reason == (
        f"ListOrders: {REASON}; GetOrder: Behind the partner VPN, reviewed 2026-11"
    )


def test_metadata_waives_in_its_own_template_only(tmp_path: Path) -> None:
    suppressed = {
        "Resources": {
            "Queue": {
                "Type": "AWS::SQS::Queue",
                "Metadata": {
                    "serverless-guard": {
                        "suppress": [{"id": "sqs-queue-encrypted", "reason": REASON}]
                    }
                },
            }
        }
    }
    plain = {"Resources": {"Queue": {"Type": "AWS::SQS::Queue"}}}
    (tmp_path / "a.json").write_text(json.dumps(suppressed))
    (tmp_path / "b.json").write_text(json.dumps(plain))
    config = config_from_mapping({"all": "disabled", "sqs-queue-encrypted": "mandatory"})
    result = scan([str(tmp_path / "a.json"), str(tmp_path / "b.json")], config)
    verdicts = {(f.location.file, f.verdict) for f in result.findings}
    assert verdicts == {
        (str(tmp_path / "a.json"), "suppressed"),
        (str(tmp_path / "b.json"), "fail"),
    }


@pytest.mark.parametrize(
    "block",
    [
        {"suppress": {"id": "sqs-queue-encrypted", "reason": REASON}},  # a map, not a list
        {"supress": [{"id": "sqs-queue-encrypted", "reason": REASON}]},  # misspelt
        [{"id": "sqs-queue-encrypted", "reason": REASON}],  # no `suppress`
        {"suppress": ["sqs-queue-encrypted"]},
        {"suppress": [{"id": "sqs-queue-encrypted", "reason": REASON, "until": "2027"}]},
        {"suppress": [{"rule": "sqs-queue-encrypted", "reason": REASON}]},
        {"suppress": [{"id": ["sqs-queue-encrypted"], "reason": REASON}]},
        "sqs-queue-encrypted",
    ],
)
def test_a_malformed_metadata_block_is_reported_and_suppresses_nothing(
    tmp_path: Path, block: object
) -> None:
    template = {"Resources": {"Queue": {"Type": "AWS::SQS::Queue"}}}
    template["Resources"]["Queue"]["Metadata"] = {"serverless-guard": block}
    (tmp_path / "t.json").write_text(json.dumps(template))
    config = config_from_mapping({"all": "disabled", "sqs-queue-encrypted": "mandatory"})
    result = scan([str(tmp_path / "t.json")], config)
    verdicts = sorted((f.rule, f.verdict) for f in result.findings)
    assert verdicts == [(INVALID_SUPPRESSION, "error"), ("sqs-queue-encrypted", "fail")]
    (invalid,) = [f for f in result.findings if f.rule == INVALID_SUPPRESSION]
    assert invalid.resource == "Queue"
    assert invalid.location.line is not None


# --- acknowledgements: the nearest one decides ------------------------------------------------

RULE = "sqs-queue-encrypted"
ACK = f"serverless-guard::{RULE}"


def finding(construct_path: str, file: str = "cdk.out/S.template.json") -> Finding:
    return Finding(
        rule=RULE,
        title="",
        severity=Severity.HIGH,
        enforcement=Enforcement.MANDATORY,
        outcome=Outcome.FAIL,
        resource="Queue",
        resource_type="AWS::SQS::Queue",
        message="",
        location=Location(file=file, construct_path=construct_path),
    )


@pytest.mark.parametrize(
    ("acknowledgements", "path", "waived_by"),
    [
        ([("S", REASON)], "S/Queue/Resource", "S"),
        ([("", REASON)], "S/Queue/Resource", ""),
        ([("S", REASON), ("S/Queue", "short")], "S/Queue/Resource", None),
        ([("S", "short"), ("S/Queue", REASON)], "S/Queue/Resource", "S/Queue"),
        ([("S/Queue", REASON), ("S/Queue", "short")], "S/Queue/Resource", None),  # last wins
        ([("S/Queue", "short"), ("S/Queue", REASON)], "S/Queue/Resource", "S/Queue"),
        ([("S/Queue", REASON)], "S/Queue2/Resource", None),  # a sibling, not a child
        ([("S/Queue/Resource/X", REASON)], "S/Queue/Resource", None),  # a child, not a parent
        ([("S", ["a list of reasons"])], "S/Queue/Resource", None),
    ],
)
def test_the_nearest_acknowledgement_decides(
    acknowledgements: list[tuple[str, object]], path: str, waived_by: str | None
) -> None:
    acks = [Acknowledgement(at, ACK, reason) for at, reason in acknowledgements]
    waiver = Waivers(assembly_waivers(acks, "cdk.out")).decide(finding(path)).waiver
    assert (waiver.scope.path if waiver else None) == waived_by  # type: ignore[union-attr]


def test_acknowledgements_stay_in_their_cloud_assembly() -> None:
    acks = [Acknowledgement("S", ACK, REASON)]
    waivers = Waivers(assembly_waivers(acks, "cdk.out"))
    assert waivers.decide(finding("S/Queue/Resource")).waiver is not None
    other = finding("S/Queue/Resource", file="cdk.out/assembly-Prod/S.template.json")
    assert waivers.decide(other).waiver is None
    outer = Waivers(assembly_waivers(acks))  # on the app or a stage: every assembly
    assert outer.decide(other).waiver is not None


def test_a_waiver_never_waives_a_defective_waiver() -> None:
    acks = [Acknowledgement("", f"serverless-guard::{INVALID_SUPPRESSION}", REASON)]
    waivers = Waivers(assembly_waivers(acks))
    (defect,) = waivers.defects()
    assert defect.rule == INVALID_SUPPRESSION
    assert waivers.judge([defect]).findings[0].suppression is None


def test_the_plugin_refuses_a_defective_acknowledgement_whatever_else_is_defective(
    tmp_path: Path,
) -> None:
    """A defective metadata suppression beside a defective acknowledgement: the finding is
    still sent as `fatal`, so that the CDK does not acknowledge it."""
    from serverless_guard.cdk.validate import evaluate_templates

    template = tmp_path / "S.template.json"
    metadata = {
        "aws:cdk:path": "S/Queue/Resource",
        "serverless-guard": {"suppress": [{"id": RULE, "reason": "later"}]},
    }
    queue = {"Type": "AWS::SQS::Queue", "Metadata": metadata}
    template.write_text(json.dumps({"Resources": {"Queue": queue}}))
    config = config_from_mapping({"all": "disabled", RULE: "mandatory"})
    evaluation = evaluate_templates([str(template)], config, [Acknowledgement("S", ACK, "soon")])
    (violation,) = [v for v in evaluation.violations if v.rule_name == RULE]
    assert violation.severity == "fatal"
    assert "acknowledgement 'serverless-guard::sqs-queue-encrypted' on S" in violation.description
    assert len([v for v in evaluation.violations if v.rule_name == INVALID_SUPPRESSION]) == 2
