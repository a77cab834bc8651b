"""SecureUserPool: a Cognito user pool that requires MFA, long passwords, and blocks risky
sign-ins."""

from __future__ import annotations

from typing import Unpack, cast

import pulumi
import pulumi_aws as aws

from serverless_guard.catalog.access.cognito_user_pool_password_policy import PasswordParams
from serverless_guard.pulumi.components._base import SecureComponent, given
from serverless_guard.pulumi.components._wrapped import UserPoolKwargs, UserPoolOutputs

PASSWORD_POLICY = aws.cognito.UserPoolPasswordPolicyArgs(
    minimum_length=PasswordParams().min_length,
    require_lowercase=True,
    require_uppercase=True,
    require_numbers=True,
    require_symbols=True,
    temporary_password_validity_days=7,
)


class SecureUserPool(UserPoolOutputs, SecureComponent):
    """`aws.cognito.UserPool` that passes every rule of the catalog by default.

    Takes the arguments of `aws.cognito.UserPool`. Defaults: MFA required
    (`mfa_configuration="ON"`) with an authenticator app (`software_token_mfa_configuration`),
    a password policy of at least 12 characters requiring lowercase and uppercase letters,
    numbers and symbols, and threat protection blocking risky sign-ins (`user_pool_tier="PLUS"`,
    `user_pool_add_ons={"advanced_security_mode": "ENFORCED"}`; the Plus plan is billed per
    monthly active user). An argument given replaces its default. MFA off, a weaker password
    policy or threat protection off or in audit mode warns. The pool is `.user_pool`; its
    outputs (`id`, `arn`, `endpoint`...) are the component's.
    """

    def __init__(
        self,
        resource_name: str,
        args: aws.cognito.UserPoolArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        **kwargs: Unpack[UserPoolKwargs],
    ) -> None:
        super().__init__("SecureUserPool", resource_name, opts)
        values = cast(UserPoolKwargs, given(args, kwargs))
        merged: UserPoolKwargs = {
            "mfa_configuration": "ON",
            "software_token_mfa_configuration": {"enabled": True},
            "password_policy": PASSWORD_POLICY,
            "user_pool_tier": "PLUS",
            "user_pool_add_ons": {"advanced_security_mode": "ENFORCED"},
        }
        merged.update(values)
        self.user_pool = self.resource = aws.cognito.UserPool(
            resource_name, opts=self.wrapped(), **merged
        )
        self._wrapped = self.user_pool
        self.plan.add(aws.cognito.UserPool, resource_name, merged)
        self.plan.check()
        self.register_outputs({"arn": self.user_pool.arn, "id": self.user_pool.id})
