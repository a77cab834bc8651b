"""What the principal of a Lambda permission denotes (everyone, a service, or an account), and
the conditions that scope it."""

from __future__ import annotations

import re
from enum import StrEnum

from serverless_guard.catalog.rule import Verdict, unknown
from serverless_guard.facts.lambda_ import Permission
from serverless_guard.facts.nodes import OPAQUE_MARK, Opaque
from serverless_guard.facts.policy import Condition
from serverless_guard.facts.value import Known, Unknown


class PrincipalKind(StrEnum):
    PUBLIC = "public"
    SERVICE = "service"
    ACCOUNT = "account"
    UNKNOWN = "unknown"


_LABEL = r"(?:[a-z0-9-]+|\$\{\?[^}]*\})"
# `events.amazonaws.com`, `s3.${AWS::URLSuffix}`, `alexa-appkit.amazon.com`, ...
_SERVICE = re.compile(
    rf"^{_LABEL}(?:\.{_LABEL})*\.(?:amazonaws\.com(?:\.cn)?|amazon\.com|\$\{{\?[^}}]*\}})$"
)
_ACCOUNT_ID = "${?AWS::AccountId}"


def principal_kind(principal: str) -> PrincipalKind:
    """What a Lambda permission's rendered principal denotes."""
    value = principal.strip()
    if value == "*":
        return PrincipalKind.PUBLIC
    if _SERVICE.match(value):
        return PrincipalKind.SERVICE
    if value == _ACCOUNT_ID or OPAQUE_MARK not in value:
        return PrincipalKind.ACCOUNT
    if value.startswith("arn:") or value.endswith(":root"):
        return PrincipalKind.ACCOUNT
    return PrincipalKind.UNKNOWN


def scope_conditions(permission: Permission) -> tuple[Condition, ...]:
    """The conditions a permission's scoping fields stand for (as Lambda writes them into the
    function's policy: `ArnLike` on aws:SourceArn, `StringEquals` on the others), and the
    statement's own conditions. A field only known at deployment is a value only known at
    deployment: the condition evaluator decides what it may admit."""
    fields = (
        ("ArnLike", "aws:SourceArn", permission.source_arn),
        ("StringEquals", "aws:SourceAccount", permission.source_account),
        ("StringEquals", "aws:PrincipalOrgID", permission.principal_org_id),
        ("StringEquals", "lambda:EventSourceToken", permission.event_source_token),
    )
    out = list(permission.conditions)
    for operator, key, value in fields:
        if isinstance(value, Known):
            out.append(Condition(operator, key, (value.value,)))
        elif isinstance(value, Unknown):
            out.append(Condition(operator, key, (Opaque(value.reason).render(),)))
    return tuple(out)


def undecided(permission: Permission, admits: str, why: str) -> Verdict:
    """The unknown verdict on a permission whose scope a value only known at deployment
    decides: it lets `admits` invoke the function unless `why` pins them."""
    reason = f"permission {permission.name} lets {admits} invoke the function unless {why}"
    return unknown(Unknown(reason, permission.principal.at), reason)
