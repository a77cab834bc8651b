"""CloudFormation's names for the fact fields that fix findings, by resource type.

The source of the names that aws-native (`native.py`), the CDK's L1 constructs (`cdk.py`) and
SAM's pass-through properties (`sam.py`) derive theirs from. Each entry is checked against the
CloudFormation extractor of its type (tests/test_naming.py): the extractor reads the field at
exactly this path.
"""

from __future__ import annotations

from serverless_guard.catalog.fix import Choice
from serverless_guard.naming.spelling import Spelling, Table, cannot, lookup, spell

LOG_FORMAT = Choice("a log format")
SECURITY = Choice("a security requirement that names an authorizer")
QUICK_CREATE = "declare the routes, with authorization, instead of the API's quick create"
RECEIVE_COUNT = Choice("a receive count")
SECURITY_GROUPS = Choice("security groups")
SECRET = Choice("the secret's ARN")
ROTATION_FUNCTION = Choice("the ARN of a function that rotates it")

_DEPLOYMENT_STAGE = "or declare the stage as a resource of its own instead of in the deployment"
# An operation of an API's OpenAPI body: its security requirement (or the body's), or its
# x-amazon-apigateway-auth when it has one.
OPERATION = (
    spell("Body.paths.*.*.security", document="Body", values={"*": SECURITY}),
    spell("Body.security", document="Body", values={"*": SECURITY}),
    spell("Body.paths.*.*.x-amazon-apigateway-auth.type", document="Body", values={"*": "AWS_IAM"}),
)
_ALL_METHODS = {"MethodSettings[*].ResourcePath": "/*", "MethodSettings[*].HttpMethod": "*"}
# What HTTP and WebSocket APIs (API Gateway v2) do not have.
V2_STAGE = {
    "Stage.tracing": cannot("HTTP and WebSocket APIs do not support X-Ray tracing"),
    "MethodSetting.cache_encrypted": cannot("HTTP and WebSocket APIs have no cache"),
    "WebAclAssociation.web_acl": cannot("AWS WAF does not support HTTP and WebSocket APIs"),
}
_ASSOCIATION = "AWS::WAFv2::WebACLAssociation"


def web_acl_association(what: str, note: str = "") -> Spelling:
    """A web ACL association that names `what` (the stage's or API's ARN)."""
    return spell(
        "WebACLArn",
        resource=_ASSOCIATION,
        companions={"ResourceArn": Choice(what)},
        note=note,
    )


_PASSWORD_POLICY = "Policies.PasswordPolicy"

# A secret's rotation schedule: its interval, and what a new schedule is declared with.
_ROTATION_SCHEDULE = "AWS::SecretsManager::RotationSchedule"
_ROTATION_RULES = {
    "SecretRotation.automatically_after_days": "RotationRules.AutomaticallyAfterDays",
    "SecretRotation.schedule_expression": "RotationRules.ScheduleExpression",
}
_ROTATION_COMPANIONS = {"SecretId": SECRET, "RotationLambdaARN": ROTATION_FUNCTION}

NAMES: Table = {
    "AWS::ApiGateway::Stage": {
        "WebAclAssociation.web_acl": web_acl_association("the stage's ARN"),
        "Stage.tracing": spell("TracingEnabled"),
        "Stage.access_log_destination": spell(
            "AccessLogSetting.DestinationArn", companions={"AccessLogSetting.Format": LOG_FORMAT}
        ),
        "MethodSetting.logging_level": spell(
            "MethodSettings[*].LoggingLevel", companions=_ALL_METHODS
        ),
        "MethodSetting.data_trace": spell("MethodSettings[*].DataTraceEnabled"),
        "MethodSetting.cache_encrypted": spell(
            "MethodSettings[*].CacheDataEncrypted", companions=_ALL_METHODS
        ),
    },
    "AWS::ApiGateway::Deployment": {
        "WebAclAssociation.web_acl": web_acl_association(
            "the ARN of the stage the deployment creates", note=_DEPLOYMENT_STAGE
        ),
        "Stage.tracing": spell("StageDescription.TracingEnabled", note=_DEPLOYMENT_STAGE),
        "Stage.access_log_destination": spell(
            "StageDescription.AccessLogSetting.DestinationArn",
            companions={"StageDescription.AccessLogSetting.Format": LOG_FORMAT},
            note=_DEPLOYMENT_STAGE,
        ),
        "MethodSetting.logging_level": spell(
            "StageDescription.LoggingLevel", note=_DEPLOYMENT_STAGE
        ),
        "MethodSetting.data_trace": (
            spell("StageDescription.DataTraceEnabled"),
            spell("StageDescription.MethodSettings[*].DataTraceEnabled"),
        ),
        "MethodSetting.cache_encrypted": (
            spell("StageDescription.CacheDataEncrypted", note=_DEPLOYMENT_STAGE),
            spell("StageDescription.MethodSettings[*].CacheDataEncrypted"),
        ),
    },
    "AWS::ApiGatewayV2::Stage": {
        **V2_STAGE,
        "Stage.access_log_destination": spell(
            "AccessLogSettings.DestinationArn", companions={"AccessLogSettings.Format": LOG_FORMAT}
        ),
        "MethodSetting.logging_level": (
            spell("DefaultRouteSettings.LoggingLevel"),
            spell("RouteSettings.*.LoggingLevel", document="RouteSettings"),
        ),
        "MethodSetting.data_trace": (
            spell("DefaultRouteSettings.DataTraceEnabled"),
            spell("RouteSettings.*.DataTraceEnabled", document="RouteSettings"),
        ),
    },
    "AWS::ApiGateway::RestApi": {
        "RestMethod.authorization_type": OPERATION,
        "RestApi.endpoint_types": spell("EndpointConfiguration.Types", listed=True),
        "RestApi.policy": spell("Policy", document="Policy"),
    },
    "AWS::ApiGateway::Method": {"RestMethod.authorization_type": spell("AuthorizationType")},
    "AWS::ApiGatewayV2::Route": {
        "Route.authorization_type": spell("AuthorizationType"),
        "Route.route_key": spell("RouteKey"),
    },
    "AWS::ApiGatewayV2::Api": {
        # A route in the OpenAPI body, the quick create's route, or (WebSocket) a route to add.
        "Route.authorization_type": (
            *OPERATION,
            cannot(QUICK_CREATE, where="Target"),
            spell("AuthorizationType", resource="AWS::ApiGatewayV2::Route"),
        ),
        "Route.route_key": spell("RouteKey", resource="AWS::ApiGatewayV2::Route"),
        # The $default stage of an HTTP API's quick create (its Target).
        "Stage.access_log_destination": spell(
            "Stage.AccessLogSettings.DestinationArn",
            resource="AWS::ApiGatewayV2::ApiGatewayManagedOverrides",
            companions={"Stage.AccessLogSettings.Format": LOG_FORMAT},
            note="or declare the routes and a stage with access logs instead of the API's quick "
            "create",
        ),
    },
    "AWS::ApiGateway::DomainName": {"DomainName.security_policy": spell("SecurityPolicy")},
    "AWS::ApiGatewayV2::DomainName": {
        "DomainName.security_policy": spell("DomainNameConfigurations[*].SecurityPolicy"),
    },
    "AWS::DynamoDB::Table": {
        "Table.point_in_time_recovery": spell(
            "PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled"
        ),
        "Table.sse_enabled": spell("SSESpecification.SSEEnabled"),
        "Table.sse_type": spell("SSESpecification.SSEType"),
        "Table.kms_key": spell("SSESpecification.KMSMasterKeyId"),
    },
    "AWS::DynamoDB::GlobalTable": {
        "Table.point_in_time_recovery": spell(
            "Replicas[*].PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled"
        ),
        "Table.sse_enabled": spell("SSESpecification.SSEEnabled"),
        "Table.sse_type": spell("SSESpecification.SSEType"),
        "Table.kms_key": spell("Replicas[*].SSESpecification.KMSMasterKeyId"),
    },
    "AWS::Events::EventBus": {"EventBus.kms_key": spell("KmsKeyIdentifier")},
    "AWS::Kinesis::Stream": {
        "Stream.encryption_type": spell("StreamEncryption.EncryptionType"),
        "Stream.kms_key": spell("StreamEncryption.KeyId"),
    },
    "AWS::KMS::Key": {"Key.rotation_enabled": spell("EnableKeyRotation")},
    "AWS::Lambda::Function": {
        "Function.kms_key": spell("KmsKeyArn"),
        "Function.tracing_mode": spell("TracingConfig.Mode"),
        "Function.dead_letter_target": spell("DeadLetterConfig.TargetArn"),
        "Function.reserved_concurrency": spell("ReservedConcurrentExecutions"),
        "Function.runtime": spell("Runtime"),
        "Function.vpc_subnets": spell(
            "VpcConfig.SubnetIds",
            listed=True,
            companions={"VpcConfig.SecurityGroupIds": SECURITY_GROUPS},
        ),
        "EventInvokeConfig.on_failure": spell(
            "DestinationConfig.OnFailure.Destination", resource="AWS::Lambda::EventInvokeConfig"
        ),
    },
    "AWS::Lambda::Permission": {
        "Permission.principal": spell("Principal"),
        "Permission.source_arn": spell("SourceArn"),
        "Permission.source_account": spell("SourceAccount"),
        "Permission.principal_org_id": spell("PrincipalOrgID"),
        "Permission.function_url_auth_type": spell("FunctionUrlAuthType"),
    },
    "AWS::Lambda::Url": {"FunctionUrl.auth_type": spell("AuthType")},
    "AWS::Lambda::EventInvokeConfig": {
        "EventInvokeConfig.on_failure": spell("DestinationConfig.OnFailure.Destination"),
    },
    "AWS::Logs::LogGroup": {
        "LogGroup.retention_days": spell("RetentionInDays"),
        "LogGroup.kms_key": spell("KmsKeyId"),
    },
    "Custom::LogRetention": {  # the CDK's retention of a log group it does not declare
        "LogGroup.retention_days": spell("RetentionInDays"),
        "LogGroup.kms_key": cannot("declare the log group to encrypt it"),
    },
    "AWS::S3::Bucket": {
        "BucketEncryption.algorithm": spell(
            "BucketEncryption.ServerSideEncryptionConfiguration[*]."
            "ServerSideEncryptionByDefault.SSEAlgorithm"
        ),
        "BucketEncryption.kms_key": spell(
            "BucketEncryption.ServerSideEncryptionConfiguration[*]."
            "ServerSideEncryptionByDefault.KMSMasterKeyID"
        ),
        **{
            f"PublicAccessBlock.{field}": spell(f"PublicAccessBlockConfiguration.{name}")
            for field, name in (
                ("block_public_acls", "BlockPublicAcls"),
                ("ignore_public_acls", "IgnorePublicAcls"),
                ("block_public_policy", "BlockPublicPolicy"),
                ("restrict_public_buckets", "RestrictPublicBuckets"),
            )
        },
    },
    "AWS::SecretsManager::Secret": {
        "Secret.kms_key": spell("KmsKeyId"),
        **{
            key: spell(path, resource=_ROTATION_SCHEDULE, companions=_ROTATION_COMPANIONS)
            for key, path in _ROTATION_RULES.items()
        },
    },
    _ROTATION_SCHEDULE: {key: spell(path) for key, path in _ROTATION_RULES.items()},
    "AWS::SNS::Topic": {"Topic.kms_key": spell("KmsMasterKeyId")},
    "AWS::SQS::Queue": {
        "Queue.kms_key": spell("KmsMasterKeyId"),
        "Queue.sqs_managed_sse": spell("SqsManagedSseEnabled"),
        "Queue.dead_letter_target": spell(
            "RedrivePolicy.deadLetterTargetArn",
            document="RedrivePolicy",
            companions={"RedrivePolicy.maxReceiveCount": RECEIVE_COUNT},
        ),
    },
    "AWS::AppSync::GraphQLApi": {
        "GraphqlApi.authentication_type": spell("AuthenticationType"),
        "GraphqlApi.additional_authentication_types": spell(
            "AdditionalAuthenticationProviders[*].AuthenticationType"
        ),
        "GraphqlApi.field_log_level": spell("LogConfig.FieldLogLevel"),
        "GraphqlApi.log_role": spell("LogConfig.CloudWatchLogsRoleArn"),
        "GraphqlApi.xray": spell("XrayEnabled"),
        "WebAclAssociation.web_acl": web_acl_association("the API's ARN"),
    },
    "AWS::Cognito::UserPool": {
        "UserPool.mfa": spell("MfaConfiguration"),
        "UserPool.threat_protection": spell("UserPoolAddOns.AdvancedSecurityMode"),
        "UserPool.tier": spell("UserPoolTier"),
        "PasswordPolicy.minimum_length": spell(f"{_PASSWORD_POLICY}.MinimumLength"),
        "PasswordPolicy.require_lowercase": spell(f"{_PASSWORD_POLICY}.RequireLowercase"),
        "PasswordPolicy.require_uppercase": spell(f"{_PASSWORD_POLICY}.RequireUppercase"),
        "PasswordPolicy.require_numbers": spell(f"{_PASSWORD_POLICY}.RequireNumbers"),
        "PasswordPolicy.require_symbols": spell(f"{_PASSWORD_POLICY}.RequireSymbols"),
    },
    "AWS::Cognito::IdentityPool": {
        "IdentityPool.allow_unauthenticated": spell("AllowUnauthenticatedIdentities"),
    },
    "AWS::StepFunctions::StateMachine": {
        "StateMachine.tracing": spell("TracingConfiguration.Enabled"),
        "StateMachine.logging_level": spell("LoggingConfiguration.Level"),
        "StateMachine.log_destinations": spell(
            "LoggingConfiguration.Destinations[*].CloudWatchLogsLogGroup.LogGroupArn"
        ),
    },
}


def spellings(type_: str, key: str) -> tuple[Spelling, ...]:
    return lookup(NAMES, type_, key)
