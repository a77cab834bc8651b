from __future__ import annotations

from serverless_guard.catalog.checks.conditions import CALLER_KEYS, Pin, caller_limit
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

IAM_ONLY = Fix.set(Permission, "function_url_auth_type", "AWS_IAM")
SCOPE = (
    Fix.set(Permission, "principal", Choice("a specific principal"))
    .otherwise(Permission, "source_arn", Choice("the ARN of the resource that may invoke it"))
    .otherwise(Permission, "source_account", Choice("the account that may invoke it"))
    .otherwise(Permission, "principal_org_id", Choice("your organization's id"))
)


@rule(
    id="lambda-permission-not-public",
    title="Lambda permissions do not let everyone invoke a function",
    severity=Severity.CRITICAL,
    domain=Domain.NETWORK,
    rationale=(
        "A function's resource policy statement with principal `*` and no SourceArn, "
        "SourceAccount or PrincipalOrgID that pins the caller (a wildcard that reaches other "
        "accounts, such as `arn:aws:s3:::*`, pins nothing) lets any AWS account, or for a "
        "function URL with "
        "AuthType NONE anyone on the internet, invoke the function: its code, its role's "
        "permissions and its cost are then in strangers' hands."
    ),
    remediation=Remediation(
        cdk="Grant invocation to a specific principal (`fn.grant_invoke(principal)`, "
        "`fn.add_permission(..., principal=iam.ServicePrincipal(...), source_arn=...)`), "
        "never `iam.AnyPrincipal()` without a source condition.",
        pulumi="Set `principal` on `aws.lambda_.Permission` to an account, role or service, and "
        "`source_arn`, `source_account` or `principal_org_id` when it must be `*`.",
        cloudformation="Set `Principal` on `AWS::Lambda::Permission` to an account, role or "
        "service; with `*`, add `SourceArn`, `SourceAccount` or `PrincipalOrgID`.",
    ),
    references=(
        "https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html",
        "https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html",
    ),
    anchors=Anchors(
        fsbp=("Lambda.1",),
        cdk_nag=("HIPAA.Security-LambdaFunctionPublicAccessProhibited",),
        checkov=("CKV_AWS_301",),
    ),
    fixes=(
        IAM_ONLY,
        SCOPE,
    ),
)
def lambda_permission_not_public(permission: Permission) -> Verdict:
    match permission.principal:
        case Unknown() as principal_unknown:
            kind = PrincipalKind.UNKNOWN
        case Absent():
            return not_applicable("the permission names no principal")
        case Known(value=principal):
            kind = principal_kind(principal)
            principal_unknown = Unknown(
                f"principal {principal} is only known at deployment", permission.principal.at
            )
    if kind not in (PrincipalKind.PUBLIC, PrincipalKind.UNKNOWN):
        return passed()
    limit = caller_limit(scope_conditions(permission), CALLER_KEYS)
    if limit.pin is Pin.PINNED:
        return passed()
    if kind is PrincipalKind.UNKNOWN:
        return unknown(principal_unknown)
    if limit.pin is Pin.MAYBE:
        return undecided(permission, "everyone", limit.why)
    url_auth = permission.function_url_auth_type
    if isinstance(url_auth, Known) and url_auth.value.upper() == "NONE":
        return failed(
            f"permission {permission.name} lets anyone on the internet invoke the function "
            "through its URL",
            at=permission.principal,
            fix=IAM_ONLY,
        )
    return failed(
        f"permission {permission.name} lets any AWS account invoke the function",
        at=permission.principal,
        fix=SCOPE,
    )
