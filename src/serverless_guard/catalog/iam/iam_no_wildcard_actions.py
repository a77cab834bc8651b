from __future__ import annotations

from serverless_guard.catalog.checks.iam_patterns import on_concrete
from serverless_guard.catalog.checks.iam_statements import (
    allowing,
    breach,
    document_of,
    subject_label,
    verdict_of,
)
from serverless_guard.catalog.rule import (
    Anchors,
    Domain,
    Remediation,
    Severity,
    Verdict,
    rule,
)
from serverless_guard.facts.iam import IdentityPolicy


def service_wide(action: str) -> bool:
    """`*`, `*:*` or `svc:*`: every action, or every action of one service."""
    _, colon, name = action.partition(":")
    rest = name if colon else action
    return "*" in rest and set(rest) <= {"*", "?"}


@rule(
    id="iam-no-wildcard-actions",
    title="Identity policies grant named actions, not every action of a service",
    severity=Severity.HIGH,
    domain=Domain.IAM,
    rationale=(
        '`Action: "*"` or `s3:*` grants every action of every service, or of one service, '
        "including the ones added after the policy was written: deleting data, changing "
        "policies, disabling logging. A function needs a handful of actions; naming them "
        "bounds what a stolen credential or a code-injection bug can do."
    ),
    remediation=Remediation(
        cdk="Use the grant methods (`table.grant_read_write_data(fn)`, `bucket.grant_read(fn)`) "
        "or `iam.PolicyStatement(actions=[...])` with named actions instead of `*`.",
        pulumi="List the actions by name in the policy document's `Action` "
        "(`dynamodb:GetItem`, `dynamodb:PutItem`, ...).",
        cloudformation="Replace `*` and `service:*` in `Action` with the actions the code calls "
        "(SAM: prefer policy templates such as `DynamoDBCrudPolicy`).",
    ),
    references=(
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
        "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html",
    ),
    anchors=Anchors(
        fsbp=("IAM.21",),
        cdk_nag=("AwsSolutions-IAM5", "NIST.800.53.R5-IAMPolicyNoStatementsWithFullAccess"),
        checkov=("CKV_AWS_63",),
    ),
)
def iam_no_wildcard_actions(policy: IdentityPolicy) -> Verdict:
    document = document_of(policy)
    if isinstance(document, Verdict):
        return document
    breaches = [
        found
        for statement, allows in allowing(document)
        if (found := breach(statement, allows, statement.actions, on_concrete(service_wide)))
        is not None
    ]
    return verdict_of(
        subject_label(policy),
        breaches,
        "(every action, or every action of a service)",
        "list the actions the code needs by name",
    )
