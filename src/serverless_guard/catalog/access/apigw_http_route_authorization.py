from __future__ import annotations

from serverless_guard.catalog.fix import AnyOf, Fix
from serverless_guard.catalog.params import NoParams
from serverless_guard.catalog.rule import (
    Anchors,
    Context,
    Domain,
    Remediation,
    Severity,
    Verdict,
    failed,
    not_applicable,
    passed,
    rule,
    unknown,
)
from serverless_guard.facts.apigw import ApiKind, HttpApi, Route
from serverless_guard.facts.nodes import is_opaque_text
from serverless_guard.facts.value import Absent, Known, Unknown

_CONNECT = "$connect"
_DEFAULT = "$default"
HTTP_TYPES = ("AWS_IAM", "JWT", "CUSTOM")
WEBSOCKET_TYPES = ("AWS_IAM", "CUSTOM")
AUTHORIZE = Fix.set(Route, "authorization_type", AnyOf(HTTP_TYPES))
CONNECT = Fix.set(Route, "route_key", _CONNECT).also(
    Route, "authorization_type", AnyOf(WEBSOCKET_TYPES)
)


def _kind(route: Route, ctx: Context[NoParams]) -> ApiKind | None:
    """The API's kind from the graph, else from the route key's shape; None if it can't tell."""
    kinds = {api.api_kind for api in ctx.graph.resolve(route.api, HttpApi)}
    if len(kinds) == 1:
        return kinds.pop()
    key = route.route_key
    if isinstance(key, Known) and key.value != _DEFAULT:
        # HTTP route keys read `GET /path`; WebSocket ones `$connect`, `sendMessage`, ...
        return ApiKind.HTTP if " " in key.value.strip() else ApiKind.WEBSOCKET
    return None


def _websocket_without_connect(api: HttpApi, ctx: Context[NoParams]) -> Verdict:
    """A WebSocket API authorizes on its `$connect` route; without one, every connection is
    accepted. Routes whose key or API is only known at deployment may be that route."""
    if api.api_kind is not ApiKind.WEBSOCKET:
        return not_applicable("HTTP API routes are judged one by one")
    routes = ctx.graph.linked(Route, lambda r: (r.api,), api)
    if any(isinstance(r.route_key, Known) and r.route_key.value == _CONNECT for r in routes):
        return not_applicable("its $connect route is judged on its own")
    maybe = [r for r in routes if isinstance(r.route_key, Unknown)] + [
        r
        for r in ctx.graph.of_kind(Route)
        if is_opaque_text(r.api)
        and not (isinstance(r.route_key, Known) and r.route_key.value != _CONNECT)
    ]
    if maybe:
        return unknown(
            Unknown(
                f"route {maybe[0].name} may be the $connect route of WebSocket API {api.name} "
                "(its key or API is only known at deployment)",
                maybe[0].route_key.at,
            )
        )
    return failed(
        f"WebSocket API {api.name} has no $connect route, so it accepts every connection",
        fix=CONNECT,
    )


@rule(
    id="apigw-http-route-authorization",
    title="HTTP API routes and WebSocket $connect routes require authorization",
    severity=Severity.HIGH,
    domain=Domain.NETWORK,
    rationale=(
        "A route with authorization NONE invokes its integration for anyone who can reach the "
        "API's public endpoint. IAM, a JWT authorizer or a Lambda authorizer makes every "
        "request prove who sent it. A WebSocket API authorizes once, on $connect: the other "
        "routes run inside an authorized connection, and a WebSocket API without a $connect "
        "route accepts every connection. An API key is not authorization."
    ),
    remediation=Remediation(
        cdk="Pass `default_authorizer=` (an `HttpIamAuthorizer`, `HttpJwtAuthorizer` or "
        "`HttpLambdaAuthorizer`) to `apigwv2.HttpApi`, or `authorizer=` on each route "
        "(WebSocket: `connect_route_options` with an authorizer).",
        pulumi="Set `authorization_type` to `AWS_IAM`, `JWT` or `CUSTOM` (with `authorizer_id`) "
        "on `aws.apigatewayv2.Route` (WebSocket: declare the `$connect` route with one).",
        cloudformation="Set `AuthorizationType` on `AWS::ApiGatewayV2::Route` (SAM: "
        "`Auth.DefaultAuthorizer` on `AWS::Serverless::HttpApi`); a WebSocket API needs a "
        "`$connect` route that sets it.",
    ),
    references=(
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-access-control.html",
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-control-access.html",
    ),
    anchors=Anchors(
        fsbp=("APIGateway.8",), cdk_nag=("AwsSolutions-APIG4",), checkov=("CKV_AWS_309",)
    ),
    fixes=(AUTHORIZE, CONNECT),
)
def apigw_http_route_authorization(route: Route | HttpApi, ctx: Context[NoParams]) -> Verdict:
    if isinstance(route, HttpApi):
        return _websocket_without_connect(route, ctx)
    kind = _kind(route, ctx)
    key = route.route_key
    if kind is ApiKind.WEBSOCKET:
        if isinstance(key, Unknown):
            return unknown(key)
        if not (isinstance(key, Known) and key.value == _CONNECT):
            return not_applicable(
                "WebSocket routes other than $connect run on an authorized connection"
            )
    match route.authorization_type:
        case Unknown() as u:
            return unknown(u)
        case Known(value=auth) if auth.upper() != "NONE":
            return passed()
        case Known() | Absent():
            pass
    if kind is None:
        if isinstance(key, Unknown):
            return unknown(key)
        return unknown(
            Unknown("the route's API is not in this stack: HTTP or WebSocket is unknown", key.at)
        )
    label = route.name
    if isinstance(key, Known) and key.value not in label:
        label += f" ({key.value})"
    types = WEBSOCKET_TYPES if kind is ApiKind.WEBSOCKET else HTTP_TYPES
    return failed(
        f"route {label} has no authorization (an API key alone is not authorization)",
        at=route.authorization_type,
        fix=Fix.set(Route, "authorization_type", AnyOf(types)),
    )
