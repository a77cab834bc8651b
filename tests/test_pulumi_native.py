"""aws-native resources read through the CloudFormation extractors."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

import pytest
from fixture_cases import UNKNOWN_SENTINEL, urn_of

from serverless_guard.catalog import BY_ID
from serverless_guard.catalog.rule import Enforcement, Outcome
from serverless_guard.config import config_from_mapping
from serverless_guard.engines.cloudformation.extract import EXTRACTORS as CFN_EXTRACTORS
from serverless_guard.engines.pulumi.extract import EXTRACTORS, facts_from
from serverless_guard.engines.pulumi.extract.native import (
    EXTRACTORS as NATIVE_EXTRACTORS,
)
from serverless_guard.engines.pulumi.extract.native import (
    NATIVE_KINDS,
    cfn_properties,
    cfn_type,
    names_in,
    native_path,
)
from serverless_guard.engines.pulumi.model import PulumiResource
from serverless_guard.evaluate import results
from serverless_guard.facts.apigw import RestMethod, Stage
from serverless_guard.facts.base import Resource
from serverless_guard.facts.data import Table
from serverless_guard.facts.iam import Identity, IdentityPolicy
from serverless_guard.facts.lambda_ import Function, Permission
from serverless_guard.facts.logs import LogGroup
from serverless_guard.facts.messaging import Queue
from serverless_guard.facts.policy import PolicyDocument
from serverless_guard.facts.resource_policy import ResourcePolicy
from serverless_guard.facts.s3 import BucketEncryption
from serverless_guard.facts.value import Absent, Known, Unknown, Value

T = TypeVar("T")
U = "$unknown"
FUNCTION = "aws-native:lambda:Function"
LOG_GROUP = "aws-native:logs:LogGroup"
QUEUE = "aws-native:sqs:Queue"
ROLE = "aws-native:iam:Role"


def _sentinels(value: Any) -> Any:
    if value == U:
        return UNKNOWN_SENTINEL
    if isinstance(value, Mapping):
        return {key: _sentinels(item) for key, item in value.items()}
    if isinstance(value, Sequence) and not isinstance(value, str):
        return [_sentinels(item) for item in value]
    return value


def resource(
    type_: str, name: str, props: dict[str, Any], **dependencies: list[tuple[str, str]]
) -> PulumiResource:
    """A resource whose inputs `dependencies` (input -> [(type, name)]) come from others."""
    return PulumiResource(
        urn=urn_of(type_, name),
        type=type_,
        name=name,
        props=_sentinels(props),
        property_dependencies={
            key: tuple(urn_of(t, n) for t, n in deps) for key, deps in dependencies.items()
        },
    )


def known(value: Value[T]) -> T:
    assert isinstance(value, Known), value
    return value.value


def only(facts: list[Resource], kind: type[Any]) -> Any:
    found = [fact for fact in facts if isinstance(fact, kind)]
    assert len(found) == 1, found
    return found[0]


def outcomes(rule: str, resources: list[PulumiResource], name: str) -> list[Outcome]:
    config = config_from_mapping({rule: {"enforcementLevel": Enforcement.MANDATORY.value}})
    return [
        result.verdict.outcome
        for result in results(facts_from(resources), config, [BY_ID[rule]])
        if result.subject.name == name
    ]


# -- types and names ---------------------------------------------------------------------------


def test_every_cloudformation_type_aws_native_has_is_extracted() -> None:
    expected = {
        f"aws-native:{service.lower()}:{NATIVE_KINDS.get(kind, kind)}"
        for service, kind in (t.split("::")[1:] for t in CFN_EXTRACTORS if t.startswith("AWS::"))
    } - {"aws-native:iam:Policy", "aws-native:sqs:QueuePolicy"}
    assert set(NATIVE_EXTRACTORS) == expected
    assert set(NATIVE_EXTRACTORS) <= set(EXTRACTORS)
    for token in NATIVE_EXTRACTORS:
        assert cfn_type(token) in CFN_EXTRACTORS


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("aws-native:lambda:Function", "AWS::Lambda::Function"),
        ("aws-native:apigatewayv2:Api", "AWS::ApiGatewayV2::Api"),
        ("aws-native:dynamodb:GlobalTable", "AWS::DynamoDB::GlobalTable"),
        ("aws-native:sns:TopicInlinePolicy", "AWS::SNS::TopicInlinePolicy"),
        ("aws-native:appsync:GraphQlApi", "AWS::AppSync::GraphQLApi"),
        ("aws-native:wafv2:WebAclAssociation", "AWS::WAFv2::WebACLAssociation"),
        ("aws-native:cognito:IdentityPool", "AWS::Cognito::IdentityPool"),
        ("aws:lambda/function:Function", None),
        ("aws-native:nosuchservice:Thing", None),
    ],
)
def test_cfn_type(token: str, expected: str | None) -> None:
    assert cfn_type(token) == expected


def test_names_become_cloudformation_names_except_in_free_form_values() -> None:
    props = {
        "sseSpecification": {"sseEnabled": True, "kmsMasterKeyId": "k"},
        "environment": {"variables": {"dbHost": "db"}},
        "policies": [{"policyName": "p", "policyDocument": {"Statement": [{"Effect": "Allow"}]}}],
        "redrivePolicy": {"deadLetterTargetArn": "arn", "maxReceiveCount": 3},
        "tags": [{"key": "team", "value": "orders"}],
    }
    renames = {"sseSpecification": "SSESpecification", "sseEnabled": "SSEEnabled"}
    assert cfn_properties(props, renames) == {
        "SSESpecification": {"SSEEnabled": True, "KmsMasterKeyId": "k"},
        "Environment": {"Variables": {"dbHost": "db"}},
        "Policies": [{"PolicyName": "p", "PolicyDocument": {"Statement": [{"Effect": "Allow"}]}}],
        "RedrivePolicy": {"deadLetterTargetArn": "arn", "maxReceiveCount": 3},
        "Tags": [{"key": "team", "value": "orders"}],
    }


def test_paths_are_aws_native_paths() -> None:
    renames = {"SSESpecification": "sseSpecification", "KMSMasterKeyId": "kmsMasterKeyId"}
    assert native_path(("SSESpecification", "KMSMasterKeyId"), renames) == (
        "sseSpecification",
        "kmsMasterKeyId",
    )
    assert native_path(("Policies", 0, "PolicyDocument", "Statement", 0), {}) == (
        "policies",
        0,
        "policyDocument",
        "Statement",
        0,
    )
    assert native_path(("Environment", "Variables", "DB_PASSWORD"), {}) == (
        "environment",
        "variables",
        "DB_PASSWORD",
    )


def test_acronym_names() -> None:
    facts = facts_from(
        [
            resource(
                "aws-native:dynamodb:Table",
                "table",
                {"sseSpecification": {"sseEnabled": True, "sseType": "KMS", "kmsMasterKeyId": U}},
                sseSpecification=[("aws-native:kms:Key", "key")],
            ),
            resource(
                "aws-native:s3:Bucket",
                "bucket",
                {
                    "bucketEncryption": {
                        "serverSideEncryptionConfiguration": [
                            {
                                "serverSideEncryptionByDefault": {
                                    "sseAlgorithm": "aws:kms",
                                    "kmsMasterKeyId": "alias/data",
                                }
                            }
                        ]
                    }
                },
            ),
            resource(
                "aws-native:lambda:Permission",
                "permission",
                {"functionName": "orders", "action": "lambda:InvokeFunction", "principal": "*"}
                | {"principalOrgId": "o-a1b2c3d4e5"},
            ),
        ]
    )
    table = only(facts, Table)
    key = "${" + urn_of("aws-native:kms:Key", "key") + "}"
    assert table.kms_key == Known(key, ("sseSpecification", "kmsMasterKeyId"))
    assert table.sse_enabled == Known(True, ("sseSpecification", "sseEnabled"))
    encryption = only(facts, BucketEncryption)
    assert encryption.algorithm.value == "aws:kms"
    assert encryption.kms_key.value == "alias/data"
    assert only(facts, Permission).principal_org_id == Known("o-a1b2c3d4e5", ("principalOrgId",))


# -- identity ----------------------------------------------------------------------------------


def test_facts_have_the_pulumi_identity() -> None:
    fn = resource(
        FUNCTION,
        "orders",
        {"functionName": "orders-fn", "runtime": "python3.13", "role": U},
        role=[(ROLE, "role")],
    )
    function = only(facts_from([fn]), Function)
    assert function.id == fn.urn
    assert function.name == "orders"
    assert function.type == FUNCTION
    assert {"${" + fn.urn + "}", "orders-fn"} <= function.aliases
    assert function.ref_value == "orders-fn"
    assert function.role == Known("${" + urn_of(ROLE, "role") + "}", ("role",))
    assert function.runtime == Known("python3.13", ("runtime",))


def test_parts_named_after_the_resource() -> None:
    api = resource(
        "aws-native:apigateway:RestApi",
        "api",
        {
            "body": {
                "openapi": "3.0.1",
                "paths": {"/orders": {"get": {"x-amazon-apigateway-auth": {"type": "NONE"}}}},
            }
        },
    )
    method = only(facts_from([api]), RestMethod)
    assert method.name == "api GET /orders"
    assert method.api == "${" + api.urn + "}"
    assert method.at == ("body", "paths", "/orders", "get")
    assert method.authorization_type == Known(
        "NONE", ("body", "paths", "/orders", "get", "x-amazon-apigateway-auth", "type")
    )


def test_inline_policies_keep_document_paths() -> None:
    role = resource(
        ROLE,
        "role",
        {
            "assumeRolePolicyDocument": {
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "lambda.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                    }
                ]
            },
            "policies": [
                {
                    "policyName": "app",
                    "policyDocument": {
                        "Statement": [{"Effect": "Allow", "Action": "sqs:*", "Resource": "*"}]
                    },
                }
            ],
        },
    )
    facts = facts_from([role])
    policy = only(facts, IdentityPolicy)
    assert policy.at == ("policies", 0)
    assert isinstance(policy.document, Known)
    document: PolicyDocument = policy.document.value
    assert document.statements[0].at == ("policies", 0, "policyDocument", "Statement", 0)
    assert isinstance(only(facts, Identity).trust_policy, Known)


def test_method_settings_paths() -> None:
    stage = resource(
        "aws-native:apigateway:Stage",
        "stage",
        {
            "restApiId": U,
            "stageName": "prod",
            "methodSettings": [{"resourcePath": "/*", "httpMethod": "*", "loggingLevel": "OFF"}],
        },
        restApiId=[("aws-native:apigateway:RestApi", "api")],
    )
    fact = only(facts_from([stage]), Stage)
    assert isinstance(fact.method_settings, Known)
    setting = fact.method_settings.value[0]
    assert setting.logging_level == Known("OFF", ("methodSettings", 0, "loggingLevel"))
    assert fact.api == "${" + urn_of("aws-native:apigateway:RestApi", "api") + "}"


# -- links -------------------------------------------------------------------------------------


def test_one_unknown_value_of_an_input_computed_from_one_resource_links_to_it() -> None:
    fn = resource(
        FUNCTION,
        "fn",
        {
            "loggingConfig": {"logGroup": U, "logFormat": "JSON"},
            "deadLetterConfig": {"targetArn": U},
            "vpcConfig": {"subnetIds": [U, U]},
        },
        loggingConfig=[(LOG_GROUP, "logs")],
        deadLetterConfig=[(QUEUE, "dlq")],
        vpcConfig=[("aws-native:ec2:Subnet", "a"), ("aws-native:ec2:Subnet", "b")],
    )
    function = only(facts_from([fn]), Function)
    assert function.log_group == Known(
        "${" + urn_of(LOG_GROUP, "logs") + "}", ("loggingConfig", "logGroup")
    )
    assert function.dead_letter_target.value == "${" + urn_of(QUEUE, "dlq") + "}"
    assert function.vpc_subnets == Known(
        ("${?preview output}", "${?preview output}"), ("vpcConfig", "subnetIds")
    )


def test_values_in_iam_policies_refer_to_the_one_resource_they_come_from() -> None:
    other = urn_of(ROLE, "other")
    role = resource(
        ROLE,
        "role",
        {
            "assumeRolePolicyDocument": {
                "Statement": [{"Effect": "Allow", "Principal": {"AWS": U}, "Action": "sts:*"}]
            },
            "policies": [
                {
                    "policyName": "app",
                    "policyDocument": {
                        "Statement": [{"Effect": "Allow", "Action": "sqs:*", "Resource": [U, U]}]
                    },
                }
            ],
        },
        assumeRolePolicyDocument=[(ROLE, "other")],
        policies=[(QUEUE, "a"), (QUEUE, "b")],
    )
    facts = facts_from([role])
    trust = only(facts, Identity).trust_policy
    assert isinstance(trust, Known)
    assert trust.value.statements[0].principals[0].value == "${" + other + "}"
    inline = only(facts, IdentityPolicy).document
    assert isinstance(inline, Known)
    assert inline.value.statements[0].resources == ("${?preview output}",) * 2


def test_values_in_resource_policies_are_not_references() -> None:
    bucket = (("aws-native:s3:Bucket", "bucket"),)
    policy = resource(
        "aws-native:s3:BucketPolicy",
        "policy",
        {
            "bucket": U,
            "policyDocument": {
                "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": U}]
            },
        },
        bucket=list(bucket),
        policyDocument=list(bucket),
    )
    fact = only(facts_from([policy]), ResourcePolicy)
    assert fact.targets == ("${" + urn_of(*bucket[0]) + "}",)
    assert isinstance(fact.document, Known)
    assert fact.document.value.statements[0].resources == ("${?preview output}",)


def test_free_form_inputs_are_values() -> None:
    dlq = (QUEUE, "dlq")
    queues = facts_from(
        [
            resource(QUEUE, "by-json", {"redrivePolicy": U}, redrivePolicy=[dlq]),
            resource(
                QUEUE,
                "by-known-json",
                {"redrivePolicy": '{"deadLetterTargetArn": "arn:aws:sqs:us-east-1:1:q"}'},
                redrivePolicy=[dlq],
            ),
            resource(QUEUE, "unknown", {"redrivePolicy": U}),
        ]
    )
    targets = {q.name: q.dead_letter_target for q in queues if isinstance(q, Queue)}
    assert known(targets["by-json"]) == "${" + urn_of(*dlq) + "}"
    assert known(targets["by-known-json"]) == "arn:aws:sqs:us-east-1:1:q"
    assert isinstance(targets["unknown"], Unknown)
    bus = resource("aws-native:events:EventBus", "bus", {"policy": U}, policy=[(ROLE, "caller")])
    policy = only(facts_from([bus]), ResourcePolicy)
    assert policy.document == Unknown("preview output", ("policy",))


def test_a_resource_own_name_is_a_literal() -> None:
    fn = (FUNCTION, "fn")
    facts = facts_from(
        [
            resource(FUNCTION, "fn", {"runtime": "python3.13"}),
            resource(
                LOG_GROUP,
                "default",
                {"logGroupName": U, "retentionInDays": 14},
                logGroupName=[fn],
            ),
            resource(
                LOG_GROUP,
                "named",
                {"logGroupName": "/aws/lambda/fn-1a2b3c4"},
                logGroupName=[fn],
            ),
            resource(LOG_GROUP, "custom", {"logGroupName": "/app/fn"}, logGroupName=[fn]),
            resource(QUEUE, "queue", {"queueName": "jobs"}, queueName=[(ROLE, "naming")]),
        ]
    )
    groups = {g.name: g.log_group_name for g in facts if isinstance(g, LogGroup)}
    default = "/aws/lambda/${" + urn_of(*fn) + "}"
    assert groups["default"] == Known(default, ("logGroupName",))
    assert known(groups["named"]) == "/aws/lambda/fn-1a2b3c4"
    assert known(groups["custom"]) == "/app/fn"
    assert only(facts, Function).log_group.value == default
    assert "jobs" in only(facts, Queue).aliases


def test_function_named_at_deployment_writes_to_its_default_log_group() -> None:
    fn = resource(FUNCTION, "fn", {"functionName": U}, functionName=[(ROLE, "naming")])
    function = only(facts_from([fn]), Function)
    assert function.log_group.value == "/aws/lambda/${" + fn.urn + "}"
    assert function.ref_value is None


@pytest.mark.parametrize(
    ("link", "names"),
    [
        ("https://sqs.us-east-1.amazonaws.com/123456789012/jobs", ("jobs",)),
        ("arn:aws:sqs:us-east-1:123456789012:jobs", ("jobs",)),
        ("arn:aws:sns:us-east-1:123456789012:alerts", ("alerts",)),
        ("arn:aws:events:us-east-1:123456789012:event-bus/orders", ("orders",)),
        ("arn:aws:events:us-east-1:123456789012:rule/nightly", ()),
        ("arn:aws:s3:::bucket", ()),
        ("${urn:pulumi:test::proj::aws-native:sqs:Queue::jobs}", ()),
    ],
)
def test_names_in_literal_urls_and_arns(link: str, names: tuple[str, ...]) -> None:
    assert names_in(link) == names


def test_policy_attached_by_literal_arn() -> None:
    topic = resource("aws-native:sns:Topic", "topic", {"topicName": "alerts"})
    policy = resource(
        "aws-native:sns:TopicPolicy",
        "policy",
        {
            "topics": ["arn:aws:sns:us-east-1:123456789012:alerts"],
            "policyDocument": {
                "Statement": [
                    {
                        "Effect": "Deny",
                        "Principal": "*",
                        "Action": "sns:Publish",
                        "Resource": "*",
                        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                    }
                ]
            },
        },
    )
    assert outcomes("sns-topic-tls-only", [topic, policy], "topic") == [Outcome.PASS]


# -- rules across resources --------------------------------------------------------------------


def test_log_retention_through_a_log_group_named_after_the_function() -> None:
    fn = resource(FUNCTION, "fn", {"runtime": "python3.13"})
    logs = resource(
        LOG_GROUP,
        "logs",
        {"logGroupName": U, "retentionInDays": 7},
        logGroupName=[(FUNCTION, "fn")],
    )
    assert outcomes("lambda-log-retention", [fn, logs], "fn") == [Outcome.FAIL]
    logs = resource(
        LOG_GROUP,
        "logs",
        {"logGroupName": U, "retentionInDays": 365},
        logGroupName=[(FUNCTION, "fn")],
    )
    assert outcomes("lambda-log-retention", [fn, logs], "fn") == [Outcome.PASS]


def test_dead_letter_queue_through_a_json_redrive_policy() -> None:
    queue = resource(QUEUE, "jobs", {"redrivePolicy": U}, redrivePolicy=[(QUEUE, "dlq")])
    dlq = resource(QUEUE, "dlq", {"messageRetentionPeriod": 1209600})
    assert outcomes("sqs-queue-dlq", [queue, dlq], "jobs") == [Outcome.PASS]
    assert outcomes("sqs-queue-dlq", [queue, dlq], "dlq") == [Outcome.NOT_APPLICABLE]


def test_types_without_an_extractor_give_no_facts() -> None:
    assert facts_from([resource("aws-native:ec2:Vpc", "vpc", {"cidrBlock": "10.0.0.0/16"})]) == []
    assert facts_from([resource("aws-native:sqs:QueuePolicy", "p", {})]) == []


def test_absent_values_keep_aws_native_paths() -> None:
    fn = only(facts_from([resource(FUNCTION, "fn", {})]), Function)
    assert fn.kms_key == Absent(("kmsKeyArn",))
    assert fn.tracing_mode == Absent(("tracingConfig",))
