from __future__ import annotations

from serverless_guard.catalog.fix import AnyOf, Choice, Fix
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

LOGGED_LEVELS = ("ALL", "ERROR")
LOG_GROUP = Choice("a log group's ARN")
LOG_EXECUTIONS = Fix.set(StateMachine, "logging_level", AnyOf(("ERROR", "ALL"))).also(
    StateMachine, "log_destinations", LOG_GROUP
)
SEND_LOGS = Fix.set(StateMachine, "log_destinations", LOG_GROUP)


@rule(
    id="sfn-logging",
    title="Step Functions state machines log executions at level ERROR or ALL to a log group",
    severity=Severity.MEDIUM,
    domain=Domain.LOGGING,
    rationale=(
        "Without logging, a state machine's failed executions leave no record outside the "
        "execution history, which Express workflows do not keep at all and Standard workflows "
        "keep only 90 days. Level ERROR records every failure; ALL records every step. FATAL "
        "records only executions that fail as a whole and OFF nothing."
    ),
    remediation=Remediation(
        cdk="Set `logs=sfn.LogOptions(destination=log_group, level=sfn.LogLevel.ERROR)` on "
        "`sfn.StateMachine`.",
        pulumi="Set `logging_configuration={'level': 'ERROR', 'log_destination': "
        "f'{log_group.arn}:*'}` on `aws.sfn.StateMachine`.",
        cloudformation="Set `LoggingConfiguration` with `Level: ERROR` (or ALL) and a "
        "`Destinations` entry `CloudWatchLogsLogGroup.LogGroupArn` on "
        "`AWS::StepFunctions::StateMachine` (SAM: `Logging` on `AWS::Serverless::StateMachine`).",
    ),
    references=("https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html",),
    anchors=Anchors(
        fsbp=("StepFunctions.1",), cdk_nag=("AwsSolutions-SF1",), checkov=("CKV_AWS_285",)
    ),
    fixes=(
        LOG_EXECUTIONS,
        SEND_LOGS,
    ),
)
def sfn_logging(machine: StateMachine) -> Verdict:
    match machine.logging_level:
        case Unknown() as u:
            return unknown(u)
        case Absent():
            return failed(
                f"state machine {machine.name} does not log its executions",
                at=machine.logging_level,
                fix=LOG_EXECUTIONS,
            )
        case Known(value=level):
            if level.upper() not in LOGGED_LEVELS:
                what = (
                    "does not log its executions (level OFF)"
                    if level.upper() == "OFF"
                    else f"logs at level {level}, which misses failed steps"
                )
                return failed(
                    f"state machine {machine.name} {what}",
                    at=machine.logging_level,
                    fix=LOG_EXECUTIONS,
                )
    match machine.log_destinations:
        case Unknown() as u:
            return passed(f"log destination set ({u.reason})")
        case Known(value=destinations) if destinations:
            return passed()
        case _:
            return failed(
                f"state machine {machine.name} logs at level {level} but has no log group",
                at=machine.log_destinations,
                fix=SEND_LOGS,
            )
