from __future__ import annotations

from serverless_guard.catalog.checks.retention import RetentionParams, retention_problem
from serverless_guard.catalog.fix import Choice, Fix
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
from serverless_guard.facts.logs import LogGroup
from serverless_guard.facts.value import Absent, Known, Unknown

RETENTION = Fix.set(LogGroup, "retention_days", Choice("a retention within the bounds"))


def retention_fix(params: RetentionParams) -> Fix:
    """Set the retention within the configured bounds."""
    if params.max_days is None:
        days = f"at least {params.min_days}"
    else:
        days = f"between {params.min_days} and {params.max_days}"
    return Fix.set(LogGroup, "retention_days", Choice(f"{days} days"))


@rule(
    id="logs-retention-set",
    title="Log groups keep logs for a bounded, sufficient time",
    severity=Severity.MEDIUM,
    domain=Domain.LOGGING,
    rationale=(
        "A log group without a retention keeps logs forever, at growing cost, holding personal "
        "data longer than any policy allows; one with a short retention loses the evidence an "
        "incident investigation needs. Set the retention explicitly, within the bounds your "
        "organisation requires."
    ),
    remediation=Remediation(
        cdk="Set `retention=logs.RetentionDays.ONE_YEAR` (or the configured minimum) on "
        "`logs.LogGroup`.",
        pulumi="Set `retention_in_days=365` on `aws.cloudwatch.LogGroup`.",
        cloudformation="Set `RetentionInDays` on `AWS::Logs::LogGroup`.",
    ),
    references=(
        "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html#SettingLogRetention",
    ),
    params=RetentionParams,
    anchors=Anchors(
        cdk_nag=("Serverless-CloudWatchLogGroupRetentionPeriod",), checkov=("CKV_AWS_66",)
    ),
    fixes=(RETENTION,),
)
def logs_retention_set(group: LogGroup, ctx: Context[RetentionParams]) -> Verdict:
    match group.retention_days:
        case Absent():
            return failed(
                f"log group {group.name} keeps logs forever",
                at=group.retention_days,
                fix=retention_fix(ctx.params),
            )
        case Unknown() as u:
            return unknown(u)
        case Known(value=days):
            problem = retention_problem(days, ctx.params)
            if problem:
                return failed(
                    f"log group {group.name} {problem}",
                    at=group.retention_days,
                    fix=retention_fix(ctx.params),
                )
            return passed()
