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
from serverless_guard.facts.appsync import GraphqlApi
from serverless_guard.facts.value import Absent, Known, Unknown

LOGGED_LEVELS = ("ERROR", "INFO", "DEBUG", "ALL")
LOG_ROLE = Choice("the ARN of a role AppSync may assume to write to CloudWatch Logs")
LOG = Fix.set(GraphqlApi, "field_log_level", AnyOf(LOGGED_LEVELS)).also(
    GraphqlApi, "log_role", LOG_ROLE
)
ROLE = Fix.set(GraphqlApi, "log_role", LOG_ROLE)


@rule(
    id="appsync-logging",
    title="AppSync GraphQL APIs log requests and field errors to CloudWatch Logs",
    severity=Severity.MEDIUM,
    domain=Domain.LOGGING,
    rationale=(
        "Without a log configuration AppSync keeps no record of the requests an API served or "
        "of the resolvers that failed, so probing, abuse and errors go unseen. Logging needs a "
        "role AppSync assumes to write to CloudWatch Logs and a field log level other than "
        "NONE: ERROR records every failing field, INFO, DEBUG and ALL more (ALL and DEBUG "
        "include request and response data unless verbose content is excluded)."
    ),
    remediation=Remediation(
        cdk="Set `log_config=appsync.LogConfig(field_log_level=appsync.FieldLogLevel.ERROR, "
        "exclude_verbose_content=True)` on `appsync.GraphqlApi` (it creates the role; "
        "SecureGraphqlApi does this).",
        pulumi="Set `log_config={'cloudwatch_logs_role_arn': role.arn, 'field_log_level': "
        "'ERROR'}` on `aws.appsync.GraphQLApi`, with a role AppSync may assume that can write "
        "to the API's log group.",
        cloudformation="Set `LogConfig` with `CloudWatchLogsRoleArn` and `FieldLogLevel: "
        "ERROR` on `AWS::AppSync::GraphQLApi` (SAM: `Logging` on `AWS::Serverless::GraphQLApi` "
        "logs at level ALL with a role of its own unless set to false).",
    ),
    references=(
        "https://docs.aws.amazon.com/appsync/latest/devguide/monitoring.html",
        "https://docs.aws.amazon.com/securityhub/latest/userguide/appsync-controls.html#appsync-2",
    ),
    anchors=Anchors(
        fsbp=("AppSync.2",),
        cdk_nag=("AwsSolutions-ASC3",),
        checkov=("CKV_AWS_193", "CKV_AWS_194"),
    ),
    fixes=(LOG, ROLE),
)
def appsync_logging(api: GraphqlApi) -> Verdict:
    match api.field_log_level:
        case Unknown() as u:
            return unknown(u)
        case Absent():
            return failed(
                f"GraphQL API {api.name} does not log requests", at=api.field_log_level, fix=LOG
            )
        case Known(value=level) if level.strip().upper() not in LOGGED_LEVELS:
            return failed(
                f"GraphQL API {api.name} logs at field log level {level}, which records nothing",
                at=api.field_log_level,
                fix=LOG,
            )
    match api.log_role:
        case Known(value=role) if role.strip():
            return passed()
        case Unknown() as u:
            return passed(f"log role set ({u.reason})")
    return failed(
        f"GraphQL API {api.name} has no role to write its logs", at=api.log_role, fix=ROLE
    )
