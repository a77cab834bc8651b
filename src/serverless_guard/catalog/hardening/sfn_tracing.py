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
from serverless_guard.facts.stepfunctions import StateMachine
from serverless_guard.facts.value import Absent, Known, Unknown

TRACE = Fix.set(StateMachine, "tracing", True)


@rule(
    id="sfn-tracing",
    title="Step Functions state machines trace executions with AWS X-Ray",
    severity=Severity.LOW,
    domain=Domain.HARDENING,
    rationale=(
        "X-Ray tracing follows each execution through its states and the services they call, "
        "so a slow or failing step, or an unexpected call, can be found during an incident. "
        "Without it the state machine is a gap in every trace that passes through it."
    ),
    remediation=Remediation(
        cdk="Set `tracing_enabled=True` on `sfn.StateMachine`.",
        pulumi="Set `tracing_configuration={'enabled': True}` on `aws.sfn.StateMachine`.",
        cloudformation="Set `TracingConfiguration: {Enabled: true}` on "
        "`AWS::StepFunctions::StateMachine` (SAM: `Tracing: {Enabled: true}` on "
        "`AWS::Serverless::StateMachine`). The state machine's role needs "
        "xray:PutTraceSegments and xray:PutTelemetryRecords.",
    ),
    references=("https://docs.aws.amazon.com/step-functions/latest/dg/concepts-xray-tracing.html",),
    anchors=Anchors(
        cdk_nag=("AwsSolutions-SF2", "Serverless-StepFunctionStateMachineXray"),
        checkov=("CKV_AWS_284",),
    ),
    fixes=(TRACE,),
)
def sfn_tracing(machine: StateMachine) -> Verdict:
    match machine.tracing:
        case Known(value=True):
            return passed()
        case Unknown() as u:
            return unknown(u)
        case Known() | Absent():
            return failed(
                f"state machine {machine.name} does not trace executions with X-Ray",
                at=machine.tracing,
                fix=TRACE,
            )
