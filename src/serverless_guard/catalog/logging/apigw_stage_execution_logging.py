from __future__ import annotations

from serverless_guard.catalog.checks.stages import (
    api_kind_of,
    covers_all_methods,
    setting_scope,
    stage_label,
)
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
from serverless_guard.facts.apigw import ApiKind, MethodSetting, Stage, method_settings_of
from serverless_guard.facts.value import Absent, Known, Unknown

LOGGING_LEVELS = ("ERROR", "INFO")
LOG_EXECUTION = Fix.set(MethodSetting, "logging_level", AnyOf(LOGGING_LEVELS))


@rule(
    id="apigw-stage-execution-logging",
    title="REST and WebSocket API stages log execution at ERROR or INFO level for all methods",
    severity=Severity.LOW,
    domain=Domain.LOGGING,
    rationale=(
        "Execution logs record what API Gateway did with each request: authorizer decisions, "
        "integration errors, throttling. Without them, failed or rejected calls leave no trace "
        "to debug or investigate. The setting must cover all methods (the `/*` path and `*` "
        "method, or a WebSocket stage's default route settings); a per-method setting that "
        "turns logging off leaves that method unlogged. HTTP APIs have no execution logs."
    ),
    remediation=Remediation(
        cdk="Set `deploy_options=apigw.StageOptions(logging_level="
        "apigw.MethodLoggingLevel.ERROR)` (or INFO) on the REST API (PrivateRestApi does this).",
        pulumi="Declare `aws.apigateway.MethodSettings(method_path='*/*', settings="
        "{'logging_level': 'ERROR'})` for the stage; for WebSocket stages set "
        "`default_route_settings.logging_level` on `aws.apigatewayv2.Stage`.",
        cloudformation="Add a `MethodSettings` entry with `ResourcePath: /*`, `HttpMethod: '*'` "
        "and `LoggingLevel: ERROR` (or INFO) to `AWS::ApiGateway::Stage` (SAM: "
        "`MethodSettings` on `AWS::Serverless::Api`); for WebSocket stages set "
        "`DefaultRouteSettings.LoggingLevel` on `AWS::ApiGatewayV2::Stage`. The account needs "
        "an API Gateway CloudWatch role (`AWS::ApiGateway::Account`).",
    ),
    references=(
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html",
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-logging.html",
    ),
    anchors=Anchors(
        fsbp=("APIGateway.1",),
        cdk_nag=("AwsSolutions-APIG6", "NIST.800.53.R5-APIGWExecutionLoggingEnabled"),
    ),
    fixes=(LOG_EXECUTION,),
)
def apigw_stage_execution_logging(stage: Stage, ctx: Context[NoParams]) -> Verdict:
    kind = api_kind_of(stage, ctx.graph)
    if kind is ApiKind.HTTP:
        return not_applicable("HTTP APIs have no execution logs")
    label = stage_label(stage, kind)
    listed = method_settings_of(stage, ctx.graph)
    match listed:
        case Unknown() as u:
            return unknown(u)
        case Absent():
            return failed(f"{label} has no execution logging", at=listed, fix=LOG_EXECUTION)
        case Known(value=settings):
            pass
    for setting in settings:
        level = setting.logging_level
        if (
            not covers_all_methods(setting)
            and isinstance(level, Known)
            and level.value.upper() not in LOGGING_LEVELS
        ):
            return failed(
                f"{label} turns execution logging down to level {level.value} "
                f"{setting_scope(setting, kind)}",
                at=level,
                fix=LOG_EXECUTION,
            )
    levels = [s.logging_level for s in settings if covers_all_methods(s)]
    for level in levels:
        if isinstance(level, Known) and level.value.upper() not in LOGGING_LEVELS:
            return failed(
                f"{label} logs execution at level {level.value}", at=level, fix=LOG_EXECUTION
            )
    if not any(isinstance(level, Known | Unknown) for level in levels):
        return failed(
            f"{label} has no execution logging {setting_scope(MethodSetting(), kind)}",
            at=listed,
            fix=LOG_EXECUTION,
        )
    for setting in settings:
        if isinstance(setting.logging_level, Unknown):
            return unknown(setting.logging_level)
    return passed()
