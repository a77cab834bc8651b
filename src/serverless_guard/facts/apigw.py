"""API Gateway facts: REST, HTTP and WebSocket APIs, their stages, methods, routes and domains."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from serverless_guard.facts.base import Resource
from serverless_guard.facts.policy import PolicyDocument
from serverless_guard.facts.value import Absent, Value


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
    REST deployment creates by itself (its `StageName`). For v2 stages, `method_settings` holds
    the default route settings (as an all-methods `*/*` setting) and one setting per route key
    (`resource_path` is the route key)."""

    api_kind: ApiKind
    api: str
    access_log_destination: Value[str] = field(default_factory=Absent)
    method_settings: Value[tuple[MethodSetting, ...]] = field(default_factory=Absent)
    tracing: Value[bool] = field(default_factory=Absent)
    cache_cluster: Value[bool] = field(default_factory=Absent)
    stage_name: Value[str] = field(default_factory=Absent)
    from_deployment: bool = False


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
