"""pulumi-aws (classic) extractors for Lambda, IAM, API Gateway and Step Functions."""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from serverless_guard.engines.pulumi.extract import classic, facts_from
from serverless_guard.engines.pulumi.extract.classic.common import type_of
from serverless_guard.engines.pulumi.model import PulumiResource
from serverless_guard.facts.apigw import (
    MethodSetting,
    RestApi,
    RestApiPolicy,
    RestMethod,
    Stage,
    StageMethodSettings,
    method_settings_of,
    rest_api_policy_of,
)
from serverless_guard.facts.base import Resource
from serverless_guard.facts.graph import Graph
from serverless_guard.facts.iam import IdentityPolicy, PolicyAttachment
from serverless_guard.facts.lambda_ import Function, Permission
from serverless_guard.facts.logs import LogGroup
from serverless_guard.facts.policy import Condition
from serverless_guard.facts.stepfunctions import StateMachine
from serverless_guard.facts.value import Absent, Known, Unknown

UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"


def urn(type_: str, name: str) -> str:
    return f"urn:pulumi:dev::shop::{type_}::{name}"


def resource(
    type_: str, name: str, props: Mapping[str, Any], deps: Mapping[str, Sequence[str]] = {}
) -> PulumiResource:
    """A resource whose `deps` name the URNs each input was computed from."""
    return PulumiResource(
        urn=urn(type_, name),
        type=type_,
        name=name,
        props=props,
        property_dependencies={k: tuple(v) for k, v in deps.items()},
    )


FN = "aws:lambda/function:Function"
FN_URN = urn(FN, "fn")


def one(facts: Sequence[Resource], kind: type[Any]) -> Any:
    found = [f for f in facts if isinstance(f, kind)]
    assert len(found) == 1, found
    return found[0]


def test_type_of_urn() -> None:
    assert type_of(FN_URN) == FN
    parented = "urn:pulumi:dev::shop::my:app:Service$aws:lambda/function:Function::fn"
    assert type_of(parented) == FN
    assert type_of("not a urn") == ""


def test_every_token_is_a_pulumi_aws_type() -> None:
    spec = importlib.util.find_spec("pulumi_aws")
    if spec is None or spec.origin is None:
        pytest.skip("pulumi-aws is not installed")
    package = Path(spec.origin).parent
    missing = []
    for token in classic.EXTRACTORS:
        module = token.split(":")[1].split("/")[0]
        folder = package / ("lambda_" if module == "lambda" else module)
        if not any(f"'{token}'" in path.read_text() for path in folder.glob("*.py")):
            missing.append(token)
    assert not missing


def test_function_default_log_group() -> None:
    unnamed = one(facts_from([resource(FN, "fn", {"runtime": "python3.13"})]), Function)
    assert unnamed.log_group == Known(f"/aws/lambda/${{{FN_URN}}}")
    named = one(facts_from([resource(FN, "fn", {"name": "orders"})]), Function)
    assert named.log_group == Known("/aws/lambda/orders")
    assert named.ref_value == "orders"
    assert "orders" in named.aliases


def test_function_name_computed_from_another_resource_is_still_its_name() -> None:
    fn = resource(FN, "fn", {"name": "shop-orders"}, {"name": [urn("pulumi:pulumi:Stack", "s")]})
    fact = one(facts_from([fn]), Function)
    assert fact.log_group == Known("/aws/lambda/shop-orders")
    assert fact.ref_value == "shop-orders"


@pytest.mark.parametrize(
    ("function_name", "name", "linked"),
    [
        (None, UNKNOWN, True),
        ("fn-1a2b3c4", UNKNOWN, True),
        ("fn-1a2b3c4", "/aws/lambda/fn-1a2b3c4", True),
        # A known name is compared as it is: the dependency does not make it the function's.
        ("fn-1a2b3c4", "/aws/lambda/fn-1a2b3c4-x", False),
        (None, "/aws/lambda/fn-1a2b3c4", False),
        ("fn-1a2b3c4", "/custom/fn-1a2b3c4", False),
    ],
)
def test_log_group_named_after_a_function(
    function_name: str | None, name: str, linked: bool
) -> None:
    group = resource(
        "aws:cloudwatch/logGroup:LogGroup",
        "logs",
        {"name": name, "retentionInDays": 30},
        {"name": [FN_URN]},
    )
    inputs = {"name": function_name} if function_name else {}
    facts = facts_from([resource(FN, "fn", inputs), group])
    fn = one(facts, Function)
    graph = Graph(facts)
    assert isinstance(fn.log_group, Known)
    assert bool(graph.resolve(fn.log_group.value, LogGroup)) is linked


def test_logging_config_log_group_by_dependency() -> None:
    group_urn = urn("aws:cloudwatch/logGroup:LogGroup", "logs")
    fn = resource(
        FN,
        "fn",
        {"loggingConfig": {"logFormat": "JSON", "logGroup": UNKNOWN}},
        {"loggingConfig": [group_urn]},
    )
    assert one(facts_from([fn]), Function).log_group == Known(
        f"${{{group_urn}}}", ("loggingConfig", "logGroup")
    )
    alone = resource(FN, "fn", {"loggingConfig": {"logFormat": "JSON", "logGroup": UNKNOWN}})
    assert isinstance(one(facts_from([alone]), Function).log_group, Unknown)


def test_unreserved_concurrency_is_absent() -> None:
    fact = one(facts_from([resource(FN, "fn", {"reservedConcurrentExecutions": -1.0})]), Function)
    assert isinstance(fact.reserved_concurrency, Absent)
    fact = one(facts_from([resource(FN, "fn", {"reservedConcurrentExecutions": 5.0})]), Function)
    assert fact.reserved_concurrency == Known(5, ("reservedConcurrentExecutions",))


ROLE = "aws:iam/role:Role"
ROLE_URN = urn(ROLE, "role")
TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "x"}
        ],
    }
)


def test_role_inline_policies_and_managed_policy_arns() -> None:
    role = resource(
        ROLE,
        "role",
        {
            "assumeRolePolicy": TRUST,
            "inlinePolicies": [{"name": "a", "policy": json.dumps({"Statement": []})}],
            "managedPolicyArns": ["arn:aws:iam::aws:policy/ReadOnlyAccess", UNKNOWN],
        },
        {"managedPolicyArns": [urn("aws:iam/policy:Policy", "app")]},
    )
    facts = facts_from([role])
    policy = one(facts, IdentityPolicy)
    assert policy.attached_to == (f"${{{ROLE_URN}}}",)
    assert policy.at == ("inlinePolicies", 0)
    arns = [f.policy_arn for f in facts if isinstance(f, PolicyAttachment)]
    assert arns == [
        Known("arn:aws:iam::aws:policy/ReadOnlyAccess", ("managedPolicyArns", 0)),
        Known(f"${{{urn('aws:iam/policy:Policy', 'app')}}}", ("managedPolicyArns", 1)),
    ]


def test_managed_policy_arns_unknown_as_a_whole() -> None:
    role = resource(
        ROLE,
        "role",
        {"assumeRolePolicy": TRUST, "managedPolicyArns": UNKNOWN},
        {"managedPolicyArns": [urn("aws:iam/policy:Policy", "app")]},
    )
    attachment = one(facts_from([role]), PolicyAttachment)
    assert isinstance(attachment.policy_arn, Unknown)


def test_policy_attachment_per_identity() -> None:
    attachment = resource(
        "aws:iam/policyAttachment:PolicyAttachment",
        "attach",
        {"roles": [UNKNOWN], "users": ["ops"], "policyArn": "arn:aws:iam::aws:policy/X"},
        {"roles": [ROLE_URN]},
    )
    facts = [f for f in facts_from([attachment]) if isinstance(f, PolicyAttachment)]
    assert [f.identity for f in facts] == [f"${{{ROLE_URN}}}", "ops"]


def test_policy_object_values_computed_from_one_resource_are_references() -> None:
    table = urn("aws:dynamodb/table:Table", "table")
    document = {
        "Statement": [{"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": UNKNOWN}]
    }
    policy = resource(
        "aws:iam/rolePolicy:RolePolicy", "p", {"role": "r", "policy": document}, {"policy": [table]}
    )
    fact = one(facts_from([policy]), IdentityPolicy)
    assert isinstance(fact.document, Known)
    assert fact.document.value.statements[0].resources == (f"${{{table}}}",)
    two = resource(
        "aws:iam/rolePolicy:RolePolicy",
        "p",
        {"role": "r", "policy": document},
        {"policy": [table, ROLE_URN]},
    )
    fact = one(facts_from([two]), IdentityPolicy)
    assert isinstance(fact.document, Known)
    assert fact.document.value.statements[0].resources == ("${?preview output}",)


def test_policy_json_string_computed_from_a_resource_is_read() -> None:
    table = urn("aws:dynamodb/table:Table", "table")
    text = json.dumps({"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]})
    policy = resource("aws:iam/policy:Policy", "p", {"policy": text}, {"policy": [table]})
    fact = one(facts_from([policy]), IdentityPolicy)
    assert isinstance(fact.document, Known)
    assert fact.document.value.statements[0].actions == ("s3:*",)


API = "aws:apigateway/restApi:RestApi"
API_URN = urn(API, "api")
STAGE = "aws:apigateway/stage:Stage"
STAGE_URN = urn(STAGE, "stage")


def _settings(name: str, path: str, stage: str, deps: Mapping[str, Sequence[str]]) -> Any:
    return resource(
        "aws:apigateway/methodSettings:MethodSettings",
        name,
        {
            "restApi": UNKNOWN,
            "stageName": stage,
            "methodPath": path,
            "settings": {"loggingLevel": "INFO"},
        },
        {"restApi": [API_URN], **deps},
    )


@pytest.mark.parametrize(
    ("path", "resource_path", "http_method"),
    [("*/*", "/*", "*"), ("orders/{id}/GET", "/orders/{id}", "GET"), ("/GET", "/", "GET")],
)
def test_method_path(path: str, resource_path: str, http_method: str) -> None:
    fact = one(facts_from([_settings("s", path, "prod", {})]), StageMethodSettings)
    assert isinstance(fact.settings, Known)
    setting: MethodSetting = fact.settings.value[0]
    assert (setting.resource_path, setting.http_method) == (resource_path, http_method)


def test_stage_method_settings_by_reference_and_by_name() -> None:
    stage = resource(
        STAGE,
        "stage",
        {"restApi": UNKNOWN, "stageName": "prod"},
        {"restApi": [API_URN]},
    )
    other = resource(
        STAGE, "other", {"restApi": UNKNOWN, "stageName": "test"}, {"restApi": [API_URN]}
    )
    facts = facts_from(
        [
            resource(API, "api", {"name": "orders"}),
            stage,
            other,
            _settings("by-ref", "*/*", UNKNOWN, {"stageName": [STAGE_URN]}),
            _settings("by-name", "orders/GET", "prod", {}),
        ]
    )
    graph = Graph(facts)
    stages = {s.name: s for s in facts if isinstance(s, Stage)}
    merged = method_settings_of(stages["stage"], graph)
    assert isinstance(merged, Known)
    assert [(s.resource_path, s.http_method) for s in merged.value] == [
        ("/*", "*"),
        ("/orders", "GET"),
    ]
    assert isinstance(method_settings_of(stages["other"], graph), Absent)


def test_rest_api_policy_resource() -> None:
    document = json.dumps({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "x"}]})
    facts = facts_from(
        [
            resource(API, "api", {"endpointConfiguration": {"types": "PRIVATE"}}),
            resource(
                "aws:apigateway/restApiPolicy:RestApiPolicy",
                "policy",
                {"restApiId": UNKNOWN, "policy": document},
                {"restApiId": [API_URN]},
            ),
        ]
    )
    api = one(facts, RestApi)
    assert api.endpoint_types == Known(("PRIVATE",), ("endpointConfiguration", "types"))
    assert isinstance(api.policy, Absent)
    assert isinstance(one(facts, RestApiPolicy).document, Known)
    assert isinstance(rest_api_policy_of(api, Graph(facts)), Known)


def test_rest_api_yaml_body_methods() -> None:
    body = "openapi: 3.0.1\npaths:\n  /orders:\n    post: {}\n"
    facts = facts_from([resource(API, "api", {"body": body})])
    method = one(facts, RestMethod)
    assert method.name == "api POST /orders"
    assert method.api == f"${{{API_URN}}}"
    assert method.authorization_type == Known("NONE", ("body", "paths", "/orders", "post"))


def test_v2_stage_route_settings() -> None:
    stage = resource(
        "aws:apigatewayv2/stage:Stage",
        "ws",
        {
            "apiId": "a1b2c3",
            "name": "prod",
            "defaultRouteSettings": {"loggingLevel": "ERROR"},
            "routeSettings": [{"routeKey": "$connect", "dataTraceEnabled": True}],
        },
    )
    fact = one(facts_from([stage]), Stage)
    assert fact.stage_name == Known("prod", ("name",))
    assert isinstance(fact.method_settings, Known)
    default, connect = fact.method_settings.value
    assert default.logging_level == Known("ERROR", ("defaultRouteSettings", "loggingLevel"))
    assert connect.resource_path == "$connect"
    assert connect.data_trace == Known(True, ("routeSettings", 0, "dataTraceEnabled"))


def test_state_machine_log_destination() -> None:
    group = urn("aws:cloudwatch/logGroup:LogGroup", "logs")
    machine = resource(
        "aws:sfn/stateMachine:StateMachine",
        "machine",
        {"loggingConfiguration": {"level": "ERROR", "logDestination": UNKNOWN}},
        {"loggingConfiguration": [group]},
    )
    fact = one(facts_from([machine]), StateMachine)
    assert fact.logging_level == Known("ERROR", ("loggingConfiguration", "level"))
    assert fact.log_destinations == Known(
        (f"${{{group}}}",), ("loggingConfiguration", "logDestination")
    )


def test_lambda_resource_policy_statements_are_permissions() -> None:
    document = json.dumps(
        {
            "Statement": [
                {"Effect": "Deny", "Principal": "*", "Action": "lambda:InvokeFunction"},
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "s3.amazonaws.com", "AWS": "*"},
                    "Action": "lambda:InvokeFunction",
                    "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:s3:::uploads"}},
                },
            ]
        }
    )
    policy = resource(
        "aws:lambda/resourcePolicy:ResourcePolicy",
        "policy",
        {"resourceArn": UNKNOWN, "policy": document},
        {"resourceArn": [FN_URN]},
    )
    permissions = [f for f in facts_from([policy]) if isinstance(f, Permission)]
    assert [p.principal.value for p in permissions if isinstance(p.principal, Known)] == [
        "s3.amazonaws.com",
        "*",
    ]
    assert all(p.function == f"${{{FN_URN}}}" for p in permissions)
    scoped = Condition("ArnLike", "aws:SourceArn", ("arn:aws:s3:::uploads",))
    assert all(p.conditions == (scoped,) for p in permissions)


def test_urn_with_periods_is_a_reference() -> None:
    dotted = "urn:pulumi:dev.eu::shop::aws:lambda/function:Function::fn"
    group = resource(
        "aws:cloudwatch/logGroup:LogGroup",
        "logs",
        {"name": "/aws/lambda/orders", "retentionInDays": 30},
    )
    fn = PulumiResource(urn=dotted, type=FN, name="fn", props={"name": UNKNOWN})
    facts = facts_from([fn, group])
    graph = Graph([*facts, Function(id=dotted, type=FN, name="fn", ref_value="orders")])
    assert graph.resolve(f"/aws/lambda/${{{dotted}}}", LogGroup)
