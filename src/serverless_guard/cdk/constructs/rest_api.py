"""PrivateRestApi: a REST API reachable only through given VPC endpoints, authorized and logged."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Unpack

from aws_cdk import AspectPriority, Aspects
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from constructs import Construct

from serverless_guard.cdk.constructs._api_checks import ApiChecks
from serverless_guard.cdk.constructs._children import new_key, retained_log_group
from serverless_guard.cdk.constructs._props import RestApiKwargs
from serverless_guard.cdk.constructs._shared import layered, warn

INVOKE = "execute-api:Invoke"
EVERY_METHOD = "execute-api:/*"
_LOGGED = (apigw.MethodLoggingLevel.ERROR, apigw.MethodLoggingLevel.INFO)


def access_log_format() -> apigw.AccessLogFormat:
    """JSON access logs with who called what, when, and the answer."""
    return apigw.AccessLogFormat.json_with_standard_fields(
        caller=True,
        http_method=True,
        ip=True,
        protocol=True,
        request_time=True,
        resource_path=True,
        response_length=True,
        status=True,
        user=True,
    )


class PrivateRestApi(Construct):
    """`apigateway.RestApi` that is PRIVATE and passes every rule of the catalog by default.

    Takes the keyword arguments of `apigateway.RestApi`, plus `vpc_endpoints`: the
    `execute-api` interface endpoints that may call it (at least one).

    Enforced: the endpoint type is PRIVATE, associated with the endpoints (an endpoint type
    other than PRIVATE is an error: use `apigateway.RestApi` for a public API); the resource
    policy denies `execute-api:Invoke` to every caller whose `aws:SourceVpce` is not one of
    the endpoints. A `policy` given is copied and gets that Deny; without one, the policy
    also allows invocation: to principals of the API's own account when methods use IAM
    (each caller then needs `execute-api:Invoke` in its own policy), to everyone (still only
    through the endpoints) when a custom or Cognito authorizer decides.

    Defaults (those of `default_method_options` and `deploy_options` layered field by field
    under the options given): IAM authorization on every method (unless an `authorizer` is
    given); access logs in JSON to a log group of its own (`.log_group`, encrypted with a
    SecureKey `.key`, kept 365 days); execution logging at ERROR without data trace; X-Ray
    tracing; an encrypted cache when caching is on; `rest_api_name` is the construct's id, as
    for `RestApi`. Custom domains get `security_policy` TLS_1_2 unless one is set.

    Weakening any of these warns and names the rule; so do methods added without
    authorization and stages without access logs. Execution logging needs the account's API
    Gateway CloudWatch role: `cloud_watch_role=True` (CDK's default unless the feature flag
    `@aws-cdk/aws-apigateway:disableCloudWatchRole` is set) or an `apigateway.CfnAccount`
    configured once per account and region. The API is `.api`.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        vpc_endpoints: Sequence[ec2.IInterfaceVpcEndpoint],
        **props: Unpack[RestApiKwargs],
    ) -> None:
        super().__init__(scope, id)
        if not vpc_endpoints:
            raise ValueError(f"{self.node.path}: a PrivateRestApi needs vpc_endpoints")
        self.vpc_endpoints = tuple(vpc_endpoints)
        self.key: kms.IKey | None = None
        self.log_group: logs.ILogGroup | None = None
        merged: RestApiKwargs = {"rest_api_name": id, **props}

        # Enforced: PRIVATE, through the given endpoints only.
        merged.pop("endpoint_types", None)
        merged["endpoint_configuration"] = self._endpoints(props)
        method_options = props.get("default_method_options")
        custom_auth = method_options is not None and method_options.authorizer is not None
        merged["policy"] = self._policy(props.get("policy"), open_to_all=custom_auth)

        # Defaults under what was given.
        merged["default_method_options"] = layered(
            apigw.MethodOptions,
            {} if custom_auth else {"authorization_type": apigw.AuthorizationType.IAM},
            method_options,
        )
        if merged.get("deploy", True) is not False:
            merged["deploy_options"] = self._stage_options(props.get("deploy_options"))
        self.api = apigw.RestApi(self, "Default", **merged)
        Aspects.of(self).add(ApiChecks(), priority=AspectPriority.MUTATING)

    def _endpoints(self, props: RestApiKwargs) -> apigw.EndpointConfiguration:
        given = props.get("endpoint_configuration")
        types = [*(props.get("endpoint_types") or ()), *(given.types if given else ())]
        others = [t.name for t in types if t is not apigw.EndpointType.PRIVATE]
        if others:
            raise ValueError(
                f"{self.node.path}: a PrivateRestApi is PRIVATE, not {', '.join(others)}: "
                "use apigateway.RestApi for a public API"
            )
        extra = (given.vpc_endpoints or ()) if given else ()
        enforced = {
            "types": [apigw.EndpointType.PRIVATE],
            "vpc_endpoints": [*self.vpc_endpoints, *extra],
        }
        return layered(apigw.EndpointConfiguration, {}, given, enforced)

    def _policy(self, given: iam.PolicyDocument | None, *, open_to_all: bool) -> iam.PolicyDocument:
        if given is not None:
            document = iam.PolicyDocument.from_json(given.to_json())
        else:
            caller: iam.IPrincipal = (
                iam.AnyPrincipal() if open_to_all else iam.AccountRootPrincipal()
            )
            document = iam.PolicyDocument(
                statements=[
                    iam.PolicyStatement(
                        principals=[caller], actions=[INVOKE], resources=[EVERY_METHOD]
                    )
                ]
            )
        document.add_statements(
            iam.PolicyStatement(
                effect=iam.Effect.DENY,
                principals=[iam.AnyPrincipal()],
                actions=[INVOKE],
                resources=[EVERY_METHOD],
                conditions={
                    "StringNotEquals": {
                        "aws:SourceVpce": [e.vpc_endpoint_id for e in self.vpc_endpoints]
                    }
                },
            )
        )
        return document

    def _stage_options(self, given: apigw.StageOptions | None) -> apigw.StageOptions:
        defaults: dict[str, object] = {
            "access_log_format": access_log_format(),
            "logging_level": apigw.MethodLoggingLevel.ERROR,
            "data_trace_enabled": False,
            "tracing_enabled": True,
        }
        if given is None or given.access_log_destination is None:
            self.key = new_key(self)
            self.log_group = retained_log_group(self, "AccessLogs", self.key)
            defaults["access_log_destination"] = apigw.LogGroupLogDestination(self.log_group)
        if given is not None and (given.cache_cluster_enabled or given.caching_enabled):
            defaults["cache_data_encrypted"] = True
        options = layered(apigw.StageOptions, defaults, given)
        if options.logging_level not in _LOGGED:
            warn(self, "apigw-stage-execution-logging", "deploy_options turn execution logging off")
        if options.data_trace_enabled:
            warn(self, "apigw-no-data-trace", "deploy_options set data_trace_enabled")
        if not options.tracing_enabled:
            warn(self, "apigw-stage-tracing", "deploy_options turn tracing off")
        if options.cache_cluster_enabled and not options.cache_data_encrypted:
            warn(self, "apigw-cache-encrypted", "the stage caches responses unencrypted")
        return options
