"""Whose a resource policy's principal is: the account that owns the resource, another one, or
one that only the deployment (or the configuration) tells.

Each engine writes the owning account its own way:

- a template writes `${AWS::AccountId}` (rendered `${?AWS::AccountId}`), alone or as the
  account of an IAM ARN (`arn:${AWS::Partition}:iam::${AWS::AccountId}:root`, which is also
  how the CDK renders `AccountRootPrincipal` in a stack without an explicit environment); a
  reference to a stack resource (`${Role.Arn}`) is in the stack's account too;
- a Pulumi program, and a CDK stack with an explicit environment, write a literal account id
  (`123456789012`, `arn:aws:iam::123456789012:root`): nothing in the program or template says
  whose account that is. It is the owner when the configuration lists it among the owning
  accounts; when the configuration lists owning accounts, any other literal account is
  another account; when it lists none, a literal account is undecided.

`Principal: "*"` is everyone, unless a condition fixes the caller's account
(`aws:PrincipalAccount`, or KMS's `kms:CallerAccount`) to the owning account. A service,
federated or canonical-user principal, and everyone a NotPrincipal leaves in, are others.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import IntEnum

from serverless_guard.catalog.checks.conditions import fixed_values, policy_variable
from serverless_guard.catalog.checks.wildcards import has_wildcard
from serverless_guard.facts.nodes import RENDERED_PART, is_reference_text
from serverless_guard.facts.policy import Principal, Statement

ACCOUNT_ID = "${?AWS::AccountId}"
_LITERAL_ACCOUNT = re.compile(r"\d{12}")
_CALLER_ACCOUNT_KEYS = ("aws:PrincipalAccount", "kms:CallerAccount")


class Owner(IntEnum):
    """Whose a principal is (ordered: worse is greater)."""

    OWNER = 0
    UNDECIDED = 1
    OTHER = 2


def _arn_account(value: str) -> str | None:
    """The account field of an ARN (its parts rendered `${...}` may hold colons), or None when
    `value` is not an ARN."""
    marks: list[str] = []

    def mark(match: re.Match[str]) -> str:
        marks.append(match.group(0))
        return f"\x00{len(marks) - 1}\x00"

    fields = RENDERED_PART.sub(mark, value).split(":", 5)
    if len(fields) < 6 or fields[0].lower() != "arn":
        return None
    return re.sub(r"\x00(\d+)\x00", lambda m: marks[int(m.group(1))], fields[4])


def account_owner(account: str, owners: Sequence[str]) -> Owner:
    """Whose an account id (as written in a principal or a condition) is. A wildcard, an empty
    value or a policy variable (the caller's own account) is anyone's; a value this module
    cannot read (a unique id, a value only known at deployment) is undecided."""
    account = account.strip()
    if account == ACCOUNT_ID:
        return Owner.OWNER
    if _LITERAL_ACCOUNT.fullmatch(account):
        if account in owners:
            return Owner.OWNER
        return Owner.OTHER if owners else Owner.UNDECIDED
    if not account or has_wildcard(RENDERED_PART.sub("", account)) or policy_variable(account):
        return Owner.OTHER
    return Owner.UNDECIDED


def principal_owner(principal: Principal, owners: Sequence[str]) -> Owner:
    """Whose one principal entry is (`*` aside: see `statement_others`)."""
    if principal.kind != "AWS" or principal.value == "*":
        return Owner.OTHER
    value = principal.value.strip()
    if is_reference_text(value) and not policy_variable(value):
        return Owner.OWNER
    account = _arn_account(value)
    return account_owner(value if account is None else account, owners)


def _caller_account(statement: Statement, owners: Sequence[str]) -> Owner:
    """Whose callers a statement admits when its conditions fix the caller's account."""
    found = Owner.OTHER
    for key in _CALLER_ACCOUNT_KEYS:
        values = fixed_values(statement.conditions, key)
        if values is not None:
            found = min(found, max(account_owner(v, owners) for v in values))
    return found


def statement_others(statement: Statement, owners: Sequence[str]) -> dict[str, Owner]:
    """The principals of a statement that may not be the owning account, by label: another
    account (OTHER), or one only the deployment or the configuration decides (UNDECIDED)."""
    if statement.not_principals:
        everyone = ", ".join(p.value for p in statement.not_principals)
        return {f"everyone but {everyone} (NotPrincipal)": Owner.OTHER}
    found: dict[str, Owner] = {}
    for principal in statement.principals:
        label = principal.value if principal.kind == "*" else f"{principal.kind}: {principal.value}"
        if principal.value == "*" and principal.kind in ("*", "AWS"):
            owner = _caller_account(statement, owners)
        else:
            owner = principal_owner(principal, owners)
        if owner is not Owner.OWNER:
            found[label] = owner
    return found
