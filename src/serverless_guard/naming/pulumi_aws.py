"""pulumi-aws's input names for the fact fields that fix findings, by resource type token.

Names as the provider schema spells them (`pointInTimeRecovery.enabled`), which is how the policy
pack receives inputs and how `pulumi preview` shows them; the Python SDK's argument names are
derived from them (`naming.display.to_python`). Each entry is checked against the pulumi-aws
extractor of its type and against the installed Python SDK's input classes
(tests/test_naming.py).
"""

from __future__ import annotations

from serverless_guard.catalog.fix import Choice
from serverless_guard.naming.cloudformation import (
    LOG_FORMAT,
    QUICK_CREATE,
    RECEIVE_COUNT,
    ROTATION_FUNCTION,
    SECRET,
    SECURITY,
    SECURITY_GROUPS,
    V2_STAGE,
)
from serverless_guard.naming.spelling import Spelling, Table, cannot, lookup, spell

_METHOD_SETTINGS = "aws:apigateway/methodSettings:MethodSettings"
_ALL_METHODS = {"methodPath": "*/*"}
_BUCKET_ENCRYPTION = (
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
)
_BUCKET_ENCRYPTION_V2 = (
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"
)
_DEFAULT_ENCRYPTION = "rules[*].applyServerSideEncryptionByDefault"
_INLINE_ENCRYPTION = "serverSideEncryptionConfiguration.rule.applyServerSideEncryptionByDefault"
_V2_ENCRYPTION = (
    "serverSideEncryptionConfigurations[*].rules[*].applyServerSideEncryptionByDefaults[*]"
)
_ENCRYPTION_CONFIGURATION = {
    "BucketEncryption.algorithm": spell(f"{_DEFAULT_ENCRYPTION}.sseAlgorithm"),
    "BucketEncryption.kms_key": spell(f"{_DEFAULT_ENCRYPTION}.kmsMasterKeyId"),
}
_LOG_DESTINATION = Choice("a log group's ARN followed by :*")
_PASSWORD_POLICY = "passwordPolicy"


def _web_acl_association(what: str) -> Spelling:
    """A web ACL association that names `what` (the stage's or API's ARN)."""
    return spell(
        "webAclArn",
        resource="aws:wafv2/webAclAssociation:WebAclAssociation",
        companions={"resourceArn": Choice(what)},
    )


# An operation of an API's OpenAPI body (a JSON or YAML string).
_OPERATION = (
    spell("body.paths.*.*.security", document="body", json=True, values={"*": SECURITY}),
    spell("body.security", document="body", json=True, values={"*": SECURITY}),
    spell(
        "body.paths.*.*.x-amazon-apigateway-auth.type",
        document="body",
        json=True,
        values={"*": "AWS_IAM"},
    ),
)
# A statement of a function's whole resource policy (`lambda_.ResourcePolicy`).
_STATEMENT = {
    "Permission.principal": cannot("name a specific principal in the policy's statement"),
    "Permission.source_arn": cannot("add a condition on aws:SourceArn to the statement"),
    "Permission.source_account": cannot("add a condition on aws:SourceAccount to the statement"),
    "Permission.principal_org_id": cannot("add a condition on aws:PrincipalOrgID to the statement"),
    "Permission.function_url_auth_type": cannot(
        "add a condition on lambda:FunctionUrlAuthType AWS_IAM to the statement"
    ),
}
_PUBLIC_ACCESS_BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
_BLOCK_SETTINGS = {
    "block_public_acls": "blockPublicAcls",
    "ignore_public_acls": "ignorePublicAcls",
    "block_public_policy": "blockPublicPolicy",
    "restrict_public_buckets": "restrictPublicBuckets",
}
_BLOCK = {f"PublicAccessBlock.{f}": spell(name) for f, name in _BLOCK_SETTINGS.items()}
_BLOCK_ELSEWHERE = {
    f"PublicAccessBlock.{f}": spell(name, resource=_PUBLIC_ACCESS_BLOCK)
    for f, name in _BLOCK_SETTINGS.items()
}

# A secret's rotation: its interval, and what a new rotation is declared with.
_SECRET_ROTATION = "aws:secretsmanager/secretRotation:SecretRotation"
_ROTATION_RULES = {
    "SecretRotation.automatically_after_days": "rotationRules.automaticallyAfterDays",
    "SecretRotation.schedule_expression": "rotationRules.scheduleExpression",
}
_ROTATION_COMPANIONS = {"secretId": SECRET, "rotationLambdaArn": ROTATION_FUNCTION}

NAMES: Table = {
    "aws:apigateway/stage:Stage": {
        "WebAclAssociation.web_acl": _web_acl_association("the stage's ARN"),
        "Stage.tracing": spell("xrayTracingEnabled"),
        "Stage.access_log_destination": spell(
            "accessLogSettings.destinationArn", companions={"accessLogSettings.format": LOG_FORMAT}
        ),
        "MethodSetting.logging_level": spell(
            "settings.loggingLevel", resource=_METHOD_SETTINGS, companions=_ALL_METHODS
        ),
        "MethodSetting.data_trace": spell("settings.dataTraceEnabled", resource=_METHOD_SETTINGS),
        "MethodSetting.cache_encrypted": spell(
            "settings.cacheDataEncrypted", resource=_METHOD_SETTINGS, companions=_ALL_METHODS
        ),
    },
    _METHOD_SETTINGS: {
        "MethodSetting.logging_level": spell("settings.loggingLevel"),
        "MethodSetting.data_trace": spell("settings.dataTraceEnabled"),
        "MethodSetting.cache_encrypted": spell("settings.cacheDataEncrypted"),
    },
    "aws:apigatewayv2/stage:Stage": {
        **V2_STAGE,
        "Stage.access_log_destination": spell(
            "accessLogSettings.destinationArn", companions={"accessLogSettings.format": LOG_FORMAT}
        ),
        "MethodSetting.logging_level": (
            spell("defaultRouteSettings.loggingLevel"),
            spell("routeSettings[*].loggingLevel"),
        ),
        "MethodSetting.data_trace": (
            spell("defaultRouteSettings.dataTraceEnabled"),
            spell("routeSettings[*].dataTraceEnabled"),
        ),
    },
    "aws:apigateway/restApi:RestApi": {
        "RestMethod.authorization_type": _OPERATION,
        "RestApi.endpoint_types": spell("endpointConfiguration.types"),
        "RestApi.policy": spell("policy", document="policy", json=True),
    },
    "aws:apigateway/method:Method": {"RestMethod.authorization_type": spell("authorization")},
    "aws:apigatewayv2/route:Route": {
        "Route.authorization_type": spell("authorizationType"),
        "Route.route_key": spell("routeKey"),
    },
    "aws:apigatewayv2/api:Api": {
        "Route.authorization_type": (
            *_OPERATION,
            cannot(QUICK_CREATE, where="target"),
            spell("authorizationType", resource="aws:apigatewayv2/route:Route"),
        ),
        "Route.route_key": spell("routeKey", resource="aws:apigatewayv2/route:Route"),
    },
    "aws:apigateway/domainName:DomainName": {
        "DomainName.security_policy": spell("securityPolicy"),
    },
    "aws:apigatewayv2/domainName:DomainName": {
        "DomainName.security_policy": spell("domainNameConfiguration.securityPolicy"),
    },
    "aws:dynamodb/table:Table": {
        "Table.point_in_time_recovery": (
            spell("pointInTimeRecovery.enabled"),
            spell("replicas[*].pointInTimeRecovery"),
        ),
        "Table.sse_enabled": spell("serverSideEncryption.enabled"),
        # The provider encrypts with KMS whenever server-side encryption is enabled.
        "Table.sse_type": spell("serverSideEncryption.enabled", values={"KMS": True}),
        "Table.kms_key": (
            spell("serverSideEncryption.kmsKeyArn"),
            spell("replicas[*].kmsKeyArn"),
        ),
    },
    "aws:cloudwatch/eventBus:EventBus": {"EventBus.kms_key": spell("kmsKeyIdentifier")},
    "aws:kinesis/stream:Stream": {
        "Stream.encryption_type": spell("encryptionType"),
        "Stream.kms_key": spell("kmsKeyId"),
    },
    "aws:kms/key:Key": {"Key.rotation_enabled": spell("enableKeyRotation")},
    "aws:kms/externalKey:ExternalKey": {
        "Key.rotation_enabled": cannot("imported key material cannot rotate automatically"),
    },
    "aws:lambda/function:Function": {
        "Function.kms_key": spell("kmsKeyArn"),
        "Function.tracing_mode": spell("tracingConfig.mode"),
        "Function.dead_letter_target": spell("deadLetterConfig.targetArn"),
        "Function.reserved_concurrency": spell("reservedConcurrentExecutions"),
        "Function.runtime": spell("runtime"),
        "Function.vpc_subnets": spell(
            "vpcConfig.subnetIds",
            listed=True,
            companions={"vpcConfig.securityGroupIds": SECURITY_GROUPS},
        ),
        "EventInvokeConfig.on_failure": spell(
            "destinationConfig.onFailure.destination",
            resource="aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig",
        ),
    },
    "aws:lambda/permission:Permission": {
        "Permission.principal": spell("principal"),
        "Permission.source_arn": spell("sourceArn"),
        "Permission.source_account": spell("sourceAccount"),
        "Permission.principal_org_id": spell("principalOrgId"),
        "Permission.function_url_auth_type": spell("functionUrlAuthType"),
    },
    "aws:lambda/resourcePolicy:ResourcePolicy": _STATEMENT,
    "aws:lambda/functionUrl:FunctionUrl": {"FunctionUrl.auth_type": spell("authorizationType")},
    "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig": {
        "EventInvokeConfig.on_failure": spell("destinationConfig.onFailure.destination"),
    },
    "aws:cloudwatch/logGroup:LogGroup": {
        "LogGroup.retention_days": spell("retentionInDays"),
        "LogGroup.kms_key": spell("kmsKeyId"),
    },
    _PUBLIC_ACCESS_BLOCK: _BLOCK,
    "aws:s3/bucket:Bucket": {
        **_BLOCK_ELSEWHERE,
        "BucketEncryption.algorithm": (
            spell(f"{_DEFAULT_ENCRYPTION}.sseAlgorithm", resource=_BUCKET_ENCRYPTION),
            spell(f"{_INLINE_ENCRYPTION}.sseAlgorithm"),
        ),
        "BucketEncryption.kms_key": (
            spell(f"{_DEFAULT_ENCRYPTION}.kmsMasterKeyId", resource=_BUCKET_ENCRYPTION),
            spell(f"{_INLINE_ENCRYPTION}.kmsMasterKeyId"),
        ),
    },
    "aws:s3/bucketV2:BucketV2": {
        **_BLOCK_ELSEWHERE,
        "BucketEncryption.algorithm": (
            spell(f"{_DEFAULT_ENCRYPTION}.sseAlgorithm", resource=_BUCKET_ENCRYPTION),
            spell(f"{_V2_ENCRYPTION}.sseAlgorithm"),
        ),
        "BucketEncryption.kms_key": (
            spell(f"{_DEFAULT_ENCRYPTION}.kmsMasterKeyId", resource=_BUCKET_ENCRYPTION),
            spell(f"{_V2_ENCRYPTION}.kmsMasterKeyId"),
        ),
    },
    _BUCKET_ENCRYPTION: _ENCRYPTION_CONFIGURATION,
    _BUCKET_ENCRYPTION_V2: _ENCRYPTION_CONFIGURATION,
    "aws:secretsmanager/secret:Secret": {
        "Secret.kms_key": spell("kmsKeyId"),
        **{
            key: spell(path, resource=_SECRET_ROTATION, companions=_ROTATION_COMPANIONS)
            for key, path in _ROTATION_RULES.items()
        },
    },
    _SECRET_ROTATION: {key: spell(path) for key, path in _ROTATION_RULES.items()},
    "aws:sns/topic:Topic": {"Topic.kms_key": spell("kmsMasterKeyId")},
    "aws:sqs/queue:Queue": {
        "Queue.kms_key": spell("kmsMasterKeyId"),
        "Queue.sqs_managed_sse": spell("sqsManagedSseEnabled"),
        "Queue.dead_letter_target": spell(
            "redrivePolicy.deadLetterTargetArn",
            document="redrivePolicy",
            json=True,
            companions={"redrivePolicy.maxReceiveCount": RECEIVE_COUNT},
        ),
    },
    "aws:appsync/graphQLApi:GraphQLApi": {
        "GraphqlApi.authentication_type": spell("authenticationType"),
        "GraphqlApi.additional_authentication_types": spell(
            "additionalAuthenticationProviders[*].authenticationType"
        ),
        "GraphqlApi.field_log_level": spell("logConfig.fieldLogLevel"),
        "GraphqlApi.log_role": spell("logConfig.cloudwatchLogsRoleArn"),
        "GraphqlApi.xray": spell("xrayEnabled"),
        "WebAclAssociation.web_acl": _web_acl_association("the API's ARN"),
    },
    "aws:cognito/userPool:UserPool": {
        "UserPool.mfa": spell("mfaConfiguration"),
        "UserPool.threat_protection": spell("userPoolAddOns.advancedSecurityMode"),
        "UserPool.tier": spell("userPoolTier"),
        "PasswordPolicy.minimum_length": spell(f"{_PASSWORD_POLICY}.minimumLength"),
        "PasswordPolicy.require_lowercase": spell(f"{_PASSWORD_POLICY}.requireLowercase"),
        "PasswordPolicy.require_uppercase": spell(f"{_PASSWORD_POLICY}.requireUppercase"),
        "PasswordPolicy.require_numbers": spell(f"{_PASSWORD_POLICY}.requireNumbers"),
        "PasswordPolicy.require_symbols": spell(f"{_PASSWORD_POLICY}.requireSymbols"),
    },
    "aws:cognito/identityPool:IdentityPool": {
        "IdentityPool.allow_unauthenticated": spell("allowUnauthenticatedIdentities"),
    },
    "aws:sfn/stateMachine:StateMachine": {
        "StateMachine.tracing": spell("tracingConfiguration.enabled"),
        "StateMachine.logging_level": spell("loggingConfiguration.level"),
        "StateMachine.log_destinations": spell(
            "loggingConfiguration.logDestination", values={"*": _LOG_DESTINATION}
        ),
    },
}


def spellings(type_: str, key: str) -> tuple[Spelling, ...]:
    return lookup(NAMES, type_, key)
