"""API Gateway facts: REST, HTTP and WebSocket APIs, their stages, methods, routes and domains."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from serverless_guard.facts.base import Resource
from serverless_guard.facts.graph import Graph
from serverless_guard.facts.nodes import is_opaque_text
from serverless_guard.facts.policy import PolicyDocument
from serverless_guard.facts.value import Absent, Known, Unknown, Value


class ApiKind(StrEnum):
    REST = "rest"
    HTTP = "http"
    WEBSOCKET = "websocket"


@dataclass(frozen=True, slots=True, kw_only=True)
class RestApi(Resource):
    endpoint_types: Value[tuple[str, ...]] = field(default_factory=Absent)
    vpc_endpoint_ids: Value[tuple[str, ...]] = field(default_factory=Absent)
    policy: Value[PolicyDocument] = field(default_factory=Absent)


@dataclass(frozen=True, slots=True, kw_only=True)
class RestMethod(Resource):
    """One method of a REST API, declared as a resource or in the API's OpenAPI body."""

    api: str
    http_method: Value[str] = field(default_factory=Absent)
    authorization_type: Value[str] = field(default_factory=Absent)


@dataclass(frozen=True, slots=True, kw_only=True)
class MethodSetting:
    """A stage's method setting; `*/*` paths apply to all methods."""

    resource_path: str = "/*"
    http_method: str = "*"
    logging_level: Value[str] = field(default_factory=Absent)
    data_trace: Value[bool] = field(default_factory=Absent)
    caching: Value[bool] = field(default_factory=Absent)
    cache_encrypted: Value[bool] = field(default_factory=Absent)


@dataclass(frozen=True, slots=True, kw_only=True)
class Stage(Resource):
    """A stage of a REST API (`api_kind` REST) or of an API Gateway v2 API (`api_kind` HTTP;
    whether that API is in fact a WebSocket API is read through the graph).

    `stage_name` is the stage's own name (`prod`), `from_deployment` is true for the stage a
    REST deployment creates by itself (its `StageName`), `quick_create` for the `$default` stage
    an HTTP API's quick create (its `Target`) creates by itself. For v2 stages,
    `method_settings` holds the default route settings (as an all-methods `*/*` setting) and one
    setting per route key (`resource_path` is the route key)."""

    api_kind: ApiKind
    api: str
    access_log_destination: Value[str] = field(default_factory=Absent)
    method_settings: Value[tuple[MethodSetting, ...]] = field(default_factory=Absent)
    tracing: Value[bool] = field(default_factory=Absent)
    cache_cluster: Value[bool] = field(default_factory=Absent)
    stage_name: Value[str] = field(default_factory=Absent)
    from_deployment: bool = False
    quick_create: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class ManagedStageOverrides(Resource):
    """Settings of the `$default` stage that an HTTP API's quick create manages
    (`AWS::ApiGatewayV2::ApiGatewayManagedOverrides`), linked to the API by `api`."""

    api: str
    access_log_destination: Value[str] = field(default_factory=Absent)


@dataclass(frozen=True, slots=True, kw_only=True)
class HttpApi(Resource):
    """An HTTP or WebSocket API (API Gateway v2)."""

    api_kind: ApiKind


@dataclass(frozen=True, slots=True, kw_only=True)
class Route(Resource):
    """A route of an HTTP or WebSocket API (the API's kind is read through the graph)."""

    api: str
    route_key: Value[str] = field(default_factory=Absent)
    authorization_type: Value[str] = field(default_factory=Absent)


@dataclass(frozen=True, slots=True, kw_only=True)
class DomainName(Resource):
    api_kind: ApiKind
    security_policy: Value[str] = field(default_factory=Absent)


@dataclass(frozen=True, slots=True, kw_only=True)
class RestApiPolicy(Resource):
    """A REST API's resource policy declared apart from the API (pulumi-aws
    `aws.apigateway.RestApiPolicy`); `api` links the API."""

    api: str
    document: Value[PolicyDocument] = field(default_factory=Absent)


@dataclass(frozen=True, slots=True, kw_only=True)
class StageMethodSettings(Resource):
    """Method settings of a REST API stage declared apart from the stage (pulumi-aws
    `aws.apigateway.MethodSettings`). `api` links the REST API; `stage` is the stage's name or
    a link to the stage resource."""

    api: str
    stage: str
    settings: Value[tuple[MethodSetting, ...]] = field(default_factory=Absent)


def _applies_to(settings: StageMethodSettings, stage: Stage, graph: Graph) -> bool:
    if graph.canonical(settings.stage) in {graph.canonical(a) for a in stage.aliases}:
        return True
    name = stage.stage_name
    return (
        isinstance(name, Known)
        and graph.canonical(settings.stage) == name.value
        and graph.canonical(settings.api) == graph.canonical(stage.api)
    )


def method_settings_of(stage: Stage, graph: Graph) -> Value[tuple[MethodSetting, ...]]:
    """All method settings of a stage: its own, then those declared apart from it. When the
    stage has none, settings for a stage only known at deployment (of the stage's API or of an
    API only known at deployment) may be its own: unknown."""
    linked = [s for s in graph.of_kind(StageMethodSettings) if _applies_to(s, stage, graph)]
    if not linked and isinstance(stage.method_settings, Absent):
        for other in graph.of_kind(StageMethodSettings):
            api = graph.canonical(other.api)
            if is_opaque_text(other.stage) and (
                is_opaque_text(api) or api == graph.canonical(stage.api)
            ):
                return Unknown(
                    f"method settings {other.name} apply to a stage only known at deployment",
                    other.settings.at,
                )
    if not linked:
        return stage.method_settings
    own = stage.method_settings
    if isinstance(own, Unknown):
        return own
    out = list(own.value) if isinstance(own, Known) else []
    for found in linked:
        if isinstance(found.settings, Unknown):
            return found.settings
        if isinstance(found.settings, Known):
            out.extend(found.settings.value)
    at = own.at if isinstance(own, Known) else linked[0].settings.at
    return Known(tuple(out), at)


def rest_api_policy_of(api: RestApi, graph: Graph) -> Value[PolicyDocument]:
    """A REST API's resource policy: its own, else one declared apart from it."""
    if not isinstance(api.policy, Absent):
        return api.policy
    linked = graph.linked(RestApiPolicy, lambda p: (p.api,), api)
    return linked[0].document if linked else api.policy
