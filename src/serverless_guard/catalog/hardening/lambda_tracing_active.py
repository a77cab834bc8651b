from __future__ import annotations

from serverless_guard.catalog.fix import Fix
from serverless_guard.catalog.rule import (
    Anchors,
    Domain,
    Remediation,
    Severity,
    Verdict,
    failed,
    passed,
    rule,
    unknown,
)
from serverless_guard.facts.lambda_ import Function
from serverless_guard.facts.value import Absent, Known, Unknown

ACTIVE = Fix.set(Function, "tracing_mode", "Active")


@rule(
    id="lambda-tracing-active",
    title="Lambda functions trace requests with AWS X-Ray in Active mode",
    severity=Severity.LOW,
    domain=Domain.HARDENING,
    rationale=(
        "With Active tracing, Lambda samples incoming requests and sends traces to X-Ray even "
        "when the caller did not start one, so every path through the function can be followed "
        "during an incident. The default, PassThrough, only traces requests that arrive with a "
        "sampled trace header and leaves most invocations invisible."
    ),
    remediation=Remediation(
        cdk="Pass `tracing=lambda_.Tracing.ACTIVE` to the function "
        "(SecureFunction does this by default).",
        pulumi="Set `tracing_config={'mode': 'Active'}` on `aws.lambda_.Function`.",
        cloudformation="Set `TracingConfig: {Mode: Active}` on the function "
        "(SAM: `Tracing: Active`, in `Globals.Function` too). The execution role needs "
        "xray:PutTraceSegments and xray:PutTelemetryRecords.",
    ),
    references=("https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html",),
    anchors=Anchors(cdk_nag=("Serverless-LambdaTracing",), checkov=("CKV_AWS_50",)),
    fixes=(ACTIVE,),
)
def lambda_tracing_active(fn: Function) -> Verdict:
    match fn.tracing_mode:
        case Known(value=mode) if mode.strip().lower() == "active":
            return passed()
        case Known(value=mode):
            return failed(
                f"function {fn.name} traces only requests that arrive with a sampled trace "
                f"(tracing mode {mode})",
                at=fn.tracing_mode,
                fix=ACTIVE,
            )
        case Unknown() as u:
            return unknown(u)
        case Absent():
            return failed(
                f"function {fn.name} traces only requests that arrive with a sampled trace",
                at=fn.tracing_mode,
                fix=ACTIVE,
            )
