from __future__ import annotations

from collections.abc import Callable

from serverless_guard.catalog.checks.iam_patterns import (
    all_resources,
    concrete,
    glob_matches,
    resources_of,
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
from serverless_guard.facts.policy import Statement

PASS_ROLE = "iam:PassRole"


def every_role(resource: str) -> bool:
    """`*`, or a pattern that matches every role of an account, whatever IAM's `*` crosses:
    `arn:*`, `arn:aws:iam::*`, `arn:aws:iam::*:role/*`, `arn:aws:iam::123456789012:*`. A path or
    name prefix (`role/service-role/*`, `role/orders-*`) is a scope."""
    return all_resources(resource) or resources_of(resource, "iam", "role/")


def _passes_every_role(statement: Statement) -> Callable[[str, bool], bool]:
    """A test of the statement's actions: whether one grants iam:PassRole on every role, on
    `Resource` patterns that cover every role or on a `NotResource` that leaves every role in."""

    def test(action: str, worst: bool) -> bool:
        if not glob_matches(concrete(action, worst=worst), PASS_ROLE):
            return False
        if statement.not_resources:
            return not any(
                every_role(concrete(r, worst=not worst)) for r in statement.not_resources
            )
        return any(every_role(concrete(r, worst=worst)) for r in statement.resources)

    return test


@rule(
    id="iam-passrole-scoped",
    title="iam:PassRole is granted on named roles, not on every role",
    severity=Severity.HIGH,
    domain=Domain.IAM,
    rationale=(
        "Whoever may pass any role can hand an administrator role to a new function, task or "
        "stack and run code with it: the classic privilege escalation. Granting iam:PassRole "
        "(directly, or through `iam:*` or `*`) on `*`, on `role/*` or on any pattern that "
        "matches every role (`arn:aws:iam::*`: IAM's `*` crosses colons) opens it; naming the "
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
        found = breach(statement, allows, statement.actions, _passes_every_role(statement))
        if found is not None:
            breaches.append(found)
    return verdict_of(
        subject_label(policy),
        breaches,
        "on every role",
        "set Resource to the ARNs of the roles that may be passed (iam:PassRole)",
    )
