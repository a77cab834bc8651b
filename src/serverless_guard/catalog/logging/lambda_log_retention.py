from __future__ import annotations

from serverless_guard.catalog.checks.retention import RetentionParams, retention_problem
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
    unknown,
)
from serverless_guard.facts.lambda_ import Function
from serverless_guard.facts.logs import LogGroup
from serverless_guard.facts.value import Absent, Known, Unknown


@rule(
    id="lambda-log-retention",
    title="Each Lambda function's log group is declared with a sufficient retention",
    severity=Severity.MEDIUM,
    domain=Domain.LOGGING,
    rationale=(
        "When a function's log group is not part of the stack, Lambda creates it on first "
        "invocation with no retention: logs are kept forever, outside the stack's control, and "
        "survive the stack's deletion. Declaring the log group (or CDK's log retention) in the "
        "stack bounds the retention and keeps it reviewable."
    ),
    remediation=Remediation(
        cdk="Give the function `log_group=logs.LogGroup(self, 'Logs', retention=...)` "
        "(SecureFunction creates one with the configured retention).",
        pulumi="Declare `aws.cloudwatch.LogGroup(name=f'/aws/lambda/{fn_name}', "
        "retention_in_days=365)` or set the function's `logging_config.log_group`.",
        cloudformation="Declare an `AWS::Logs::LogGroup` named `/aws/lambda/<FunctionName>` "
        "(or the function's `LoggingConfig.LogGroup`) with `RetentionInDays`.",
    ),
    references=(
        "https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html",
        "https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-loggroups.html",
    ),
    anchors=Anchors(),
)
def lambda_log_retention(fn: Function, ctx: Context[NoParams]) -> Verdict:
    bounds = ctx.params_of("logs-retention-set", RetentionParams)
    match fn.log_group:
        case Unknown() as u:
            return unknown(u)
        case Absent():  # pragma: no cover - extractors always give the default log group name
            return failed(f"function {fn.name} has no log group", at=fn.log_group)
        case Known(value=name):
            groups = ctx.graph.resolve(name, LogGroup)
    if not groups:
        return failed(
            f"function {fn.name} writes to log group {name}, which the stack does not declare: "
            f"declare it with a retention of at least {bounds.min_days} days",
            at=fn.log_group,
        )
    for group in groups:
        match group.retention_days:
            case Absent():
                return failed(
                    f"function {fn.name}'s log group {group.name} keeps logs forever",
                    at=fn.log_group,
                )
            case Unknown() as u:
                return unknown(u)
            case Known(value=days):
                problem = retention_problem(days, bounds)
                if problem:
                    return failed(
                        f"function {fn.name}'s log group {group.name} {problem}", at=fn.log_group
                    )
    return passed()
