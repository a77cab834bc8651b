"""SecureUserPool: a Cognito user pool that requires MFA, long passwords, and blocks risky
sign-ins."""

from __future__ import annotations

from collections.abc import Mapping

from aws_cdk import aws_cognito as cognito
from constructs import Construct

from serverless_guard.catalog.access.cognito_user_pool_password_policy import PasswordParams
from serverless_guard.cdk.constructs._shared import as_struct, layered, warn
from serverless_guard.cdk.constructs._signature import init_l2, same_arguments_as

_PASSWORDS = PasswordParams()
_PASSWORD_DEFAULTS: dict[str, object] = {
    "min_length": _PASSWORDS.min_length,
    "require_lowercase": True,
    "require_uppercase": True,
    "require_digits": True,
    "require_symbols": True,
}


class SecureUserPool(cognito.UserPool):
    """`cognito.UserPool` that passes every rule of the catalog by default.

    Takes the arguments of `cognito.UserPool`. Defaults: MFA required
    (`mfa=Mfa.REQUIRED`) with an authenticator app (`mfa_second_factor` OTP, not SMS), a
    password policy of at least 12 characters requiring lowercase and uppercase letters,
    digits and symbols (a `password_policy` given is layered field by field over it), and
    threat protection blocking risky sign-ins (`feature_plan=FeaturePlan.PLUS`,
    `standard_threat_protection_mode=FULL_FUNCTION`; the Plus plan is billed per monthly
    active user). MFA off, a weaker password policy or threat protection off or in audit mode
    warns and names the rule. It is a `cognito.UserPool`: `pool.add_client(...)`,
    `pool.add_domain(...)` work unchanged.
    """

    @same_arguments_as(cognito.UserPool.__init__)
    def __init__(self, scope: Construct, id: str, **props: object) -> None:
        merged: dict[str, object] = {
            "mfa": cognito.Mfa.REQUIRED,
            "mfa_second_factor": cognito.MfaSecondFactor(otp=True, sms=False),
            "feature_plan": cognito.FeaturePlan.PLUS,
            "standard_threat_protection_mode": cognito.StandardThreatProtectionMode.FULL_FUNCTION,
            **props,
        }
        merged["password_policy"] = layered(
            cognito.PasswordPolicy, _PASSWORD_DEFAULTS, props.get("password_policy")
        )
        init_l2(super().__init__, scope, id, merged)
        self._warn_weakened(merged)

    def _warn_weakened(self, merged: Mapping[str, object]) -> None:
        if merged.get("mfa") in (None, cognito.Mfa.OFF):
            warn(self, "cognito-user-pool-mfa", "mfa is off")
        protected = (
            merged.get("standard_threat_protection_mode")
            is cognito.StandardThreatProtectionMode.FULL_FUNCTION
            or merged.get("advanced_security_mode") is cognito.AdvancedSecurityMode.ENFORCED
        )
        if not protected:
            warn(
                self,
                "cognito-user-pool-threat-protection",
                "threat protection does not block risky sign-ins",
            )
        policy = as_struct(cognito.PasswordPolicy, merged.get("password_policy"))
        if policy is None:
            return
        length = policy.min_length if policy.min_length is not None else 8
        weak = [f"min_length {length}"] if length < _PASSWORDS.min_length else []
        for name in ("require_lowercase", "require_uppercase", "require_digits", "require_symbols"):
            if getattr(policy, name) is False:
                weak.append(f"{name} is off")
        if weak:
            warn(self, "cognito-user-pool-password-policy", ", ".join(weak))
