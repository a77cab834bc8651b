from __future__ import annotations

from serverless_guard.catalog.checks.stages import api_kind_of, setting_scope, stage_label
from serverless_guard.catalog.fix import Fix
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
from serverless_guard.facts.apigw import ApiKind, MethodSetting, Stage, method_settings_of
from serverless_guard.facts.value import Absent, Known, Unknown

NO_DATA_TRACE = Fix.set(MethodSetting, "data_trace", False)


@rule(
    id="apigw-no-data-trace",
    title="REST and WebSocket API stages do not log full request and response data",
    severity=Severity.MEDIUM,
    domain=Domain.LOGGING,
    rationale=(
        "Data tracing writes the full body and headers of every request and response to "
        "CloudWatch Logs: credentials, tokens and personal data end up in logs that many more "
        "people can read, and are kept as long as the log group keeps them. AWS advises against "
        "it in production. Use access and execution logs, which record the call without its "
        "payload. HTTP APIs have no data tracing."
    ),
    remediation=Remediation(
        cdk="Leave `data_trace_enabled` unset (or False) in the REST API's `deploy_options` and "
        "method options (PrivateRestApi does).",
        pulumi="Set `settings.data_trace_enabled=False` on `aws.apigateway.MethodSettings` (and "
        "`default_route_settings.data_trace_enabled=False` on WebSocket `aws.apigatewayv2.Stage`).",
        cloudformation="Remove `DataTraceEnabled: true` from the stage's `MethodSettings` (SAM: "
        "the API's `MethodSettings`), from a deployment's `StageDescription`, or from a "
        "WebSocket stage's `DefaultRouteSettings` and `RouteSettings`.",
    ),
    references=(
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html",
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-logging.html",
    ),
    anchors=Anchors(checkov=("CKV_AWS_276",)),
    fixes=(NO_DATA_TRACE,),
)
def apigw_no_data_trace(stage: Stage, ctx: Context[NoParams]) -> Verdict:
    kind = api_kind_of(stage, ctx.graph)
    if kind is ApiKind.HTTP:
        return not_applicable("HTTP APIs have no data tracing")
    match method_settings_of(stage, ctx.graph):
        case Unknown() as u:
            return unknown(u)
        case Absent():
            return passed()
        case Known(value=settings):
            pass
    for setting in settings:
        if isinstance(setting.data_trace, Known) and setting.data_trace.value:
            return failed(
                f"{stage_label(stage, kind)} logs full request and response data "
                f"{setting_scope(setting, kind)}",
                at=setting.data_trace,
                fix=NO_DATA_TRACE,
            )
    for setting in settings:
        if isinstance(setting.data_trace, Unknown):
            return unknown(setting.data_trace)
    return passed()
