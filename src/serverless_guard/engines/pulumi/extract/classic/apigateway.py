"""pulumi-aws (classic) API Gateway: REST APIs (v1) and HTTP and WebSocket APIs (v2).

A stage's method settings (`apigateway.MethodSettings`) give a `StageMethodSettings` fact linked
to the stage by reference or by (API, stage name); a REST API's policy
(`apigateway.RestApiPolicy`) gives a `RestApiPolicy` fact. Rules read them through
`facts.apigw.method_settings_of` and `rest_api_policy_of`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence

import yaml

from serverless_guard.engines.cloudformation.extract.openapi import (
    document_policy,
    document_vpc_endpoint_ids,
    parse_body,
    rest_methods,
    v2_routes,
)
from serverless_guard.engines.props import Props, link_text
from serverless_guard.engines.pulumi.extract.base import Extractor, PulumiView
from serverless_guard.engines.pulumi.extract.classic.common import (
    identity,
    literal,
    own_link,
    policy_input,
)
from serverless_guard.engines.pulumi.resolve import plain
from serverless_guard.facts.apigw import (
    ApiKind,
    DomainName,
    HttpApi,
    MethodSetting,
    RestApi,
    RestApiPolicy,
    RestMethod,
    Route,
    Stage,
    StageMethodSettings,
)
from serverless_guard.facts.base import Resource
from serverless_guard.facts.value import Absent, Known, Unknown, Value


def _body(view: PulumiView) -> Props | Unknown | Absent:
    """An API's OpenAPI `body` (a JSON or YAML string, unknown during preview when computed)."""
    node = plain(view.resource.props.get("body"))
    if isinstance(node, str):
        try:
            node = json.loads(node)
        except ValueError:
            try:
                node = yaml.safe_load(node)
            except yaml.YAMLError:
                return Unknown("body is neither JSON nor YAML", ("body",))
    return parse_body(node, ("body",))


def rest_api(view: PulumiView) -> Iterable[Resource]:
    """The endpoint type, VPC endpoints and policy come from the inputs, else from the OpenAPI
    body's import parameters and extensions."""
    props = view.props
    body = _body(view)
    endpoint = props.child("endpointConfiguration")
    types = endpoint.strings("types") if isinstance(endpoint, Props) else endpoint
    if isinstance(types, Absent):
        parameters = props.child("parameters")
        if isinstance(parameters, Props) and "endpointConfigurationTypes" in parameters:
            types = parameters.strings("endpointConfigurationTypes")
    vpc_endpoints = endpoint.strings("vpcEndpointIds") if isinstance(endpoint, Props) else endpoint
    if isinstance(vpc_endpoints, Absent):
        from_body = document_vpc_endpoint_ids(body)
        vpc_endpoints = vpc_endpoints if isinstance(from_body, Absent) else from_body
    policy = policy_input(view, "policy")
    if isinstance(policy, Absent):
        in_body = document_policy(body)
        policy = policy if isinstance(in_body, Absent) else in_body
    ident = view.identity()
    yield RestApi(**ident, endpoint_types=types, vpc_endpoint_ids=vpc_endpoints, policy=policy)
    yield from rest_methods(body, ident, own_link(view), view.resource.name)


def rest_api_policy(view: PulumiView) -> Iterable[Resource]:
    yield RestApiPolicy(
        **view.identity(),
        api=link_text(view.props.link("restApiId"), "API"),
        document=policy_input(view, "policy"),
    )


def method(view: PulumiView) -> Iterable[Resource]:
    props = view.props
    yield RestMethod(
        **view.identity(),
        api=link_text(props.link("restApi"), "API"),
        http_method=props.string("httpMethod"),
        authorization_type=props.string("authorization"),
    )


def stage(view: PulumiView) -> Iterable[Resource]:
    """A REST API stage; its method settings are separate resources (`method_settings`)."""
    props = view.props
    log = props.child("accessLogSettings")
    yield Stage(
        **view.identity(),
        api_kind=ApiKind.REST,
        api=link_text(props.link("restApi"), "API"),
        access_log_destination=log.link("destinationArn") if isinstance(log, Props) else log,
        method_settings=Absent(()),
        tracing=props.boolean("xrayTracingEnabled"),
        cache_cluster=props.boolean("cacheClusterEnabled"),
        stage_name=_stage_name(view, "stageName"),
    )


def _stage_name(view: PulumiView, key: str) -> Value[str]:
    name = literal(view, key)
    return Known(name, (key,)) if name is not None else view.props.string(key)


def _method_path(path: str) -> tuple[str, str]:
    """`*/*` -> (`/*`, `*`); `orders/{id}/GET` -> (`/orders/{id}`, `GET`)."""
    resource, _, http_method = path.strip().rpartition("/")
    return "/" + resource.lstrip("/"), http_method or "*"


def method_settings(view: PulumiView) -> Iterable[Resource]:
    """`apigateway.MethodSettings`: settings of one stage for all methods (`*/*`) or for one
    (`<resource path>/<HTTP method>`)."""
    props = view.props
    path = props.string("methodPath")
    settings_node = props.child("settings")
    listed: Value[tuple[MethodSetting, ...]]
    if isinstance(path, Unknown):
        listed = path
    elif isinstance(settings_node, Unknown):
        listed = settings_node
    else:
        resource_path, http_method = _method_path(path.value if isinstance(path, Known) else "*/*")
        values = settings_node if isinstance(settings_node, Props) else Props({}, ("settings",))
        listed = Known(
            (
                MethodSetting(
                    resource_path=resource_path,
                    http_method=http_method,
                    logging_level=values.string("loggingLevel"),
                    data_trace=values.boolean("dataTraceEnabled"),
                    caching=values.boolean("cachingEnabled"),
                    cache_encrypted=values.boolean("cacheDataEncrypted"),
                ),
            ),
            ("settings",),
        )
    yield StageMethodSettings(
        **view.identity(),
        api=link_text(props.link("restApi"), "API"),
        stage=link_text(props.link("stageName"), "stage"),
        settings=listed,
    )


def domain_name(view: PulumiView) -> Iterable[Resource]:
    yield DomainName(
        **identity(view, "domainName"),
        api_kind=ApiKind.REST,
        security_policy=view.props.string("securityPolicy"),
    )


def v2_api(view: PulumiView) -> Iterable[Resource]:
    props = view.props
    protocol = props.string("protocolType")
    kind = (
        ApiKind.WEBSOCKET
        if isinstance(protocol, Known) and protocol.value.upper() == "WEBSOCKET"
        else ApiKind.HTTP
    )
    ident = view.identity()
    own = own_link(view)
    yield HttpApi(**ident, api_kind=kind)
    if "target" in props:  # quick create: a route (`$default` unless `routeKey`) with no auth
        key = props.string("routeKey")
        yield Route(
            **{**ident, "at": ("target",)},
            api=own,
            route_key=key if not isinstance(key, Absent) else Known("$default", ("target",)),
            authorization_type=Absent(("target",)),
        )
    yield from v2_routes(_body(view), ident, own, view.resource.name)


def v2_route(view: PulumiView) -> Iterable[Resource]:
    props = view.props
    yield Route(
        **view.identity(),
        api=link_text(props.link("apiId"), "API"),
        route_key=props.string("routeKey"),
        authorization_type=props.string("authorizationType"),
    )


def _route_setting(settings: Props, route_key: str = "/*") -> MethodSetting:
    return MethodSetting(
        resource_path=route_key,
        http_method="*",
        logging_level=settings.string("loggingLevel"),
        data_trace=settings.boolean("dataTraceEnabled"),
    )


def _route_settings(props: Props) -> Value[tuple[MethodSetting, ...]]:
    """A v2 stage's default route settings (for all routes) and its per-route settings."""
    if "defaultRouteSettings" not in props and "routeSettings" not in props:
        return Absent(props.path("defaultRouteSettings"))
    out: list[MethodSetting] = []
    default = props.child("defaultRouteSettings")
    if isinstance(default, Unknown):
        return default
    if isinstance(default, Props):
        out.append(_route_setting(default))
    raw = props.raw("routeSettings")
    if raw is not None:
        if not isinstance(raw, Sequence) or isinstance(raw, str):
            return Unknown("route settings built at deployment", props.path("routeSettings"))
        for index, item in enumerate(raw):
            at = props.path("routeSettings", index)
            if not isinstance(item, Mapping):
                return Unknown("route setting built at deployment", at)
            setting = Props(item, at)
            key = setting.string("routeKey")
            if isinstance(key, Unknown):
                return key
            out.append(_route_setting(setting, key.value if isinstance(key, Known) else "/*"))
    first = "defaultRouteSettings" if "defaultRouteSettings" in props else "routeSettings"
    return Known(tuple(out), props.path(first))


def v2_stage(view: PulumiView) -> Iterable[Resource]:
    props = view.props
    log = props.child("accessLogSettings")
    yield Stage(
        **view.identity(),
        api_kind=ApiKind.HTTP,
        api=link_text(props.link("apiId"), "API"),
        access_log_destination=log.link("destinationArn") if isinstance(log, Props) else log,
        method_settings=_route_settings(props),
        stage_name=_stage_name(view, "name"),
    )


def v2_domain_name(view: PulumiView) -> Iterable[Resource]:
    config = view.props.child("domainNameConfiguration")
    yield DomainName(
        **identity(view, "domainName"),
        api_kind=ApiKind.HTTP,
        security_policy=config.string("securityPolicy") if isinstance(config, Props) else config,
    )


EXTRACTORS: dict[str, Extractor] = {
    "aws:apigateway/restApi:RestApi": rest_api,
    "aws:apigateway/restApiPolicy:RestApiPolicy": rest_api_policy,
    "aws:apigateway/method:Method": method,
    "aws:apigateway/stage:Stage": stage,
    "aws:apigateway/methodSettings:MethodSettings": method_settings,
    "aws:apigateway/domainName:DomainName": domain_name,
    "aws:apigatewayv2/api:Api": v2_api,
    "aws:apigatewayv2/route:Route": v2_route,
    "aws:apigatewayv2/stage:Stage": v2_stage,
    "aws:apigatewayv2/domainName:DomainName": v2_domain_name,
}
