from __future__ import annotations

import re
from collections.abc import Mapping

from serverless_guard.catalog.checks.conditions import (
    ACCOUNT_TRUST_KEYS,
    CALLER_KEYS,
    SHARED_PROVIDERS,
    Pin,
    ValueKind,
    caller_limit,
    provider_keys,
)
from serverless_guard.catalog.checks.iam_patterns import SPECIFIC, concrete, glob_matches
from serverless_guard.catalog.checks.iam_statements import Breach, allowing, verdict_of
from serverless_guard.catalog.rule import (
    Anchors,
    Domain,
    Remediation,
    Severity,
    Verdict,
    not_applicable,
    rule,
    unknown,
)
from serverless_guard.facts.iam import Identity, IdentityKind
from serverless_guard.facts.policy import Principal, Statement
from serverless_guard.facts.value import Absent, Known, Unknown

_ACCOUNT_ID = "${?AWS::AccountId}"
_ROOT = re.compile(r"arn:[^:]*+:iam::[^:]*+:root", re.IGNORECASE)
_ACCOUNT = re.compile(r"\d{12}")
_WEB_IDENTITY = "sts:AssumeRoleWithWebIdentity"


def _web_identity(statement: Statement) -> bool:
    return any(glob_matches(a, _WEB_IDENTITY) for a in statement.actions)


def _keys(
    principal: Principal, statement: Statement, worst: bool
) -> Mapping[str, ValueKind] | None:
    """For a principal that trusts everybody, a whole account or a shared identity provider,
    the condition keys that can pin its callers; None for a narrow principal. A provider the
    stack creates (`Federated: !Ref GitHubProvider`) is an OIDC provider when the statement
    allows sts:AssumeRoleWithWebIdentity: its URL is not known here, so a `sub` claim of any
    provider must pin the callers."""
    if principal.kind in ("*", "AWS"):
        if principal.value == _ACCOUNT_ID:
            return ACCOUNT_TRUST_KEYS
        text = concrete(principal.value, worst=worst)
        if text == "*":
            return CALLER_KEYS
        return ACCOUNT_TRUST_KEYS if _ACCOUNT.fullmatch(text) or _ROOT.fullmatch(text) else None
    if principal.kind == "Federated":
        text = concrete(principal.value, worst=worst).lower()
        if text == "*":
            return CALLER_KEYS
        if "oidc-provider/" in text or text in SHARED_PROVIDERS:
            return provider_keys(text)
        if text.startswith(SPECIFIC) and _web_identity(statement):
            return {
                c.key.lower(): ValueKind.SUBJECT
                for c in statement.conditions
                if c.key.lower().endswith(":sub")
            }
    return None


def _label(principal: Principal) -> str:
    return principal.value if principal.kind == "*" else f"{principal.kind}: {principal.value}"


def _open(statement: Statement, principal: Principal | None, worst: bool) -> Pin | None:
    """How far the statement's conditions pin the callers a broad principal admits (None: the
    principal is narrow). A NotPrincipal admits everybody else."""
    keys = CALLER_KEYS if principal is None else _keys(principal, statement, worst)
    if keys is None:
        return None
    return caller_limit(statement.conditions, keys).pin


def _breach(statement: Statement, allows: bool) -> Breach | None:
    if statement.not_principals and _open(statement, None, False) is not Pin.PINNED:
        items = tuple(f"everyone but {_label(p)} (NotPrincipal)" for p in statement.not_principals)
        return Breach(statement, items, allows)
    certain = tuple(
        _label(p) for p in statement.principals if _open(statement, p, False) is Pin.NONE
    )
    if certain:
        return Breach(statement, certain, allows)
    possible = tuple(
        _label(p)
        for p in statement.principals
        if _open(statement, p, True) not in (None, Pin.PINNED)
    )
    return Breach(statement, possible, False) if possible else None


@rule(
    id="iam-role-trust-scoped",
    title="Roles trust a service, a named principal, or a whole account only under a condition",
    severity=Severity.CRITICAL,
    domain=Domain.IAM,
    rationale=(
        'A trust policy decides who may assume the role. `Principal: "*"` lets anyone, in any '
        "account, assume it; an account root (`arn:aws:iam::123456789012:root` or the bare "
        "account id) lets every principal of that account that IAM allows; a web identity or "
        "OIDC provider such as GitHub Actions or Cognito is shared by every customer and "
        "needs a condition on the token's subject (GitHub's audience is the same for everyone) "
        "or, for Cognito, the identity pool. Without a Condition with fixed values "
        "(sts:ExternalId, aws:PrincipalOrgID, aws:PrincipalArn, token claims) the role is "
        "as exposed as its trust is broad. Allow with NotPrincipal trusts everybody else."
    ),
    remediation=Remediation(
        cdk="Use a service principal (`iam.ServicePrincipal('lambda.amazonaws.com')`) or a "
        "role's ARN (`iam.ArnPrincipal(role_arn)`); for accounts and web identities add "
        "conditions (`iam.AccountPrincipal(id).with_conditions({...})`, "
        "`iam.WebIdentityPrincipal(provider, conditions={...})`).",
        pulumi="Give the role's `assume_role_policy` a service principal or specific role "
        "ARNs, or a `Condition` (`sts:ExternalId`, `aws:PrincipalOrgID`, the token's `aud`/`sub`).",
        cloudformation="In `AssumeRolePolicyDocument`, use `Principal: {Service: ...}` or "
        "role ARNs, or add a `Condition` to statements that trust an account or a provider.",
    ),
    references=(
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html",
    ),
    anchors=Anchors(checkov=("CKV_AWS_60", "CKV_AWS_61")),
)
def iam_role_trust_scoped(identity: Identity) -> Verdict:
    if identity.kind is not IdentityKind.ROLE:
        return not_applicable(f"{identity.kind.value}s have no trust policy")
    match identity.trust_policy:
        case Absent():
            return not_applicable("no trust policy")
        case Unknown() as u:
            return unknown(u)
        case Known(value=document):
            pass
    breaches = [
        found
        for statement, allows in allowing(document)
        if (found := _breach(statement, allows)) is not None
    ]
    return verdict_of(
        f"role {identity.name}'s trust policy",
        breaches,
        "without a Condition that pins the caller",
        "trust a service principal or specific role ARNs, or add a Condition with fixed "
        "values (sts:ExternalId, aws:PrincipalOrgID, aws:PrincipalArn; for an OIDC provider "
        "the token's sub, for Cognito the identity pool's aud)",
        verb="trusts",
    )
