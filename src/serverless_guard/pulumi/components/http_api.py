"""SecureHttpApi: an HTTP API whose routes require IAM authorization and whose stage logs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Unpack, cast

import pulumi
import pulumi_aws as aws

from serverless_guard.pulumi.components._base import SecureComponent, given
from serverless_guard.pulumi.components._children import log_group
from serverless_guard.pulumi.components._inputs import LATER
from serverless_guard.pulumi.components._routes import (
    HttpRoute,
    Route,
    parse,
    permission,
    target_of,
)
from serverless_guard.pulumi.components._wrapped import HttpApiKwargs, HttpApiOutputs
from serverless_guard.pulumi.components.function import Handler
from serverless_guard.pulumi.components.key import KeyLike, key_for
from serverless_guard.secure_defaults import HTTP_ACCESS_LOG_FORMAT

ACCESS_LOG_FORMAT = HTTP_ACCESS_LOG_FORMAT

_QUICK_CREATE = ("target", "route_key", "credentials_arn")


class SecureHttpApi(HttpApiOutputs, SecureComponent):
    """`aws.apigatewayv2.Api` (HTTP) that passes every rule of the catalog by default.

    Takes the arguments of `aws.apigatewayv2.Api` (`protocol_type` is HTTP, and optional),
    plus `routes` (`{"GET /orders": fn}`; a value may also be an `HttpRoute` dict with
    `authorization_type`, `authorizer_id`...) and `kms_key` (a SecureKey or an
    `aws.kms.Key`, for its log group). Quick create (`target`, `route_key`), which makes a
    `$default` route open to everyone, is refused, and so is a WebSocket API.

    Defaults: `AWS_IAM` authorization on every route (pass `authorization_type="JWT"` with an
    `authorizer_id`, or `CUSTOM`, per route); one Lambda permission per route that names the
    API's route and the account; the `$default` stage (`.stage`, deployed automatically)
    writes JSON access logs to a log group of its own (`.access_logs`, encrypted, kept 365
    days). HTTP API custom domains accept TLS 1.2 only. A route with authorization NONE
    warns. The API is `.api`; its outputs (`id`, `api_endpoint`, `execution_arn`...) are the
    component's, and `url` is the stage's invoke URL.
    """

    def __init__(
        self,
        resource_name: str,
        args: aws.apigatewayv2.ApiArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        *,
        routes: Mapping[str, Handler | HttpRoute] | None = None,
        kms_key: KeyLike | None = None,
        **kwargs: Unpack[HttpApiKwargs],
    ) -> None:
        values = cast(HttpApiKwargs, given(args, kwargs))
        protocol = values.get("protocol_type", "HTTP")
        if protocol != "HTTP":
            raise ValueError(f"{resource_name}: a SecureHttpApi is an HTTP API, not {protocol}")
        quick = [name for name in _QUICK_CREATE if values.get(name) is not None]
        if quick:
            raise ValueError(
                f"{resource_name}: quick create ({', '.join(quick)}) makes a $default route "
                "that everyone may call: give routes= instead"
            )
        parsed = {parse(key, http=True): target_of(value) for key, value in (routes or {}).items()}
        super().__init__("SecureHttpApi", resource_name, opts)
        merged: HttpApiKwargs = {**values, "protocol_type": "HTTP"}
        self.api = self.resource = aws.apigatewayv2.Api(
            resource_name, opts=self.wrapped(), **merged
        )
        self._wrapped = self.api
        self.plan.add(aws.apigatewayv2.Api, resource_name, merged)

        self.key: KeyLike = key_for(self, kms_key)
        self.access_logs = log_group(self, f"{resource_name}-access-logs", self.key.arn)
        stage = f"{resource_name}-stage"
        self.stage = aws.apigatewayv2.Stage(
            stage,
            api_id=self.api.id,
            name="$default",
            auto_deploy=True,
            access_log_settings={
                "destination_arn": self.access_logs.arn,
                "format": ACCESS_LOG_FORMAT,
            },
            opts=self.child(),
        )
        self.plan.add(
            aws.apigatewayv2.Stage,
            stage,
            {
                "api_id": LATER,
                "name": "$default",
                "auto_deploy": True,
                "access_log_settings": {"destination_arn": LATER, "format": ACCESS_LOG_FORMAT},
            },
            links={"api_id": resource_name},
        )
        self._routes(resource_name, parsed)
        self.plan.check()
        self.register_outputs({"id": self.api.id, "url": self.url})

    def _routes(
        self, resource_name: str, parsed: Mapping[Route, tuple[Handler, Mapping[str, object]]]
    ) -> None:
        self.routes: dict[str, aws.apigatewayv2.Route] = {}
        self.integrations: dict[str, aws.apigatewayv2.Integration] = {}
        self.permissions: dict[str, aws.lambda_.Permission] = {}
        for route, (function, settings) in parsed.items():
            name = f"{resource_name}-{route.slug}"
            integration = self.integrations[route.key] = aws.apigatewayv2.Integration(
                f"{name}-integration",
                api_id=self.api.id,
                integration_type="AWS_PROXY",
                integration_uri=function.invoke_arn,
                payload_format_version="2.0",
                opts=self.child(),
            )
            authorization = str(settings.get("authorization_type", "AWS_IAM"))
            authorizer_id = cast(pulumi.Input[str] | None, settings.get("authorizer_id"))
            scopes = cast(Sequence[pulumi.Input[str]] | None, settings.get("authorization_scopes"))
            self.routes[route.key] = aws.apigatewayv2.Route(
                name,
                api_id=self.api.id,
                route_key=route.key,
                target=integration.id.apply(lambda i: f"integrations/{i}"),
                authorization_type=authorization,
                authorizer_id=authorizer_id,
                authorization_scopes=scopes,
                opts=self.child(),
            )
            self.plan.add(
                aws.apigatewayv2.Route,
                name,
                {"api_id": LATER, "route_key": route.key, "authorization_type": authorization},
                links={"api_id": resource_name},
            )
            self.permissions[route.key] = permission(
                self, f"{name}-permission", function, self.api.execution_arn, route, resource_name
            )

    @property
    def url(self) -> pulumi.Output[str]:
        """The `$default` stage's invoke URL."""
        return self.stage.invoke_url
