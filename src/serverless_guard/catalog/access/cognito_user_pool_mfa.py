from __future__ import annotations

from dataclasses import dataclass

from serverless_guard.catalog.fix import AnyOf, Fix
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
from serverless_guard.facts.cognito import UserPool
from serverless_guard.facts.value import Absent, Known, Unknown

OFFER_MFA = Fix.set(UserPool, "mfa", AnyOf(("ON", "OPTIONAL")))
REQUIRE_MFA = Fix.set(UserPool, "mfa", "ON")


@dataclass(frozen=True, slots=True)
class MfaParams:
    require_on: bool = param(
        False,
        "Require MFA for every user (MfaConfiguration ON); by default OPTIONAL passes too.",
    )


@rule(
    id="cognito-user-pool-mfa",
    title="Cognito user pools offer multi-factor authentication",
    severity=Severity.MEDIUM,
    domain=Domain.NETWORK,
    rationale=(
        "With MFA off, a password is all that stands between an attacker and an account: "
        "passwords are reused, phished and stuffed from other sites' leaks. A second factor "
        "(an authenticator app, a passkey, a one-time code) stops those attacks. OPTIONAL lets "
        "each user turn it on; ON requires it of everyone (`require_on`). Without "
        "MfaConfiguration a user pool has MFA off."
    ),
    remediation=Remediation(
        cdk="Set `mfa=cognito.Mfa.REQUIRED` (or OPTIONAL) with `mfa_second_factor="
        "cognito.MfaSecondFactor(otp=True, sms=False)` on `cognito.UserPool` "
        "(SecureUserPool does this).",
        pulumi="Set `mfa_configuration='ON'` (or `'OPTIONAL'`) with "
        "`software_token_mfa_configuration={'enabled': True}` on `aws.cognito.UserPool`.",
        cloudformation="Set `MfaConfiguration: ON` (or OPTIONAL) and `EnabledMfas: "
        "[SOFTWARE_TOKEN_MFA]` on `AWS::Cognito::UserPool`.",
    ),
    references=(
        "https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-mfa.html",
        "https://docs.aws.amazon.com/securityhub/latest/userguide/cognito-controls.html#cognito-5",
    ),
    params=MfaParams,
    anchors=Anchors(fsbp=("Cognito.5",), cdk_nag=("AwsSolutions-COG2",)),
    fixes=(OFFER_MFA, REQUIRE_MFA),
)
def cognito_user_pool_mfa(pool: UserPool, ctx: Context[MfaParams]) -> Verdict:
    fix = REQUIRE_MFA if ctx.params.require_on else OFFER_MFA
    match pool.mfa:
        case Unknown() as u:
            return unknown(u)
        case Absent():
            return failed(
                f"user pool {pool.name} has no MFA (it is off when not set)", at=pool.mfa, fix=fix
            )
        case Known(value=mode):
            setting = mode.strip().upper()
    if setting == "ON" or (setting == "OPTIONAL" and not ctx.params.require_on):
        return passed()
    if setting == "OPTIONAL":
        return failed(
            f"user pool {pool.name} leaves MFA optional, and require_on asks it of every user",
            at=pool.mfa,
            fix=REQUIRE_MFA,
        )
    return failed(f"user pool {pool.name} has MFA {mode}", at=pool.mfa, fix=fix)
