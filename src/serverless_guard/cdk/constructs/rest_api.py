"""PrivateRestApi and PrivateLambdaRestApi: REST APIs reachable only through given VPC endpoints,
authorized and logged."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from aws_cdk import AspectPriority, Aspects
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from constructs import Construct

from serverless_guard.cdk.constructs._api_checks import ApiChecks
from serverless_guard.cdk.constructs._children import record_helpers, retained_log_group
from serverless_guard.cdk.constructs._shared import as_struct, layered, warn
from serverless_guard.cdk.constructs._signature import init_l2, same_arguments_as
from serverless_guard.cdk.constructs.defaults import default_key

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


@dataclass(frozen=True, slots=True)
class _Private:
    """A private API's arguments, layered, and what was created beside it for them."""

    arguments: dict[str, object]
    vpc_endpoints: tuple[ec2.IVpcEndpoint, ...]
    key: kms.IKey | None
    log_group: logs.LogGroup | None


def _private(scope: Construct, id: str, props: Mapping[str, object]) -> _Private:
    path = f"{scope.node.path}/{id}"
    merged: dict[str, object] = dict(props)

    # Enforced: PRIVATE, through the given endpoints only.
    merged.pop("endpoint_types", None)
    endpoints, configuration = _endpoints(path, props)
    merged["endpoint_configuration"] = configuration
    method_options = as_struct(apigw.MethodOptions, props.get("default_method_options"))
    custom_auth = method_options is not None and method_options.authorizer is not None
    given_policy = props.get("policy")
    if given_policy is not None and not isinstance(given_policy, iam.PolicyDocument):
        raise TypeError(f"{path}: policy must be an iam.PolicyDocument, not {given_policy!r}")
    merged["policy"] = _policy(given_policy, endpoints, open_to_all=custom_auth)

    # Defaults under what was given.
    merged["default_method_options"] = layered(
        apigw.MethodOptions,
        {} if custom_auth else {"authorization_type": apigw.AuthorizationType.IAM},
        method_options,
    )
    key: kms.IKey | None = None
    log_group: logs.LogGroup | None = None
    if merged.get("deploy", True) is not False:
        given = as_struct(apigw.StageOptions, props.get("deploy_options"))
        defaults: dict[str, object] = {
            "access_log_format": access_log_format(),
            "logging_level": apigw.MethodLoggingLevel.ERROR,
            "data_trace_enabled": False,
            "tracing_enabled": True,
        }
        if given is None or given.access_log_destination is None:
            key = default_key(scope)
            log_group = retained_log_group(scope, f"{id}AccessLogs", key)
            defaults["access_log_destination"] = apigw.LogGroupLogDestination(log_group)
        if given is not None and (given.cache_cluster_enabled or given.caching_enabled):
            defaults["cache_data_encrypted"] = True
        merged["deploy_options"] = layered(apigw.StageOptions, defaults, given)
    return _Private(merged, endpoints, key, log_group)


def _endpoints(
    path: str, props: Mapping[str, object]
) -> tuple[tuple[ec2.IVpcEndpoint, ...], apigw.EndpointConfiguration]:
    given = as_struct(apigw.EndpointConfiguration, props.get("endpoint_configuration"))
    listed = props.get("endpoint_types")
    types = [*(listed if isinstance(listed, Sequence) else ()), *(given.types if given else ())]
    others = [t.name for t in types if t is not apigw.EndpointType.PRIVATE]
    if others:
        raise ValueError(
            f"{path}: a private API is PRIVATE, not {', '.join(others)}: "
            "use apigateway.RestApi for a public API"
        )
    endpoints = tuple(given.vpc_endpoints or ()) if given else ()
    if not endpoints:
        raise ValueError(
            f"{path}: a private API is called through VPC endpoints: pass endpoint_configuration="
            "EndpointConfiguration(types=[EndpointType.PRIVATE], vpc_endpoints=[...])"
        )
    enforced = {"types": [apigw.EndpointType.PRIVATE], "vpc_endpoints": list(endpoints)}
    return endpoints, layered(apigw.EndpointConfiguration, {}, given, enforced)


def _policy(
    given: iam.PolicyDocument | None,
    endpoints: Sequence[ec2.IVpcEndpoint],
    *,
    open_to_all: bool,
) -> iam.PolicyDocument:
    if given is not None:
        document = iam.PolicyDocument.from_json(given.to_json())
    else:
        caller: iam.IPrincipal = iam.AnyPrincipal() if open_to_all else iam.AccountRootPrincipal()
        document = iam.PolicyDocument(
            statements=[
                iam.PolicyStatement(principals=[caller], actions=[INVOKE], resources=[EVERY_METHOD])
            ]
        )
    document.add_statements(
        iam.PolicyStatement(
            effect=iam.Effect.DENY,
            principals=[iam.AnyPrincipal()],
            actions=[INVOKE],
            resources=[EVERY_METHOD],
            conditions={
                "StringNotEquals": {"aws:SourceVpce": [e.vpc_endpoint_id for e in endpoints]}
            },
        )
    )
    return document


def _warn_stage(api: Construct, arguments: Mapping[str, object]) -> None:
    options = arguments.get("deploy_options")
    if not isinstance(options, apigw.StageOptions):
        return
    if options.logging_level not in _LOGGED:
        warn(api, "apigw-stage-execution-logging", "deploy_options turn execution logging off")
    if options.data_trace_enabled:
        warn(api, "apigw-no-data-trace", "deploy_options set data_trace_enabled")
    if not options.tracing_enabled:
        warn(api, "apigw-stage-tracing", "deploy_options turn tracing off")
    if options.cache_cluster_enabled and not options.cache_data_encrypted:
        warn(api, "apigw-cache-encrypted", "the stage caches responses unencrypted")


def _finish(api: PrivateRestApi | PrivateLambdaRestApi, private: _Private) -> None:
    api.vpc_endpoints = private.vpc_endpoints
    api.key = private.key
    api.log_group = private.log_group
    record_helpers(api, private.log_group)
    _warn_stage(api, private.arguments)
    Aspects.of(api).add(ApiChecks(), priority=AspectPriority.MUTATING)


class PrivateRestApi(apigw.RestApi):
    """`apigateway.RestApi` that is PRIVATE and passes every rule of the catalog by default.

    Takes the arguments of `apigateway.RestApi`; it is an `apigateway.RestApi` (`api.root`,
    `api.url`, `add_domain_name`... work unchanged).

    Enforced: the endpoint type is PRIVATE (another type is an error: use `RestApi` for a
    public API), reachable through the VPC endpoints of `endpoint_configuration`
    (`EndpointConfiguration(types=[EndpointType.PRIVATE], vpc_endpoints=[...])`, at least one;
    `.vpc_endpoints`); the resource policy denies `execute-api:Invoke` to every caller whose
    `aws:SourceVpce` is not one of them. A `policy` given is copied and gets that Deny; without
    one, the policy also allows invocation: to principals of the API's own account when methods
    use IAM (each caller then needs `execute-api:Invoke` in its own policy), to everyone (still
    only through the endpoints) when a custom or Cognito authorizer decides.

    Defaults (those of `default_method_options` and `deploy_options` layered field by field
    under the options given): IAM authorization on every method (unless an `authorizer` is
    given); access logs in JSON to a log group beside it (`<id>AccessLogs`, `.log_group`,
    encrypted with the stack's shared key, `.key`, kept 365 days); execution logging at ERROR
    without data trace; X-Ray tracing; an encrypted cache when caching is on. Custom domains
    get `security_policy` TLS_1_2 unless one is set.

    Weakening any of these warns and names the rule; so do methods added without
    authorization and stages without access logs. Execution logging needs the account's API
    Gateway CloudWatch role: `cloud_watch_role=True` (CDK's default unless the feature flag
    `@aws-cdk/aws-apigateway:disableCloudWatchRole` is set) or an `apigateway.CfnAccount`
    configured once per account and region.
    """

    vpc_endpoints: tuple[ec2.IVpcEndpoint, ...]
    key: kms.IKey | None
    log_group: logs.LogGroup | None

    @same_arguments_as(apigw.RestApi.__init__)
    def __init__(self, scope: Construct, id: str, **props: object) -> None:
        private = _private(scope, id, props)
        init_l2(super().__init__, scope, id, private.arguments)
        _finish(self, private)


class PrivateLambdaRestApi(apigw.LambdaRestApi):
    """`apigateway.LambdaRestApi` that is PRIVATE and passes every rule of the catalog by default.

    Takes the arguments of `apigateway.LambdaRestApi` (`handler`; with `proxy=True`, the default,
    every path and method goes to the handler) and is one. Enforces and defaults to what
    `PrivateRestApi` does: PRIVATE through the VPC endpoints of `endpoint_configuration`, IAM
    authorization on every method, access logs, execution logging, tracing.
    """

    vpc_endpoints: tuple[ec2.IVpcEndpoint, ...]
    key: kms.IKey | None
    log_group: logs.LogGroup | None

    @same_arguments_as(apigw.LambdaRestApi.__init__)
    def __init__(self, scope: Construct, id: str, **props: object) -> None:
        private = _private(scope, id, props)
        init_l2(super().__init__, scope, id, private.arguments)
        _finish(self, private)
