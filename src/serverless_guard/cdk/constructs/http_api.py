"""SecureHttpApi: an HTTP API whose routes require IAM authorization and whose stage logs."""

from __future__ import annotations

import json

from aws_cdk import AspectPriority, Aspects
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_apigatewayv2_authorizers as authorizers
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from constructs import Construct

from serverless_guard.cdk.constructs._api_checks import ApiChecks
from serverless_guard.cdk.constructs._children import retained_log_group
from serverless_guard.cdk.constructs._signature import init_l2, same_arguments_as
from serverless_guard.cdk.constructs.defaults import default_key

ACCESS_LOG_FORMAT = json.dumps(
    {
        "requestId": "$context.requestId",
        "ip": "$context.identity.sourceIp",
        "caller": "$context.identity.caller",
        "user": "$context.identity.user",
        "requestTime": "$context.requestTime",
        "httpMethod": "$context.httpMethod",
        "routeKey": "$context.routeKey",
        "status": "$context.status",
        "protocol": "$context.protocol",
        "responseLength": "$context.responseLength",
        "integrationError": "$context.integrationErrorMessage",
        "authorizerError": "$context.authorizer.error",
    },
    separators=(",", ":"),
)
"""JSON access logs with who called which route, when, and the answer."""


class SecureHttpApi(apigwv2.HttpApi):
    """`apigatewayv2.HttpApi` that passes every rule of the catalog by default.

    Takes the arguments of `apigatewayv2.HttpApi`. Defaults: `default_authorizer` is an
    `HttpIamAuthorizer` (pass an `HttpJwtAuthorizer` or a Lambda authorizer instead), and the
    default stage writes JSON access logs to a log group of its own (`AccessLogs`,
    `.log_group`, encrypted with the stack's shared key, `.key`, kept 365 days). HTTP API
    custom domains accept TLS 1.2 only. Routes without authorization (`HttpNoneAuthorizer`, or
    `default_authorizer=None`) and stages added without access logs warn and name the rule. It
    is an `apigatewayv2.HttpApi`: `api.add_routes(...)` works unchanged.
    """

    @same_arguments_as(apigwv2.HttpApi.__init__)
    def __init__(self, scope: Construct, id: str, **props: object) -> None:
        merged: dict[str, object] = {**props}
        if "default_authorizer" not in props:
            merged["default_authorizer"] = authorizers.HttpIamAuthorizer()
        init_l2(super().__init__, scope, id, merged)
        self.key: kms.IKey | None = None
        self.log_group: logs.ILogGroup | None = None
        stage = self.default_stage
        resource = stage.node.default_child if stage is not None else None
        if isinstance(resource, apigwv2.CfnStage):
            self.key = default_key(self)
            self.log_group = retained_log_group(self, "AccessLogs", self.key)
            resource.access_log_settings = apigwv2.CfnStage.AccessLogSettingsProperty(
                destination_arn=self.log_group.log_group_arn, format=ACCESS_LOG_FORMAT
            )
        Aspects.of(self).add(ApiChecks(), priority=AspectPriority.MUTATING)
