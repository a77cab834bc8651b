"""API Gateway REST (v1) and HTTP/WebSocket (v2) resources."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

from serverless_guard.engines.cloudformation.extract.base import CfnResource, Extractor
from serverless_guard.engines.cloudformation.extract.openapi import (
    body_policy,
    body_vpc_endpoint_ids,
    rest_body_methods,
    v2_body_routes,
)
from serverless_guard.engines.policy_document import policy_document
from serverless_guard.engines.props import Props, link_text
from serverless_guard.facts.apigw import (
    ApiKind,
    DomainName,
    HttpApi,
    ManagedStageOverrides,
    MethodSetting,
    RestApi,
    RestMethod,
    Route,
    Stage,
)
from serverless_guard.facts.base import Resource
from serverless_guard.facts.value import Absent, Known, Unknown, Value


def rest_api(res: CfnResource) -> Iterable[Resource]:
    """The endpoint type, VPC endpoints and policy come from the properties, else from the
    OpenAPI body's import parameters and extensions (as SAM writes them)."""
    props = res.props
    endpoint = props.child("EndpointConfiguration")
    types = endpoint.strings("Types") if isinstance(endpoint, Props) else endpoint
    if isinstance(types, Absent):
        parameters = props.child("Parameters")
        if isinstance(parameters, Props) and "endpointConfigurationTypes" in parameters:
            types = parameters.strings("endpointConfigurationTypes")
    vpc_endpoints = endpoint.strings("VpcEndpointIds") if isinstance(endpoint, Props) else endpoint
    if isinstance(vpc_endpoints, Absent):
        from_body = body_vpc_endpoint_ids(res)
        vpc_endpoints = vpc_endpoints if isinstance(from_body, Absent) else from_body
    policy = policy_document(props.raw("Policy"), ("Policy",))
    if isinstance(policy, Absent):
        in_body = body_policy(res)
        policy = policy if isinstance(in_body, Absent) else in_body
    yield RestApi(
        **res.identity(name_property=None, extra_aliases=(f"${{{res.id}.RestApiId}}",)),
        endpoint_types=types,
        vpc_endpoint_ids=vpc_endpoints,
        policy=policy,
    )
    yield from rest_body_methods(res)


def method(res: CfnResource) -> Iterable[Resource]:
    props = res.props
    yield RestMethod(
        **res.identity(),
        api=link_text(props.link("RestApiId"), "API"),
        http_method=props.string("HttpMethod"),
        authorization_type=props.string("AuthorizationType"),
    )


def _method_settings(props: Props, key: str) -> Value[tuple[MethodSetting, ...]]:
    if key not in props:
        return Absent(props.path(key))
    raw = props.raw(key)
    if not isinstance(raw, list):
        return Unknown("method settings built at deployment", props.path(key))
    settings = tuple(
        MethodSetting(
            resource_path=str(item.raw("ResourcePath") or "/*"),
            http_method=str(item.raw("HttpMethod") or "*"),
            logging_level=item.string("LoggingLevel"),
            data_trace=item.boolean("DataTraceEnabled"),
            caching=item.boolean("CachingEnabled"),
            cache_encrypted=item.boolean("CacheDataEncrypted"),
        )
        for item in props.children(key)
    )
    return Known(settings, props.path(key))


def stage(res: CfnResource) -> Iterable[Resource]:
    props = res.props
    log = props.child("AccessLogSetting")
    yield Stage(
        **res.identity(),
        api_kind=ApiKind.REST,
        api=link_text(props.link("RestApiId"), "API"),
        access_log_destination=log.link("DestinationArn") if isinstance(log, Props) else log,
        method_settings=_method_settings(props, "MethodSettings"),
        tracing=props.boolean("TracingEnabled"),
        cache_cluster=props.boolean("CacheClusterEnabled"),
        stage_name=props.string("StageName"),
    )


def deployment(res: CfnResource) -> Iterable[Resource]:
    """A deployment with a StageName creates that stage, configured by StageDescription."""
    props = res.props
    if "StageName" not in props:
        return
    description = props.child("StageDescription")
    api = link_text(props.link("RestApiId"), "API")
    if not isinstance(description, Props):
        yield Stage(
            **res.identity(),
            api_kind=ApiKind.REST,
            api=api,
            access_log_destination=description,
            method_settings=description,
            tracing=description,
            cache_cluster=description,
            stage_name=props.string("StageName"),
            from_deployment=True,
        )
        return
    log = description.child("AccessLogSetting")
    default = MethodSetting(
        logging_level=description.string("LoggingLevel"),
        data_trace=description.boolean("DataTraceEnabled"),
        caching=description.boolean("CachingEnabled"),
        cache_encrypted=description.boolean("CacheDataEncrypted"),
    )
    listed = _method_settings(description, "MethodSettings")
    settings: Value[tuple[MethodSetting, ...]]
    if isinstance(listed, Known):
        settings = Known((default, *listed.value), description.at)
    elif isinstance(listed, Unknown):
        settings = listed
    else:
        settings = Known((default,), description.at)
    yield Stage(
        **res.identity(),
        api_kind=ApiKind.REST,
        api=api,
        access_log_destination=log.link("DestinationArn") if isinstance(log, Props) else log,
        method_settings=settings,
        tracing=description.boolean("TracingEnabled"),
        cache_cluster=description.boolean("CacheClusterEnabled"),
        stage_name=props.string("StageName"),
        from_deployment=True,
    )


def domain_name(res: CfnResource) -> Iterable[Resource]:
    yield DomainName(
        **res.identity(name_property="DomainName"),
        api_kind=ApiKind.REST,
        security_policy=res.props.string("SecurityPolicy"),
    )


def v2_api(res: CfnResource) -> Iterable[Resource]:
    props = res.props
    protocol = props.string("ProtocolType")
    kind = (
        ApiKind.WEBSOCKET
        if isinstance(protocol, Known) and protocol.value.upper() == "WEBSOCKET"
        else ApiKind.HTTP
    )
    ident = res.identity(extra_aliases=(f"${{{res.id}.ApiId}}",))
    yield HttpApi(**ident, api_kind=kind)
    if "Target" in props:  # quick create: a $default route with no authorization, and a
        # $default stage without access logs or route settings
        implicit = {**ident, "at": ("Target",)}
        yield Route(
            **implicit,
            api=f"${{{res.id}}}",
            route_key=Known("$default", ("Target",)),
            authorization_type=Absent(("Target",)),
        )
        yield Stage(
            **implicit,
            api_kind=ApiKind.HTTP,
            api=f"${{{res.id}}}",
            access_log_destination=Absent(("Target",)),
            method_settings=Absent(("Target",)),
            stage_name=Known("$default", ("Target",)),
            quick_create=True,
        )
    yield from v2_body_routes(res)


def v2_route(res: CfnResource) -> Iterable[Resource]:
    props = res.props
    yield Route(
        **res.identity(),
        api=link_text(props.link("ApiId"), "API"),
        route_key=props.string("RouteKey"),
        authorization_type=props.string("AuthorizationType"),
    )


def _route_setting(settings: Props, route_key: str = "/*") -> MethodSetting:
    return MethodSetting(
        resource_path=route_key,
        http_method="*",
        logging_level=settings.string("LoggingLevel"),
        data_trace=settings.boolean("DataTraceEnabled"),
    )


def _route_settings(props: Props) -> Value[tuple[MethodSetting, ...]]:
    """A v2 stage's default route settings (for all routes) and its per-route settings."""
    if "DefaultRouteSettings" not in props and "RouteSettings" not in props:
        return Absent(props.path("DefaultRouteSettings"))
    out: list[MethodSetting] = []
    default = props.child("DefaultRouteSettings")
    if isinstance(default, Unknown):
        return default
    if isinstance(default, Props):
        out.append(_route_setting(default))
    raw = props.raw("RouteSettings")
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            return Unknown("RouteSettings is not JSON", props.path("RouteSettings"))
    if raw is not None:
        if not isinstance(raw, Mapping):
            return Unknown("route settings built at deployment", props.path("RouteSettings"))
        routes = Props(raw, props.path("RouteSettings"))
        for route_key in raw:
            setting = routes.child(str(route_key))
            if isinstance(setting, Props):
                out.append(_route_setting(setting, str(route_key)))
    first = "DefaultRouteSettings" if "DefaultRouteSettings" in props else "RouteSettings"
    return Known(tuple(out), props.path(first))


def v2_stage(res: CfnResource) -> Iterable[Resource]:
    props = res.props
    log = props.child("AccessLogSettings")
    yield Stage(
        **res.identity(),
        api_kind=ApiKind.HTTP,
        api=link_text(props.link("ApiId"), "API"),
        access_log_destination=log.link("DestinationArn") if isinstance(log, Props) else log,
        method_settings=_route_settings(props),
        stage_name=props.string("StageName"),
    )


def v2_domain_name(res: CfnResource) -> Iterable[Resource]:
    props = res.props
    ident = res.identity(name_property="DomainName")
    configs = list(props.children("DomainNameConfigurations"))
    if not configs:
        yield DomainName(
            **ident, api_kind=ApiKind.HTTP, security_policy=Absent(("DomainNameConfigurations",))
        )
    for config in configs:
        yield DomainName(
            **{**ident, "at": config.at},
            api_kind=ApiKind.HTTP,
            security_policy=config.string("SecurityPolicy"),
        )


def v2_managed_overrides(res: CfnResource) -> Iterable[Resource]:
    props = res.props
    stage = props.child("Stage")
    log = stage.child("AccessLogSettings") if isinstance(stage, Props) else stage
    yield ManagedStageOverrides(
        **res.identity(),
        api=link_text(props.link("ApiId"), "API"),
        access_log_destination=log.link("DestinationArn") if isinstance(log, Props) else log,
    )


EXTRACTORS: dict[str, Extractor] = {
    "AWS::ApiGateway::RestApi": rest_api,
    "AWS::ApiGateway::Method": method,
    "AWS::ApiGateway::Stage": stage,
    "AWS::ApiGateway::Deployment": deployment,
    "AWS::ApiGateway::DomainName": domain_name,
    "AWS::ApiGatewayV2::Api": v2_api,
    "AWS::ApiGatewayV2::Route": v2_route,
    "AWS::ApiGatewayV2::Stage": v2_stage,
    "AWS::ApiGatewayV2::ApiGatewayManagedOverrides": v2_managed_overrides,
    "AWS::ApiGatewayV2::DomainName": v2_domain_name,
}
