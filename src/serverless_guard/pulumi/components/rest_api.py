"""PrivateRestApi: a REST API reachable only through given VPC endpoints, authorized and logged."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Unpack, cast

import pulumi
import pulumi_aws as aws

from serverless_guard.pulumi.components._base import SecureComponent, Where, field_of, given
from serverless_guard.pulumi.components._children import log_group
from serverless_guard.pulumi.components._documents import document, statements_of
from serverless_guard.pulumi.components._inputs import LATER
from serverless_guard.pulumi.components._routes import (
    RestRoute,
    Route,
    parse,
    permission,
    target_of,
)
from serverless_guard.pulumi.components._wrapped import RestApiKwargs, RestApiOutputs
from serverless_guard.pulumi.components.function import Handler
from serverless_guard.pulumi.components.key import KeyLike, key_for

INVOKE = "execute-api:Invoke"
EVERY_METHOD = "execute-api:/*"
ACCESS_LOG_FORMAT = json.dumps(
    {
        "requestId": "$context.requestId",
        "ip": "$context.identity.sourceIp",
        "caller": "$context.identity.caller",
        "user": "$context.identity.user",
        "vpce": "$context.identity.vpceId",
        "requestTime": "$context.requestTime",
        "httpMethod": "$context.httpMethod",
        "resourcePath": "$context.resourcePath",
        "status": "$context.status",
        "protocol": "$context.protocol",
        "responseLength": "$context.responseLength",
    },
    separators=(",", ":"),
)
"""JSON access logs with who called what, through which endpoint, when, and the answer."""


def api_policy(
    where: Where, endpoints: list[str], given: object, open_to_all: bool
) -> dict[str, object]:
    """The API's resource policy: the statements given (else an Allow of invocation to the
    account's principals, or to everyone when an authorizer other than IAM decides), and a
    Deny of invocation through any VPC endpoint but the given ones."""
    statements = statements_of(given)
    if not statements:
        principal = (
            "*" if open_to_all else {"AWS": f"arn:{where.partition}:iam::{where.account}:root"}
        )
        statements = [
            {"Effect": "Allow", "Principal": principal, "Action": INVOKE, "Resource": EVERY_METHOD}
        ]
    deny = {
        "Sid": "DenyOtherVpcEndpoints",
        "Effect": "Deny",
        "Principal": "*",
        "Action": INVOKE,
        "Resource": EVERY_METHOD,
        "Condition": {"StringNotEquals": {"aws:SourceVpce": endpoints}},
    }
    return document([*statements, deny])


def endpoints_of(
    resource_name: str, values: RestApiKwargs, ids: Sequence[pulumi.Input[str]]
) -> list[pulumi.Input[str]]:
    """The VPC endpoints that may call the API: those given, and those of an
    `endpoint_configuration` given (whose type must be PRIVATE)."""
    given_config = values.pop("endpoint_configuration", None)
    types = field_of(given_config, "types")
    if types is not None and types != "PRIVATE":
        raise ValueError(
            f"{resource_name}: a PrivateRestApi is PRIVATE, not {types}: "
            "use aws.apigateway.RestApi for a public API"
        )
    extra = field_of(given_config, "vpc_endpoint_ids")
    listed = [*ids, *(extra if isinstance(extra, list | tuple) else [])]
    if not listed:
        raise ValueError(
            f"{resource_name}: a PrivateRestApi needs vpc_endpoint_ids (the execute-api "
            "interface endpoints that may call it)"
        )
    return listed


class PrivateRestApi(RestApiOutputs, SecureComponent):
    """`aws.apigateway.RestApi` that is PRIVATE and passes every rule of the catalog by default.

    Takes the arguments of `aws.apigateway.RestApi`, plus `vpc_endpoint_ids` (the execute-api
    interface endpoints that may call it; or those of the `endpoint_configuration` given: at
    least one), `routes` (`{"GET /orders": fn}`; a value may also be a `RestRoute` dict with
    `authorization`, `authorizer_id`...), `stage_name` ("prod") and `kms_key` (a SecureKey or
    an `aws.kms.Key`, for its log groups).

    Enforced: the endpoint type is PRIVATE with those endpoints (another type is an error: use
    `aws.apigateway.RestApi` for a public API), and the resource policy (`policy`: the
    statements given, else an Allow of `execute-api:Invoke` to the account's principals when
    every route uses IAM, to everyone when an authorizer decides) denies invocation through
    any other VPC endpoint.

    With `routes`, it also creates: per route an `AWS_IAM` method (callers need
    `execute-api:Invoke` in their own policy; a route with authorization NONE warns), a Lambda
    proxy integration and a Lambda permission that names the API's route and the account; a
    deployment and a stage (`.stage`) that traces with X-Ray, writes JSON access logs to a log
    group of its own (`.access_logs`) and execution logs at ERROR without request data to API
    Gateway's log group for the stage, created here (`.execution_logs`), both encrypted and
    kept 365 days. Execution logging needs the account's API Gateway CloudWatch role
    (`aws.apigateway.Account`), set once per account and region. Without `routes`, add your
    own methods, deployment and stage, as with `aws.apigateway.RestApi` (the policy pack
    judges them). The API is `.api`; its outputs (`id`, `arn`, `execution_arn`,
    `root_resource_id`...) are the component's, and `url` is the stage's invoke URL.
    """

    def __init__(
        self,
        resource_name: str,
        args: aws.apigateway.RestApiArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        *,
        vpc_endpoint_ids: Sequence[pulumi.Input[str]] = (),
        routes: Mapping[str, Handler | RestRoute] | None = None,
        stage_name: str = "prod",
        kms_key: KeyLike | None = None,
        **kwargs: Unpack[RestApiKwargs],
    ) -> None:
        values = cast(RestApiKwargs, given(args, kwargs))
        parsed = {parse(key, http=False): target_of(value) for key, value in (routes or {}).items()}
        open_to_all = any(
            settings.get("authorization", "AWS_IAM") != "AWS_IAM" for _, settings in parsed.values()
        )
        # Enforced: PRIVATE, through the given endpoints only.
        endpoints = endpoints_of(resource_name, values, vpc_endpoint_ids)
        super().__init__("PrivateRestApi", resource_name, opts)
        user_policy = values.pop("policy", None)
        policy = self.render(
            lambda where, ids, given: api_policy(where, ids, given, open_to_all),
            (endpoints, endpoints),
            (user_policy, user_policy),
        )
        merged: RestApiKwargs = {
            **values,
            "endpoint_configuration": {"types": "PRIVATE", "vpc_endpoint_ids": endpoints},
            "policy": policy.value,
        }
        self.api = self.resource = aws.apigateway.RestApi(
            resource_name, opts=self.wrapped(), **merged
        )
        self._wrapped = self.api
        self.plan.add(aws.apigateway.RestApi, resource_name, {**merged, "policy": policy.check})

        self.key: KeyLike | None = None
        self.stage: aws.apigateway.Stage | None = None
        integrations = self._routes(resource_name, parsed)
        if parsed:
            self.key = key_for(self, kms_key)
            self._stage(resource_name, stage_name, self.key, parsed, integrations)
        self.plan.check()
        self.register_outputs({"id": self.api.id, "execution_arn": self.api.execution_arn})

    def _resource(
        self, resource_name: str, segments: tuple[str, ...], made: dict[tuple[str, ...], object]
    ) -> pulumi.Input[str]:
        """The id of the API resource for a path, creating it and its parents."""
        if not segments:
            return self.api.root_resource_id
        found = made.get(segments)
        if isinstance(found, aws.apigateway.Resource):
            return found.id
        parent = self._resource(resource_name, segments[:-1], made)
        created = aws.apigateway.Resource(
            f"{resource_name}/{'/'.join(segments)}",
            rest_api=self.api.id,
            parent_id=parent,
            path_part=segments[-1],
            opts=self.child(),
        )
        made[segments] = self.api_resources[segments] = created
        return created.id

    def _routes(
        self, resource_name: str, parsed: Mapping[Route, tuple[Handler, Mapping[str, object]]]
    ) -> list[pulumi.Resource]:
        made: dict[tuple[str, ...], object] = {}
        self.api_resources: dict[tuple[str, ...], aws.apigateway.Resource] = {}
        integrations: list[pulumi.Resource] = []
        self.methods: dict[str, aws.apigateway.Method] = {}
        self.integrations: dict[str, aws.apigateway.Integration] = {}
        self.permissions: dict[str, aws.lambda_.Permission] = {}
        for route, (function, settings) in parsed.items():
            name = f"{resource_name}-{route.slug}"
            resource_id = self._resource(resource_name, route.segments, made)
            authorization = str(settings.get("authorization", "AWS_IAM"))
            authorizer_id = cast(pulumi.Input[str] | None, settings.get("authorizer_id"))
            scopes = cast(Sequence[pulumi.Input[str]] | None, settings.get("authorization_scopes"))
            method = aws.apigateway.Method(
                name,
                rest_api=self.api.id,
                resource_id=resource_id,
                http_method=route.method,
                authorization=authorization,
                authorizer_id=authorizer_id,
                authorization_scopes=scopes,
                opts=self.child(),
            )
            self.methods[route.key] = method
            self.plan.add(
                aws.apigateway.Method,
                name,
                {
                    "rest_api": LATER,
                    "resource_id": LATER,
                    "http_method": route.method,
                    "authorization": authorization,
                },
                links={"rest_api": resource_name},
            )
            self.integrations[route.key] = aws.apigateway.Integration(
                f"{name}-integration",
                rest_api=self.api.id,
                resource_id=resource_id,
                http_method=method.http_method,
                integration_http_method="POST",
                type="AWS_PROXY",
                uri=function.invoke_arn,
                opts=self.child(),
            )
            integrations.append(self.integrations[route.key])
            self.permissions[route.key] = permission(
                self, f"{name}-permission", function, self.api.execution_arn, route, resource_name
            )
        return integrations

    def _stage(
        self,
        resource_name: str,
        stage_name: str,
        key: KeyLike,
        parsed: Mapping[Route, object],
        integrations: list[pulumi.Resource],
    ) -> None:
        routes = sorted(route.key for route in parsed)
        self.deployment = aws.apigateway.Deployment(
            f"{resource_name}-deployment",
            rest_api=self.api.id,
            triggers={"routes": hashlib.sha256(json.dumps(routes).encode()).hexdigest()},
            opts=self.child(depends_on=[*integrations, *self.methods.values()]),
        )
        self.access_logs = log_group(self, f"{resource_name}-access-logs", key.arn)
        self.execution_logs = log_group(
            self,
            f"{resource_name}-execution-logs",
            key.arn,
            group_name=self.api.id.apply(lambda i: f"API-Gateway-Execution-Logs_{i}/{stage_name}"),
            named_after=resource_name,
        )
        stage = f"{resource_name}-stage"
        access: dict[str, object] = {"format": ACCESS_LOG_FORMAT}
        self.stage = created = aws.apigateway.Stage(
            stage,
            rest_api=self.api.id,
            deployment=self.deployment.id,
            stage_name=stage_name,
            xray_tracing_enabled=True,
            access_log_settings={
                "destination_arn": self.access_logs.arn,
                "format": ACCESS_LOG_FORMAT,
            },
            opts=self.child(depends_on=[self.execution_logs]),
        )
        self.plan.add(
            aws.apigateway.Stage,
            stage,
            {
                "rest_api": LATER,
                "deployment": LATER,
                "stage_name": stage_name,
                "xray_tracing_enabled": True,
                "access_log_settings": {**access, "destination_arn": LATER},
            },
            links={"rest_api": resource_name},
        )
        settings: aws.apigateway.MethodSettingsSettingsArgsDict = {
            "logging_level": "ERROR",
            "data_trace_enabled": False,
            "metrics_enabled": True,
        }
        name = f"{resource_name}-method-settings"
        self.method_settings = aws.apigateway.MethodSettings(
            name,
            rest_api=self.api.id,
            stage_name=created.stage_name,
            method_path="*/*",
            settings=settings,
            opts=self.child(),
        )
        self.plan.add(
            aws.apigateway.MethodSettings,
            name,
            {"rest_api": LATER, "stage_name": LATER, "method_path": "*/*", "settings": settings},
            links={"rest_api": resource_name, "stage_name": stage},
        )

    @property
    def url(self) -> pulumi.Output[str]:
        """The stage's invoke URL (reachable through the VPC endpoints)."""
        if self.stage is None:
            raise AttributeError(
                f"{self.pulumi_resource_name} has no stage: give routes= to have one, or add "
                "your own aws.apigateway.Deployment and Stage"
            )
        return self.stage.invoke_url
