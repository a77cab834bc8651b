from __future__ import annotations

from serverless_guard.catalog.checks.conditions import Pin, ValueKind, caller_limit
from serverless_guard.catalog.checks.lambda_principals import (
    PrincipalKind,
    principal_kind,
    scope_conditions,
    undecided,
)
from serverless_guard.catalog.fix import Choice, Fix
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
from serverless_guard.facts.lambda_ import Permission
from serverless_guard.facts.value import Absent, Known, Unknown

# What names the resource or account a service acts for (an Alexa skill's id for Alexa).
SOURCE_KEYS = {
    "aws:sourcearn": ValueKind.ARN,
    "aws:sourceaccount": ValueKind.ACCOUNT,
    "aws:sourceowner": ValueKind.ACCOUNT,
    "aws:sourceorgid": ValueKind.IDENTIFIER,
    "aws:sourceorgpaths": ValueKind.ORG_PATH,
    "lambda:eventsourcetoken": ValueKind.IDENTIFIER,
}

SOURCE = Fix.set(
    Permission,
    "source_arn",
    Choice("the ARN of the resource that should invoke it (no wildcard reaching other accounts)"),
).otherwise(Permission, "source_account", Choice("that resource's account"))


@rule(
    id="lambda-permission-source-scoped",
    title="Lambda permissions for AWS services name the source resource or account",
    severity=Severity.MEDIUM,
    domain=Domain.NETWORK,
    rationale=(
        "A permission that lets a service principal (s3.amazonaws.com, sns.amazonaws.com, ...) "
        "invoke a function without SourceArn or SourceAccount lets that service invoke it on "
        "behalf of any account's resource: someone else's bucket or topic can then trigger "
        "the function (the confused deputy problem). Naming the source closes that door."
    ),
    remediation=Remediation(
        cdk="Pass `source_arn=` (or `source_account=`) to `fn.add_permission(...)`; event "
        "sources added with `fn.add_event_source(...)` already do.",
        pulumi="Set `source_arn` (or `source_account`) on `aws.lambda_.Permission`.",
        cloudformation="Set `SourceArn` (or `SourceAccount`) on `AWS::Lambda::Permission` "
        "(for Alexa skills, `EventSourceToken`).",
    ),
    references=(
        "https://docs.aws.amazon.com/lambda/latest/dg/permissions-function-services.html",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html",
    ),
    anchors=Anchors(checkov=("CKV_AWS_364",)),
    fixes=(SOURCE,),
)
def lambda_permission_source_scoped(permission: Permission) -> Verdict:
    limit = caller_limit(scope_conditions(permission), SOURCE_KEYS)
    match permission.principal:
        case Unknown() as u:
            return passed() if limit.pin is Pin.PINNED else unknown(u)
        case Absent():
            return not_applicable("the permission names no principal")
        case Known(value=principal):
            kind = principal_kind(principal)
    if kind is PrincipalKind.UNKNOWN:
        if limit.pin is Pin.PINNED:
            return passed()
        return unknown(
            Unknown(f"principal {principal} is only known at deployment", permission.principal.at)
        )
    if kind is not PrincipalKind.SERVICE:
        return not_applicable(f"principal {principal} is not an AWS service")
    if limit.pin is Pin.PINNED:
        return passed()
    if limit.pin is Pin.MAYBE:
        return undecided(permission, f"{principal}, for any account,", limit.why)
    return failed(
        f"permission {permission.name} lets {principal} invoke the function on behalf of any "
        "account",
        at=permission.principal,
        fix=SOURCE,
    )
