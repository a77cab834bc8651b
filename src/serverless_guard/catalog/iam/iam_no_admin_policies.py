from __future__ import annotations

from dataclasses import dataclass

from serverless_guard.catalog.checks.iam_patterns import concrete, glob_matches
from serverless_guard.catalog.params import param
from serverless_guard.catalog.rule import (
    Anchors,
    Context,
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
from serverless_guard.facts.iam import PolicyAttachment
from serverless_guard.facts.value import Absent, Known, Unknown

DENIED_POLICIES = ("AdministratorAccess", "PowerUserAccess", "IAMFullAccess")


@dataclass(frozen=True, slots=True)
class AdminPolicyParams:
    denied_policies: tuple[str, ...] = param(
        list(DENIED_POLICIES),
        "Managed policies that must not be attached, by name (`AdministratorAccess`) or by path "
        "and name (`job-function/SystemAdministrator`), case-insensitive. A policy ARN matches "
        "in any partition and account.",
    )


def denied(arn: str, names: tuple[str, ...], *, worst: bool) -> str | None:
    """The denied policy name that a (rendered) policy ARN denotes, at worst or certainly."""
    text = concrete(arn, worst=worst)
    tail = text.split(":policy/", 1)[1] if ":policy/" in text else text
    last = tail.rsplit("/", 1)[-1]
    for name in names:
        if not glob_matches(last, name.rsplit("/", 1)[-1]):
            continue
        if "/" not in name or glob_matches(tail, name):
            return name
    return None


@rule(
    id="iam-no-admin-policies",
    title="No role, user or group has an administrator-level managed policy",
    severity=Severity.CRITICAL,
    domain=Domain.IAM,
    rationale=(
        "AdministratorAccess grants everything; PowerUserAccess everything but IAM "
        "management; IAMFullAccess lets its holder grant itself everything. Attached to a "
        "function's role or to a user, a bug or a leaked key becomes a takeover of the "
        "account. Serverless components need a few actions on a few resources."
    ),
    remediation=Remediation(
        cdk="Remove `iam.ManagedPolicy.from_aws_managed_policy_name('AdministratorAccess')` "
        "and grant what the code uses (`table.grant_read_data(fn)`, ...).",
        pulumi="Remove the `aws.iam.RolePolicyAttachment` of the administrator policy and "
        "attach a policy that names the actions and resources the code uses.",
        cloudformation="Remove the policy from `ManagedPolicyArns` (SAM: from the function's "
        "`Policies`) and use scoped statements or SAM policy templates.",
    ),
    references=(
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
        "https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AdministratorAccess.html",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_job-functions.html",
    ),
    params=AdminPolicyParams,
    anchors=Anchors(cdk_nag=("AwsSolutions-IAM4",), checkov=("CKV_AWS_274",)),
)
def iam_no_admin_policies(attachment: PolicyAttachment, ctx: Context[AdminPolicyParams]) -> Verdict:
    names = ctx.params.denied_policies
    match attachment.policy_arn:
        case Absent():
            return not_applicable("no managed policy")
        case Unknown() as u:
            return unknown(u)
        case Known(value=arn):
            pass
    name = denied(arn, names, worst=False)
    if name is not None:
        return failed(
            f"{attachment.name} has the managed policy {name} attached ({arn}): remove it "
            "and grant the actions the code needs on its resources",
            at=attachment.policy_arn,
        )
    if denied(arn, names, worst=True) is not None:
        reason = (
            f"{attachment.name}'s managed policy {arn} is only known at deployment and may be "
            f"one of {', '.join(names)}"
        )
        return unknown(Unknown(reason, attachment.policy_arn.at), reason)
    return passed()
