from __future__ import annotations

from serverless_guard.catalog.checks.stages import stage_label
from serverless_guard.catalog.fix import Fix
from serverless_guard.catalog.rule import (
    Anchors,
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
from serverless_guard.facts.apigw import ApiKind, Stage
from serverless_guard.facts.value import Absent, Known, Unknown

TRACE = Fix.set(Stage, "tracing", True)


@rule(
    id="apigw-stage-tracing",
    title="REST API stages trace requests with AWS X-Ray",
    severity=Severity.LOW,
    domain=Domain.HARDENING,
    rationale=(
        "With X-Ray tracing on a REST API stage, each request is traced from API Gateway through "
        "its integration (Lambda, Step Functions, other services), so latency, errors and "
        "unexpected calls can be followed end to end during an incident. Without it, traces "
        "start only at the backend and the API's part is invisible. HTTP and WebSocket APIs do "
        "not support X-Ray."
    ),
    remediation=Remediation(
        cdk="Set `deploy_options=apigw.StageOptions(tracing_enabled=True)` on the REST API "
        "(PrivateRestApi does this).",
        pulumi="Set `xray_tracing_enabled=True` on `aws.apigateway.Stage`.",
        cloudformation="Set `TracingEnabled: true` on `AWS::ApiGateway::Stage` (or in a "
        "deployment's `StageDescription`; SAM: `TracingEnabled` on `AWS::Serverless::Api`).",
    ),
    references=(
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-xray.html",
    ),
    anchors=Anchors(
        fsbp=("APIGateway.3",),
        cdk_nag=("Serverless-APIGWXrayEnabled", "HIPAA.Security-APIGWXrayEnabled"),
        checkov=("CKV_AWS_73",),
    ),
    fixes=(TRACE,),
)
def apigw_stage_tracing(stage: Stage) -> Verdict:
    if stage.api_kind is not ApiKind.REST:
        return not_applicable("HTTP and WebSocket APIs do not support X-Ray tracing")
    match stage.tracing:
        case Known(value=True):
            return passed()
        case Unknown() as u:
            return unknown(u)
        case Known() | Absent():
            return failed(
                f"{stage_label(stage)} does not trace requests with X-Ray",
                at=stage.tracing,
                fix=TRACE,
            )
