from __future__ import annotations

from serverless_guard.catalog.checks.stages import api_kind_of, stage_label
from serverless_guard.catalog.fix import Choice, Fix
from serverless_guard.catalog.params import NoParams
from serverless_guard.catalog.rule import (
    Anchors,
    Context,
    Domain,
    Remediation,
    Severity,
    Verdict,
    failed,
    passed,
    rule,
)
from serverless_guard.facts.apigw import HttpApi, ManagedStageOverrides, Stage
from serverless_guard.facts.graph import Graph
from serverless_guard.facts.value import Known, Unknown

ACCESS_LOGS = Fix.set(Stage, "access_log_destination", Choice("a log group's ARN"))


def _managed_overrides(stage: Stage, graph: Graph) -> list[ManagedStageOverrides]:
    """The managed overrides of the API whose quick create made `stage`."""
    return [
        overrides
        for api in graph.resolve(stage.api, HttpApi)
        for overrides in graph.linked(ManagedStageOverrides, lambda o: (o.api,), api)
    ]


@rule(
    id="apigw-stage-access-logging",
    title="API Gateway stages write access logs",
    severity=Severity.MEDIUM,
    domain=Domain.LOGGING,
    rationale=(
        "Access logs are the only record of who called an API, from where, when and with what "
        "result: without them an incident cannot be traced back to a caller. Every stage that "
        "serves traffic should write them, REST stages (to a CloudWatch Logs log group or a "
        "Firehose stream), HTTP API and WebSocket API stages (to a log group). WebSocket stages "
        "are checked too: they support the same access log settings as HTTP APIs, and a "
        "connection's caller is just as worth recording. This includes the stage a REST "
        "deployment creates by itself through its StageName, and the $default stage an HTTP API's "
        "quick create (its Target) creates by itself."
    ),
    remediation=Remediation(
        cdk="Set `deploy_options=apigw.StageOptions(access_log_destination="
        "apigw.LogGroupLogDestination(log_group), access_log_format="
        "apigw.AccessLogFormat.json_with_standard_fields(...))` on the REST API "
        "(PrivateRestApi does this); on an HTTP API stage set `access_log_settings`.",
        pulumi="Set `access_log_settings` (`destination_arn` and `format`) on "
        "`aws.apigateway.Stage` or `aws.apigatewayv2.Stage`.",
        cloudformation="Set `AccessLogSetting.DestinationArn` (and `Format`) on "
        "`AWS::ApiGateway::Stage` or `AccessLogSettings` on `AWS::ApiGatewayV2::Stage` "
        "(SAM: `AccessLogSetting` on `AWS::Serverless::Api`, `AccessLogSettings` on "
        "`AWS::Serverless::HttpApi`).",
    ),
    references=(
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html",
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging.html",
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-logging.html",
    ),
    anchors=Anchors(
        fsbp=("APIGateway.9",),
        cdk_nag=("AwsSolutions-APIG1", "Serverless-APIGWAccessLogging"),
        checkov=("CKV_AWS_76", "CKV_AWS_95"),
    ),
    fixes=(ACCESS_LOGS,),
)
def apigw_stage_access_logging(stage: Stage, ctx: Context[NoParams]) -> Verdict:
    match stage.access_log_destination:
        case Known(value=destination) if destination.strip():
            return passed()
        case Unknown() as u:
            return passed(f"access log destination set ({u.reason})")
    if stage.quick_create:
        for overrides in _managed_overrides(stage, ctx.graph):
            match overrides.access_log_destination:
                case Known(value=destination) if destination.strip():
                    return passed(f"access logs set by {overrides.name}")
                case Unknown() as u:
                    return passed(f"access log destination set by {overrides.name} ({u.reason})")
        return failed(
            f"the $default stage that quick create makes for HTTP API {stage.name} writes no "
            "access logs",
            at=stage.access_log_destination,
            fix=ACCESS_LOGS,
        )
    return failed(
        f"{stage_label(stage, api_kind_of(stage, ctx.graph))} writes no access logs",
        at=stage.access_log_destination,
        fix=ACCESS_LOGS,
    )
