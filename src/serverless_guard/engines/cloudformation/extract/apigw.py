"""API Gateway REST (v1) and HTTP/WebSocket (v2) resources."""

from __future__ import annotations

from collections.abc import Iterable

from serverless_guard.engines.cloudformation.extract.base import CfnResource, Extractor
from serverless_guard.engines.cloudformation.extract.openapi import (
    rest_body_methods,
    v2_body_routes,
)
from serverless_guard.engines.policy_document import policy_document
from serverless_guard.engines.props import Props
from serverless_guard.facts.apigw import (
    ApiKind,
    DomainName,
    HttpApi,
    MethodSetting,
    RestApi,
    RestMethod,
    Route,
    Stage,
)
from serverless_guard.facts.base import Resource
from serverless_guard.facts.nodes import Opaque
from serverless_guard.facts.value import Absent, Known, Unknown, Value


def _link(value: Value[str]) -> str:
    return value.value if isinstance(value, Known) else Opaque("API").render()


def rest_api(res: CfnResource) -> Iterable[Resource]:
    props = res.props
    endpoint = props.child("EndpointConfiguration")
    yield RestApi(
        **res.identity(name_property=None, extra_aliases=(f"${{{res.id}.RestApiId}}",)),
        endpoint_types=endpoint.strings("Types") if isinstance(endpoint, Props) else endpoint,
        vpc_endpoint_ids=endpoint.strings("VpcEndpointIds")
        if isinstance(endpoint, Props)
        else endpoint,
        policy=policy_document(props.raw("Policy"), ("Policy",)),
    )
    yield from rest_body_methods(res)


def method(res: CfnResource) -> Iterable[Resource]:
    props = res.props
    yield RestMethod(
        **res.identity(),
        api=_link(props.link("RestApiId")),
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
        api=_link(props.link("RestApiId")),
        access_log_destination=log.link("DestinationArn") if isinstance(log, Props) else log,
        method_settings=_method_settings(props, "MethodSettings"),
        tracing=props.boolean("TracingEnabled"),
        cache_cluster=props.boolean("CacheClusterEnabled"),
    )


def deployment(res: CfnResource) -> Iterable[Resource]:
    """A deployment with a StageName creates that stage, configured by StageDescription."""
    props = res.props
    if "StageName" not in props:
        return
    description = props.child("StageDescription")
    api = _link(props.link("RestApiId"))
    if not isinstance(description, Props):
        yield Stage(
            **res.identity(),
            api_kind=ApiKind.REST,
            api=api,
            access_log_destination=description,
            method_settings=description,
            tracing=description,
            cache_cluster=description,
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
    if "Target" in props:  # quick create: a $default route with no authorization
        yield Route(
            **{**ident, "at": ("Target",)},
            api=f"${{{res.id}}}",
            route_key=Known("$default", ("Target",)),
            authorization_type=Absent(("Target",)),
        )
    yield from v2_body_routes(res)


def v2_route(res: CfnResource) -> Iterable[Resource]:
    props = res.props
    yield Route(
        **res.identity(),
        api=_link(props.link("ApiId")),
        route_key=props.string("RouteKey"),
        authorization_type=props.string("AuthorizationType"),
    )


def v2_stage(res: CfnResource) -> Iterable[Resource]:
    props = res.props
    log = props.child("AccessLogSettings")
    yield Stage(
        **res.identity(),
        api_kind=ApiKind.HTTP,
        api=_link(props.link("ApiId")),
        access_log_destination=log.link("DestinationArn") if isinstance(log, Props) else log,
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


EXTRACTORS: dict[str, Extractor] = {
    "AWS::ApiGateway::RestApi": rest_api,
    "AWS::ApiGateway::Method": method,
    "AWS::ApiGateway::Stage": stage,
    "AWS::ApiGateway::Deployment": deployment,
    "AWS::ApiGateway::DomainName": domain_name,
    "AWS::ApiGatewayV2::Api": v2_api,
    "AWS::ApiGatewayV2::Route": v2_route,
    "AWS::ApiGatewayV2::Stage": v2_stage,
    "AWS::ApiGatewayV2::DomainName": v2_domain_name,
}
