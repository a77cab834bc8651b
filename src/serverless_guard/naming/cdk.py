"""The CDK's names (Python): an L2 construct's keyword arguments, else the L1's properties.

A resource of a CDK app is the default child (`Resource`) of the L2 construct that made it, or an
L1 the app declared. The construct tree (`tree.json`, `cdk.tree`) gives each construct's class
(`constructInfo.fqn`): when an L2 of the table below made the resource, the fix is written with
that L2's keyword arguments (`tracing=lambda_.Tracing.ACTIVE`); an L2 that owns another L2 (the
deployment stage a REST API makes) is written with the owner's arguments (`deploy_options=...`).
Otherwise the fix is written with the L1's properties, jsii's Python names of CloudFormation's
(`point_in_time_recovery_specification={"point_in_time_recovery_enabled": True}`).

The L2 keywords are not in any schema: this table is written by hand, and checked against the
installed aws-cdk-lib (tests/test_naming.py): every keyword and struct field exists and is not
deprecated, every enum member and class named exists. Module aliases are the modules' names
without `aws_` (`lambda_` for `aws_lambda`), as `from aws_cdk import aws_lambda as lambda_`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from serverless_guard.catalog.fix import Choice
from serverless_guard.naming import cloudformation
from serverless_guard.naming.display import cdk_module
from serverless_guard.naming.spelling import Code, Spelling, Table, lookup, snake_case, spell

L1_CHILD = "Resource"
_LIB = "aws-cdk-lib."

KEY = Code("<a kms.Key>")
QUEUE = Code("<an sqs.Queue>")
LOG_GROUP = Code("<a logs.LogGroup>")
RECEIVE_COUNT = Choice("a receive count")
AUTHORIZER = Code("<an HttpIamAuthorizer, HttpJwtAuthorizer or HttpLambdaAuthorizer>")
WEBSOCKET_AUTHORIZER = Code("<a WebSocketIamAuthorizer or WebSocketLambdaAuthorizer>")

_PITR = spell(
    "point_in_time_recovery_specification.point_in_time_recovery_enabled",
    structs={"point_in_time_recovery_specification": "dynamodb.PointInTimeRecoverySpecification"},
)
_STAGE: Mapping[str, Spelling] = {
    "Stage.tracing": spell("tracing_enabled"),
    "Stage.access_log_destination": spell(
        "access_log_destination",
        values={"*": Code("apigateway.LogGroupLogDestination(<a logs.LogGroup>)")},
        companions={
            "access_log_format": Code("apigateway.AccessLogFormat.json_with_standard_fields(...)")
        },
    ),
    "MethodSetting.logging_level": spell(
        "logging_level",
        values={
            "ERROR": Code("apigateway.MethodLoggingLevel.ERROR"),
            "INFO": Code("apigateway.MethodLoggingLevel.INFO"),
        },
    ),
    "MethodSetting.data_trace": spell("data_trace_enabled"),
    "MethodSetting.cache_encrypted": spell("cache_data_encrypted"),
}


def _in_struct(
    spellings: Mapping[str, Spelling], keyword: str, struct: str
) -> Mapping[str, Spelling]:
    """Keyword arguments of one construct, as a struct argument of its owner."""

    def nest(s: Spelling) -> Spelling:
        return dataclasses.replace(
            s,
            path=(keyword, *s.path),
            companions=tuple(((keyword, *p), v) for p, v in s.companions),
            structs={keyword: struct, **s.structs},
        )

    return {key: nest(s) for key, s in spellings.items()}


L2: Table = {
    "aws-cdk-lib.aws_lambda.Function": {
        "Function.tracing_mode": spell(
            "tracing", values={"Active": Code("lambda_.Tracing.ACTIVE")}
        ),
        "Function.kms_key": spell("environment_encryption", values={"*": KEY}),
        "Function.dead_letter_target": spell("dead_letter_queue", values={"*": QUEUE}),
        "EventInvokeConfig.on_failure": spell(
            "on_failure",
            values={"*": Code("lambda_destinations.SqsDestination(<an sqs.Queue>)")},
        ),
        "Function.reserved_concurrency": spell("reserved_concurrent_executions"),
        "Function.runtime": spell("runtime"),
        "Function.vpc_subnets": spell(
            "vpc_subnets",
            values={
                "*": Code("ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS)")
            },
            companions={"vpc": Code("<an ec2.Vpc>")},
        ),
    },
    "aws-cdk-lib.aws_dynamodb.Table": {
        "Table.point_in_time_recovery": _PITR,
        "Table.sse_enabled": spell(
            "encryption",
            values={"*": Code("dynamodb.TableEncryption.CUSTOMER_MANAGED")},
            companions={"encryption_key": KEY},
        ),
        "Table.sse_type": spell(
            "encryption", values={"*": Code("dynamodb.TableEncryption.CUSTOMER_MANAGED")}
        ),
        "Table.kms_key": spell(
            "encryption_key",
            values={"*": KEY},
            companions={"encryption": Code("dynamodb.TableEncryption.CUSTOMER_MANAGED")},
        ),
    },
    "aws-cdk-lib.aws_dynamodb.TableV2": {
        "Table.point_in_time_recovery": _PITR,
        "Table.kms_key": spell(
            "encryption",
            values={"*": Code("dynamodb.TableEncryptionV2.customer_managed_key(<a kms.Key>)")},
        ),
    },
    "aws-cdk-lib.aws_apigateway.Stage": _STAGE,
    **{
        f"aws-cdk-lib.aws_apigateway.{api}": {
            "RestApi.endpoint_types": spell(
                "endpoint_types", values={"PRIVATE": Code("[apigateway.EndpointType.PRIVATE]")}
            ),
            "RestApi.policy": spell("policy", values={"*": Code("<an iam.PolicyDocument>")}),
        }
        for api in ("RestApi", "LambdaRestApi", "SpecRestApi")
    },
    "aws-cdk-lib.aws_apigateway.Method": {
        "RestMethod.authorization_type": spell(
            "options.authorization_type",
            structs={"options": "apigateway.MethodOptions"},
            values={"AWS_IAM": Code("apigateway.AuthorizationType.IAM")},
        ),
    },
    "aws-cdk-lib.aws_apigatewayv2.HttpRoute": {
        "Route.authorization_type": spell("authorizer", values={"*": AUTHORIZER}),
    },
    "aws-cdk-lib.aws_apigatewayv2.WebSocketApi": {
        "Route.route_key": spell(
            "connect_route_options.integration",
            structs={"connect_route_options": "apigatewayv2.WebSocketRouteOptions"},
            values={"*": Code("<an integration>")},
        ),
        "Route.authorization_type": spell(
            "connect_route_options.authorizer",
            structs={"connect_route_options": "apigatewayv2.WebSocketRouteOptions"},
            values={"*": WEBSOCKET_AUTHORIZER},
        ),
    },
    "aws-cdk-lib.aws_apigatewayv2.WebSocketRoute": {
        "Route.authorization_type": spell("authorizer", values={"*": WEBSOCKET_AUTHORIZER}),
    },
    "aws-cdk-lib.aws_lambda.FunctionUrl": {
        "FunctionUrl.auth_type": spell(
            "auth_type", values={"AWS_IAM": Code("lambda_.FunctionUrlAuthType.AWS_IAM")}
        ),
    },
    "aws-cdk-lib.aws_apigateway.DomainName": {
        "DomainName.security_policy": spell(
            "security_policy", values={"TLS_1_2": Code("apigateway.SecurityPolicy.TLS_1_2")}
        ),
    },
    "aws-cdk-lib.aws_apigatewayv2.HttpStage": {
        "Stage.access_log_destination": spell(
            "access_log_settings", values={"*": Code("<access log settings to a logs.LogGroup>")}
        ),
    },
    "aws-cdk-lib.aws_apigatewayv2.WebSocketStage": {
        "Stage.access_log_destination": spell(
            "access_log_settings", values={"*": Code("<access log settings to a logs.LogGroup>")}
        ),
    },
    "aws-cdk-lib.aws_stepfunctions.StateMachine": {
        "StateMachine.tracing": spell("tracing_enabled"),
        "StateMachine.logging_level": spell(
            "logs.level",
            structs={"logs": "stepfunctions.LogOptions"},
            values={
                "ERROR": Code("stepfunctions.LogLevel.ERROR"),
                "ALL": Code("stepfunctions.LogLevel.ALL"),
            },
        ),
        "StateMachine.log_destinations": spell(
            "logs.destination",
            structs={"logs": "stepfunctions.LogOptions"},
            values={"*": LOG_GROUP},
        ),
    },
    "aws-cdk-lib.aws_sqs.Queue": {
        "Queue.kms_key": spell(
            "encryption_master_key",
            values={"*": KEY},
            companions={"encryption": Code("sqs.QueueEncryption.KMS")},
        ),
        "Queue.sqs_managed_sse": spell(
            "encryption", values={"*": Code("sqs.QueueEncryption.SQS_MANAGED")}
        ),
        "Queue.dead_letter_target": spell(
            "dead_letter_queue.queue",
            structs={"dead_letter_queue": "sqs.DeadLetterQueue"},
            values={"*": QUEUE},
            companions={"dead_letter_queue.max_receive_count": RECEIVE_COUNT},
        ),
    },
    "aws-cdk-lib.aws_sns.Topic": {"Topic.kms_key": spell("master_key", values={"*": KEY})},
    "aws-cdk-lib.aws_s3.Bucket": {
        **{
            f"PublicAccessBlock.{field}": spell(
                "block_public_access", values={"*": Code("s3.BlockPublicAccess.BLOCK_ALL")}
            )
            for field in (
                "block_public_acls",
                "ignore_public_acls",
                "block_public_policy",
                "restrict_public_buckets",
            )
        },
        "BucketEncryption.algorithm": spell(
            "encryption", values={"*": Code("s3.BucketEncryption.KMS")}
        ),
        "BucketEncryption.kms_key": spell(
            "encryption_key",
            values={"*": KEY},
            companions={"encryption": Code("s3.BucketEncryption.KMS")},
        ),
    },
    "aws-cdk-lib.aws_kms.Key": {"Key.rotation_enabled": spell("enable_key_rotation")},
    "aws-cdk-lib.aws_events.EventBus": {"EventBus.kms_key": spell("kms_key", values={"*": KEY})},
    "aws-cdk-lib.aws_kinesis.Stream": {
        "Stream.encryption_type": spell(
            "encryption", values={"*": Code("kinesis.StreamEncryption.KMS")}
        ),
        "Stream.kms_key": spell(
            "encryption_key",
            values={"*": KEY},
            companions={"encryption": Code("kinesis.StreamEncryption.KMS")},
        ),
    },
    "aws-cdk-lib.aws_secretsmanager.Secret": {
        "Secret.kms_key": spell("encryption_key", values={"*": KEY}),
    },
    "aws-cdk-lib.aws_appsync.GraphqlApi": {
        "GraphqlApi.authentication_type": spell(
            "authorization_config.default_authorization.authorization_type",
            structs={
                "authorization_config": "appsync.AuthorizationConfig",
                "default_authorization": "appsync.AuthorizationMode",
            },
            values={
                "AWS_IAM": Code("appsync.AuthorizationType.IAM"),
                "AMAZON_COGNITO_USER_POOLS": Code("appsync.AuthorizationType.USER_POOL"),
                "OPENID_CONNECT": Code("appsync.AuthorizationType.OIDC"),
                "AWS_LAMBDA": Code("appsync.AuthorizationType.LAMBDA"),
            },
        ),
        "GraphqlApi.additional_authentication_types": spell(
            "authorization_config.additional_authorization_modes",
            structs={"authorization_config": "appsync.AuthorizationConfig"},
            values={"*": Code("[<appsync.AuthorizationMode of types other than API_KEY>]")},
        ),
        "GraphqlApi.field_log_level": spell(
            "log_config.field_log_level",
            structs={"log_config": "appsync.LogConfig"},
            values={
                "ERROR": Code("appsync.FieldLogLevel.ERROR"),
                "INFO": Code("appsync.FieldLogLevel.INFO"),
                "DEBUG": Code("appsync.FieldLogLevel.DEBUG"),
                "ALL": Code("appsync.FieldLogLevel.ALL"),
            },
        ),
        "GraphqlApi.log_role": spell(
            "log_config",
            values={"*": Code("appsync.LogConfig(field_log_level=appsync.FieldLogLevel.ERROR)")},
            note="the construct creates the role AppSync writes its logs with",
        ),
        "GraphqlApi.xray": spell("xray_enabled"),
    },
    "aws-cdk-lib.aws_cognito.UserPool": {
        "UserPool.mfa": spell(
            "mfa",
            values={
                "ON": Code("cognito.Mfa.REQUIRED"),
                "OPTIONAL": Code("cognito.Mfa.OPTIONAL"),
            },
        ),
        "UserPool.threat_protection": spell(
            "standard_threat_protection_mode",
            values={"ENFORCED": Code("cognito.StandardThreatProtectionMode.FULL_FUNCTION")},
        ),
        "UserPool.tier": spell("feature_plan", values={"PLUS": Code("cognito.FeaturePlan.PLUS")}),
        **{
            f"PasswordPolicy.{field}": spell(
                f"password_policy.{keyword}", structs={"password_policy": "cognito.PasswordPolicy"}
            )
            for field, keyword in (
                ("minimum_length", "min_length"),
                ("require_lowercase", "require_lowercase"),
                ("require_uppercase", "require_uppercase"),
                ("require_numbers", "require_digits"),
                ("require_symbols", "require_symbols"),
            )
        },
    },
    "aws-cdk-lib.aws_cognito_identitypool.IdentityPool": {
        "IdentityPool.allow_unauthenticated": spell("allow_unauthenticated_identities"),
    },
    "aws-cdk-lib.aws_logs.LogGroup": {
        "LogGroup.retention_days": spell("retention"),
        "LogGroup.kms_key": spell("encryption_key", values={"*": KEY}),
    },
}

# L2 constructs that own another L2 (by the start of its id), and the owner's arguments for it.
_REST_API_STAGE = _in_struct(_STAGE, "deploy_options", "apigateway.StageOptions")
OWNERS: Mapping[tuple[str, str], Table] = {
    (f"{_LIB}aws_apigateway.{api}", "DeploymentStage."): {"*": _REST_API_STAGE}
    for api in ("RestApi", "LambdaRestApi", "SpecRestApi")
}


def l1_spellings(cfn_type: str, key: str) -> tuple[Spelling, ...]:
    """The L1's properties: jsii's Python names of CloudFormation's."""
    return tuple(s.renamed(snake_case, s.resource) for s in cloudformation.spellings(cfn_type, key))


def spellings(
    constructs: Sequence[tuple[str, str]], cfn_type: str, key: str
) -> tuple[Spelling, ...]:
    """`constructs`: `(id, fqn)` from the resource's construct up to its stack."""
    if len(constructs) >= 2 and constructs[0][0] == L1_CHILD:
        made_by = constructs[1]
        if len(constructs) >= 3:
            owner = OWNERS.get((constructs[2][1], _prefix(made_by[0])))
            found = lookup(owner or {}, "*", key)
            if found:
                return found
        found = lookup(L2, made_by[1], key)
        if found:
            return found
        if made_by[1].startswith(_LIB) and ".Cfn" not in made_by[1]:
            note = f"on {made_by[0]}'s node.default_child, a {_l1_class(cfn_type)}"
            return tuple(
                dataclasses.replace(s, note=note) if not s.resource else s
                for s in l1_spellings(cfn_type, key)
            )
    return l1_spellings(cfn_type, key)


def _prefix(construct_id: str) -> str:
    for _, prefix in OWNERS:
        if construct_id.startswith(prefix):
            return prefix
    return ""


def _l1_class(cfn_type: str) -> str:
    return f"{cdk_module(cfn_type)}.Cfn{cfn_type.rsplit('::', 1)[-1]}"
