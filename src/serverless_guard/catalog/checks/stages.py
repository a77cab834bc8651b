"""API Gateway stages as messages name them, and the method settings that cover them."""

from __future__ import annotations

from serverless_guard.facts.apigw import ApiKind, HttpApi, MethodSetting, Stage
from serverless_guard.facts.graph import Graph
from serverless_guard.facts.value import Known

_KIND_TEXT = {ApiKind.REST: "REST", ApiKind.HTTP: "HTTP", ApiKind.WEBSOCKET: "WebSocket"}


def api_kind_of(stage: Stage, graph: Graph) -> ApiKind:
    """The kind of the stage's API: REST for v1 stages; for v2 stages, WebSocket when the API
    is a WebSocket API of the stack, else HTTP."""
    if stage.api_kind is ApiKind.REST:
        return ApiKind.REST
    kinds = {api.api_kind for api in graph.resolve(stage.api, HttpApi)}
    return ApiKind.WEBSOCKET if ApiKind.WEBSOCKET in kinds else stage.api_kind


def stage_label(stage: Stage, kind: ApiKind | None = None) -> str:
    """How a message names a stage: `REST API stage prod (ProdStage)`."""
    api = f"{_KIND_TEXT[kind or stage.api_kind]} API stage"
    named = stage.stage_name.value if isinstance(stage.stage_name, Known) else None
    if stage.from_deployment:
        return f"{api} {named or '(unnamed)'} created by deployment {stage.name}"
    if named and named != stage.name:
        return f"{api} {named} ({stage.name})"
    return f"{api} {stage.name}"


def covers_all_methods(setting: MethodSetting) -> bool:
    """A `*` method on the `/*` path: the setting applies to every method (or route)."""
    return setting.resource_path == "/*" and setting.http_method == "*"


def setting_scope(setting: MethodSetting, kind: ApiKind) -> str:
    """`for all methods`, `for GET /orders`, `for route $connect`."""
    if covers_all_methods(setting):
        return "for all routes" if kind is ApiKind.WEBSOCKET else "for all methods"
    if kind is ApiKind.WEBSOCKET:
        return f"for route {setting.resource_path}"
    return f"for {setting.http_method} {setting.resource_path}"
