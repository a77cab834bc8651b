from __future__ import annotations

from dataclasses import dataclass

from serverless_guard.catalog.checks.accounts import Owner, statement_others
from serverless_guard.catalog.checks.iam_patterns import concrete, every_action_of
from serverless_guard.catalog.checks.iam_statements import allowing, quoted, statement_label
from serverless_guard.catalog.checks.resource_policies import policy_label
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
from serverless_guard.facts.policy import Statement
from serverless_guard.facts.resource_policy import PolicyService, ResourcePolicy
from serverless_guard.facts.value import Absent, Known, Unknown


@dataclass(frozen=True, slots=True)
class OwnerAccounts:
    owner_accounts: tuple[str, ...] = param(
        [],
        "Account ids (12 digits) that own the stack's resources. A policy that names the owning "
        "account by a literal id (as Pulumi programs and CDK stacks with an explicit "
        "environment do) grants every action to it without a finding when the id is listed "
        "here; when ids are listed, any other literal account is another account; when none "
        "are, a literal account is unknown.",
    )


@dataclass(frozen=True, slots=True)
class _Grant:
    """Every action of the service (`actions` that match them all, or an Allow with NotAction)
    that a statement grants to principals other than the owning account; `certain` is False
    when values only known at deployment (or accounts the configuration does not name)
    decide."""

    statement: Statement
    actions: tuple[str, ...]
    not_action: bool
    principals: tuple[str, ...]
    certain: bool


def _wildcards(statement: Statement, service: str) -> tuple[tuple[str, ...], bool, bool] | None:
    """The action patterns of a statement that match every action of the service, whether
    its NotAction grants every action but the listed ones (unless they cover the whole
    service), and whether that is certain; None when it grants named actions only."""

    def every(action: str, worst: bool) -> bool:
        return every_action_of(concrete(action, worst=worst), service)

    certain = tuple(a for a in statement.actions if every(a, False))
    if certain:
        return certain, False, True
    possible = tuple(a for a in statement.actions if every(a, True))
    if statement.not_actions:
        if not any(every(a, True) for a in statement.not_actions):
            return possible, True, True
        if not any(every(a, False) for a in statement.not_actions):
            return possible, True, False
    return (possible, False, False) if possible else None


def _grant(
    statement: Statement, allows: bool, service: str, owners: tuple[str, ...]
) -> _Grant | None:
    found = _wildcards(statement, service)
    if found is None:
        return None
    actions, not_action, certain = found
    others = statement_others(statement, owners)
    if not others:
        return None
    sure = tuple(label for label, owner in others.items() if owner is Owner.OTHER)
    principals = sure or tuple(others)
    return _Grant(statement, actions, not_action, principals, allows and certain and bool(sure))


def _text(grant: _Grant) -> str:
    granted = [quoted(grant.actions)] if grant.actions else []
    if grant.not_action:
        granted.append(
            f"every action but {quoted(grant.statement.not_actions)} (NotAction in an Allow)"
        )
    return (
        f"{' and '.join(granted)} to {quoted(grant.principals)} in "
        f"{statement_label(grant.statement)}"
    )


_FIX = (
    "list the actions they need by name (only the account that owns the resource may hold "
    "every action)"
)


@rule(
    id="resource-policy-no-wildcard-actions",
    title="Resource policies grant other accounts and services named actions, not every action",
    severity=Severity.MEDIUM,
    domain=Domain.NETWORK,
    rationale=(
        "A bucket, queue, topic, event bus, key, secret or layer policy that allows `*` or "
        "`service:*` (or a pattern that matches every action of the service, or NotAction in "
        "an Allow) to another account, a service or everyone grants every action of the "
        "service, including the ones added later: changing or deleting the policy, the "
        "resource and its data, or for a KMS key scheduling its deletion. The account that "
        "owns the resource may hold every action (a key policy's statement for the account "
        "root is AWS's own default); everyone else needs the actions they use. Where the "
        "owning account is written as a literal account id (Pulumi programs, CDK stacks with an "
        "explicit environment), the rule cannot tell it from another account unless the "
        "configuration lists the owning accounts."
    ),
    remediation=Remediation(
        cdk="Use the grant methods (`queue.grant_send_messages(principal)`, "
        "`key.grant_decrypt(principal)`, `secret.grant_read(principal)`) or "
        "`iam.PolicyStatement(actions=[...])` with named actions in `add_to_resource_policy`.",
        pulumi="List the actions each principal needs (`sqs:SendMessage`, `kms:Decrypt`, ...) in "
        "the policy document; keep `kms:*` for the account's root only, and list the program's "
        "accounts in the rule's `owner_accounts`.",
        cloudformation="Replace `*` and `service:*` in `Action` (and `NotAction` in Allow "
        "statements) with the actions the principal needs, in statements for other accounts, "
        "services or everyone.",
    ),
    references=(
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_identity-vs-resource.html",
        "https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
    ),
    params=OwnerAccounts,
    anchors=Anchors(checkov=("CKV_AWS_72",)),
)
def resource_policy_no_wildcard_actions(
    policy: ResourcePolicy, ctx: Context[OwnerAccounts]
) -> Verdict:
    label = policy_label(policy)
    match policy.document:
        case Unknown() as u:
            return unknown(u)
        case Absent():
            if policy.service is PolicyService.KMS:
                return not_applicable(
                    "no key policy: AWS's default one lets the account administer the key"
                )
            return not_applicable("no policy document")
        case Known(value=document):
            pass
    owners = ctx.params.owner_accounts
    grants = [
        found
        for statement, allows in allowing(document)
        if (found := _grant(statement, allows, policy.service.value, owners)) is not None
    ]
    certain = [g for g in grants if g.certain]
    if certain:
        return failed(
            f"{label} grants {'; '.join(_text(g) for g in certain)}: {_FIX}",
            at=certain[0].statement.at,
        )
    if grants:
        first = grants[0]
        reason = (
            f"{label} grants {_text(first)}, unless values only known at deployment narrow it "
            "or the account is the one that owns it (list the stack's accounts in "
            "owner_accounts)"
        )
        return unknown(Unknown(reason, first.statement.at), reason)
    return passed()
