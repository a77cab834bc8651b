from __future__ import annotations

from dataclasses import dataclass

from serverless_guard.catalog.fix import Fix
from serverless_guard.catalog.params import param
from serverless_guard.catalog.rule import (
    Anchors,
    Context,
    Domain,
    Remediation,
    Severity,
    Verdict,
    failed,
    passed,
    rule,
    unknown,
)
from serverless_guard.facts.cognito import IdentityPool
from serverless_guard.facts.value import Absent, Known, Unknown

NO_GUESTS = Fix.set(IdentityPool, "allow_unauthenticated", False)


@dataclass(frozen=True, slots=True)
class GuestAccessParams:
    guest_access_pools: tuple[str, ...] = param(
        [],
        "Identity pools that may give guests (unauthenticated identities) AWS credentials, by "
        "IdentityPoolName, exactly as written: a public app whose guest role is reviewed.",
    )


@rule(
    id="cognito-identity-pool-no-unauthenticated",
    title="Cognito identity pools give AWS credentials only to signed-in users",
    severity=Severity.HIGH,
    domain=Domain.NETWORK,
    rationale=(
        "An identity pool that allows unauthenticated identities hands temporary AWS "
        "credentials for its guest role to anyone on the internet who asks, without a sign-in: "
        "whatever that role may do, everyone may do, and nothing ties the calls to a person. "
        "Guest access is rarely needed; where a public app needs it, name the pool in "
        "`guest_access_pools` and keep its guest role minimal."
    ),
    remediation=Remediation(
        cdk="Leave `allow_unauthenticated_identities` unset (false) on "
        "`cognito_identitypool.IdentityPool` (or `cognito.CfnIdentityPool`).",
        pulumi="Set `allow_unauthenticated_identities=False` (the default) on "
        "`aws.cognito.IdentityPool`.",
        cloudformation="Set `AllowUnauthenticatedIdentities: false` on "
        "`AWS::Cognito::IdentityPool`.",
    ),
    references=(
        "https://docs.aws.amazon.com/cognito/latest/developerguide/identity-pools.html",
        "https://docs.aws.amazon.com/securityhub/latest/userguide/cognito-controls.html#cognito-2",
    ),
    params=GuestAccessParams,
    anchors=Anchors(fsbp=("Cognito.2",), cdk_nag=("AwsSolutions-COG7",), checkov=("CKV_AWS_366",)),
    fixes=(NO_GUESTS,),
)
def cognito_identity_pool_no_unauthenticated(
    pool: IdentityPool, ctx: Context[GuestAccessParams]
) -> Verdict:
    match pool.allow_unauthenticated:
        case Unknown() as u:
            return unknown(u)
        case Known(value=False) | Absent():
            return passed()
    allowed = ctx.params.guest_access_pools
    match pool.pool_name:
        case Known(value=name) if name in allowed:
            return passed(f"identity pool {name} may give guests access (guest_access_pools)")
        case Unknown() as u if allowed:
            return unknown(
                u,
                f"identity pool {pool.name} allows guests and its name is only known at "
                f"deployment ({u.reason}): it may or may not be one of guest_access_pools",
            )
    return failed(
        f"identity pool {pool.name} gives AWS credentials to unauthenticated guests (list a pool "
        "that must allow guests in guest_access_pools)",
        at=pool.allow_unauthenticated,
        fix=NO_GUESTS,
    )
