"""Each front end words findings as the user's engine spells them: the documented examples, the
policy pack (`pulumi preview` names), a Python program run by `serverless-guard pulumi` (Python
argument names), a SAM template (SAM's properties, `Globals` where they are set), and CDK apps
through the validation plugin and `scan cdk.out` (the L2's keywords, else the L1's)."""

from __future__ import annotations

import io
import json
import os
import shutil
import textwrap
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import aws_cdk as cdk
import pytest
from aws_cdk import aws_apigateway as apigateway
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_lambda as lambda_
from pulumi_policy import PolicyCustomTimeouts, PolicyResourceOptions, ResourceValidationArgs
from pulumi_policy.proxy import unknown_checking_proxy

from serverless_guard.cdk import ServerlessGuard
from serverless_guard.cli import run
from serverless_guard.config import config_from_mapping
from serverless_guard.engines.pulumi.pack import policies
from serverless_guard.findings import Finding
from serverless_guard.report import render
from serverless_guard.scan import scan, scan_pulumi

TABLE = "aws:dynamodb/table:Table"
FUNCTION = "aws:lambda/function:Function"
ONLY = ("dynamodb-pitr", "lambda-tracing-active", "lambda-async-failure-handling")
CONFIG = {"all": "disabled", **dict.fromkeys(ONLY, "mandatory")}


def by_rule(findings: Any, rule: str) -> list[str]:
    return [f.message for f in findings if f.rule == rule]


# --- pulumi preview: the policy pack ------------------------------------------------------------


def _preview(rule: str, type_: str, name: str, props: dict[str, Any]) -> list[str]:
    """What the pack reports for one resource, as `pulumi preview` prints it."""
    options = PolicyResourceOptions(False, [], None, [], PolicyCustomTimeouts(0, 0, 0), [])
    urn = f"urn:pulumi:dev::shop::{type_}::{name}"
    args = ResourceValidationArgs(
        type_, unknown_checking_proxy(props), urn, name, options, None, None
    )
    policy = next(p for p in policies() if p.name == rule)
    recorded: list[str] = []
    policy.validate(args, lambda message, _urn=None: recorded.append(message))
    return recorded


def test_dynamodb_pitr_at_pulumi_preview_names_the_provider_input() -> None:
    """The documented example: a Pulumi user reads `pointInTimeRecovery.enabled`, which is
    where the finding points."""
    assert _preview("dynamodb-pitr", TABLE, "counterTable", {"hashKey": "id"}) == [
        "table counterTable has no point-in-time recovery: set pointInTimeRecovery.enabled to "
        "true (at pointInTimeRecovery)"
    ]


def test_lambda_tracing_at_pulumi_preview_names_the_provider_input() -> None:
    props = {"runtime": "python3.13", "tracingConfig": {"mode": "PassThrough"}}
    assert _preview("lambda-tracing-active", FUNCTION, "orders", props) == [
        "function orders traces only requests that arrive with a sampled trace (tracing mode "
        "PassThrough): set tracingConfig.mode to Active (at tracingConfig.mode)"
    ]


def test_aws_native_at_pulumi_preview_names_its_own_inputs() -> None:
    messages = _preview("dynamodb-pitr", "aws-native:dynamodb:Table", "orders", {})
    assert messages == [
        "table orders has no point-in-time recovery: set pointInTimeRecoverySpecification."
        "pointInTimeRecoveryEnabled to true (at pointInTimeRecoverySpecification)"
    ]


# --- serverless-guard pulumi: a Python program ----------------------------------------------------

PROGRAM = """
import pulumi_aws as aws

table = aws.dynamodb.Table(
    "counterTable", hash_key="id", attributes=[{"name": "id", "type": "S"}]
)
role = aws.iam.Role("role", assume_role_policy="{}")
aws.lambda_.Function(
    "counter",
    runtime="python3.13",
    handler="index.handler",
    role=role.arn,
    code=None,
    tracing_config={"mode": "PassThrough"},
)
"""


def test_a_python_program_is_told_its_argument_names(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.yaml").write_text("name: counter\nruntime: python\n")
    (tmp_path / "__main__.py").write_text(textwrap.dedent(PROGRAM))
    result = scan_pulumi(str(tmp_path), config_from_mapping(CONFIG))
    assert by_rule(result.findings, "dynamodb-pitr") == [
        "table counterTable has no point-in-time recovery: set "
        'point_in_time_recovery={"enabled": True}'
    ]
    assert by_rule(result.findings, "lambda-tracing-active") == [
        "function counter traces only requests that arrive with a sampled trace (tracing mode "
        'PassThrough): set tracing_config={"mode": "Active"}'
    ]
    (failures,) = by_rule(result.findings, "lambda-async-failure-handling")
    assert 'dead_letter_config={"target_arn": ' in failures
    assert "declare aws.lambda_.FunctionEventInvokeConfig(destination_config=" in failures


# --- SAM -----------------------------------------------------------------------------------------

SAM_TEMPLATE = """
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Tracing: PassThrough
Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: index.handler
      InlineCode: "def handler(event, context): return None"
  Billing:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: index.handler
      InlineCode: "def handler(event, context): return None"
      Tracing: PassThrough
"""


@pytest.fixture(scope="module")
def sam_findings(tmp_path_factory: pytest.TempPathFactory) -> tuple[Finding, ...]:
    path = tmp_path_factory.mktemp("sam") / "template.yaml"
    path.write_text(SAM_TEMPLATE)
    return scan([str(path)], config_from_mapping(CONFIG)).findings


def test_sam_tracing_is_sams_tracing_property(sam_findings: tuple[Finding, ...]) -> None:
    """`Tracing: Active` on the function, or in `Globals` when that is where it is set."""
    messages = {f.location.source_resource: f.message for f in sam_findings if f.rule == ONLY[1]}
    assert messages["Billing"].endswith(": set Tracing to Active")
    assert messages["Orders"].endswith(": set Globals.Function.Tracing to Active")
    assert not any("TracingConfig" in m for m in messages.values())


def test_sam_dead_letter_queue_is_sams_property(sam_findings: tuple[Finding, ...]) -> None:
    (message, _) = by_rule(sam_findings, "lambda-async-failure-handling")
    assert "set DeadLetterQueue.TargetArn to " in message
    assert "DeadLetterQueue.Type to SQS or SNS" in message
    assert "EventInvokeConfig.DestinationConfig.OnFailure.Destination" in message
    assert "DeadLetterConfig" not in message


# --- CDK: the validation plugin and scan cdk.out ---------------------------------------------


def _cdk_app(outdir: Path) -> None:
    root = cdk.App(outdir=str(outdir), builtin_cloud_formation_validation=False)
    cdk.Validations.of(root).add_plugins(ServerlessGuard(config={"all": "advisory"}))
    stack = cdk.Stack(root, "Orders")
    handler = lambda_.Function(
        stack,
        "Handler",
        runtime=lambda_.Runtime.PYTHON_3_13,
        handler="index.handler",
        code=lambda_.Code.from_inline("def handler(event, context):\n    return None\n"),
    )
    key = dynamodb.Attribute(name="id", type=dynamodb.AttributeType.STRING)
    dynamodb.Table(stack, "Counters", partition_key=key)
    dynamodb.CfnTable(
        stack,
        "Raw",
        key_schema=[{"attributeName": "id", "keyType": "HASH"}],
        attribute_definitions=[{"attributeName": "id", "attributeType": "S"}],
        billing_mode="PAY_PER_REQUEST",
    )
    api = apigateway.RestApi(stack, "Api")
    api.root.add_method("GET", apigateway.LambdaIntegration(handler))
    root.synth()


@pytest.fixture(scope="module")
def cdk_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    outdir = tmp_path_factory.mktemp("cdk") / "cdk.out"
    _cdk_app(outdir)
    return outdir


def _plugin_messages(cdk_out: Path) -> dict[tuple[str, str], str]:
    """The plugin's report: the message of each violation by rule and construct path."""
    report = json.loads((cdk_out / "validation-report.json").read_text())
    out: dict[tuple[str, str], str] = {}
    for plugin in report["pluginReports"]:
        for violation in plugin["violations"]:
            message = violation["description"].split("] ", 1)[1].split(": ", 1)[1]
            for resource in violation["violatingConstructs"]:
                out[(violation["ruleName"], _construct(resource))] = message
    return out


def _construct(resource: dict[str, Any]) -> str:
    return str(resource.get("constructPath", "")).lstrip("/")


EXPECTED_CDK = {
    ("lambda-tracing-active", "Orders/Handler/Resource"): "set tracing=lambda_.Tracing.ACTIVE",
    ("dynamodb-pitr", "Orders/Counters/Resource"): (
        "set point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification("
        "point_in_time_recovery_enabled=True)"
    ),
    ("dynamodb-pitr", "Orders/Raw"): (
        'set point_in_time_recovery_specification={"point_in_time_recovery_enabled": True}'
    ),
    ("apigw-stage-tracing", "Orders/Api/DeploymentStage.prod/Resource"): (
        "set deploy_options=apigateway.StageOptions(tracing_enabled=True)"
    ),
}


def test_the_plugin_names_the_l2_keyword_else_the_l1_property(cdk_out: Path) -> None:
    messages = _plugin_messages(cdk_out)
    for key, fix in EXPECTED_CDK.items():
        assert messages[key].endswith(f": {fix}"), messages.get(key)


def test_scan_of_cdk_out_words_findings_as_the_plugin_does(cdk_out: Path) -> None:
    """The construct tree (`tree.json`) tells which L2 made each resource; without it the
    fix is written with the L1's properties."""
    messages = {
        (f.rule, f.location.construct_path or ""): f.message
        for f in scan([str(cdk_out)], config_from_mapping({"all": "advisory"})).findings
    }
    plugin = _plugin_messages(cdk_out)
    for key, fix in EXPECTED_CDK.items():
        assert messages[key] == plugin[key]
        assert messages[key].endswith(f": {fix}")
    bare = cdk_out.parent / "without-tree"
    shutil.copytree(cdk_out, bare)
    os.remove(bare / "tree.json")
    without = {
        (f.rule, f.location.construct_path or ""): f.message
        for f in scan([str(bare)], config_from_mapping({"all": "advisory"})).findings
    }
    assert without[("lambda-tracing-active", "Orders/Handler/Resource")].endswith(
        ': set tracing_config={"mode": "Active"}'
    )


# --- explain --engine -----------------------------------------------------------------------------


def explain(*args: str) -> str:
    out = io.StringIO()
    assert run(["explain", *args], out) == 0
    return out.getvalue()


@pytest.mark.parametrize(
    ("engine", "expected", "absent"),
    [
        ("sam", "AWS::Serverless::Function: set Tracing to Active", "TracingConfig.Mode"),
        ("cloudformation", "AWS::Lambda::Function: set TracingConfig.Mode to Active", "Tracing to"),
        ("pulumi", 'aws.lambda_.Function: set tracing_config={"mode": "Active"}', "TracingConfig"),
        ("cdk", "lambda_.Function: set tracing=lambda_.Tracing.ACTIVE", "TracingConfig"),
    ],
)
def test_explain_gives_the_fix_in_one_engines_words(
    engine: str, expected: str, absent: str
) -> None:
    text = explain("lambda-tracing-active", "--engine", engine)
    assert expected in text
    fix = text.split("Fix, in ", 1)[1].split("\nRemediation", 1)[0]
    assert absent not in fix


def test_explain_json_lists_the_fixes_of_one_engine() -> None:
    doc = json.loads(explain("dynamodb-pitr", "--engine", "pulumi", "--format", "json"))
    assert list(doc["fixes"]) == ["pulumi"]
    assert {
        "resource": "aws.dynamodb.Table",
        "fix": 'set point_in_time_recovery={"enabled": True}',
        "preview": "set pointInTimeRecovery.enabled to true",
    } in doc["fixes"]["pulumi"]
    everything = json.loads(explain("dynamodb-pitr", "--format", "json"))
    assert list(everything["fixes"]) == ["cloudformation", "sam", "pulumi", "cdk"]


def test_sarif_and_junit_carry_the_message_in_the_engines_words(tmp_path: Path) -> None:
    path = tmp_path / "template.yaml"
    path.write_text(SAM_TEMPLATE)
    result = scan([str(path)], config_from_mapping(CONFIG))
    sarif = json.loads(render(result, "sarif"))
    texts = [r["message"]["text"] for r in sarif["runs"][0]["results"]]
    assert any(t.endswith("set Globals.Function.Tracing to Active") for t in texts)
    failures = [
        f.get("message", "")
        for f in ElementTree.fromstring(render(result, "junit")).iter("failure")
    ]
    assert any(m.endswith(": set Tracing to Active") for m in failures)
    assert not any("TracingConfig" in m for m in failures)
