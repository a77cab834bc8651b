from __future__ import annotations

from serverless_guard.catalog.checks.iam_patterns import (
    ANY,
    all_resources,
    concrete,
    glob_matches,
    on_concrete,
)
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

PASS_ROLE = "iam:PassRole"


def every_role(resource: str) -> bool:
    """`*`, an all-wildcard ARN, or one that matches every role (`arn:aws:iam::*:role/*`,
    `arn:aws:iam::123456789012:role/*`). A path or name prefix (`role/service-role/*`,
    `role/orders-*`) is a scope."""
    if all_resources(resource):
        return True
    parts = resource.split(":", 5)
    return (
        len(parts) == 6
        and parts[0].lower() == "arn"
        and glob_matches(parts[2], "iam")
        and glob_matches(parts[5], f"role/{ANY}")
    )


def _grants_pass_role(action: str) -> bool:
    return glob_matches(action, PASS_ROLE)


@rule(
    id="iam-passrole-scoped",
    title="iam:PassRole is granted on named roles, not on every role",
    severity=Severity.HIGH,
    domain=Domain.IAM,
    rationale=(
        "Whoever may pass any role can hand an administrator role to a new function, task or "
        "stack and run code with it: the classic privilege escalation. Granting iam:PassRole "
        "(directly, or through `iam:*` or `*`) on `*` or on `role/*` opens it; naming the "
        "roles that may be passed closes it. The iam:PassedToService condition limits the "
        "service, not the role, so it does not scope the grant."
    ),
    remediation=Remediation(
        cdk="Use `role.grant_pass_role(principal)` on the one role, or give the statement "
        "`resources=[role.role_arn]`.",
        pulumi="Put the passed role's ARN (`role.arn`) in the statement's `Resource`.",
        cloudformation="Set the statement's `Resource` to the roles' ARNs "
        "(`!GetAtt TaskRole.Arn`), not `*` or `role/*`.",
    ),
    references=(
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
    ),
    anchors=Anchors(cdk_nag=("AwsSolutions-IAM5",), checkov=("CKV_AWS_110",)),
)
def iam_passrole_scoped(policy: IdentityPolicy) -> Verdict:
    document = document_of(policy)
    if isinstance(document, Verdict):
        return document
    breaches = []
    for statement, allows in allowing(document):
        certain = any(every_role(concrete(r, worst=False)) for r in statement.resources)
        if not certain and not any(
            every_role(concrete(r, worst=True)) for r in statement.resources
        ):
            continue
        found = breach(
            statement, allows and certain, statement.actions, on_concrete(_grants_pass_role)
        )
        if found is not None:
            breaches.append(found)
    return verdict_of(
        subject_label(policy),
        breaches,
        "on every role",
        "set Resource to the ARNs of the roles that may be passed (iam:PassRole)",
    )
