"""AWS::Cognito::UserPool and AWS::Cognito::IdentityPool."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from serverless_guard.engines.cloudformation.extract.base import CfnResource, Extractor
from serverless_guard.engines.props import Props, first_child
from serverless_guard.facts.base import Resource
from serverless_guard.facts.cognito import IdentityPool, PasswordPolicy, UserPool
from serverless_guard.facts.value import Known, Value


def password_policy(policy: Props, spell: Callable[[str], str] = str) -> Value[PasswordPolicy]:
    """A written password policy; `spell` gives an engine's name of each CloudFormation key
    (pulumi-aws writes them in camelCase)."""
    return Known(
        PasswordPolicy(
            minimum_length=policy.integer(spell("MinimumLength")),
            require_lowercase=policy.boolean(spell("RequireLowercase")),
            require_uppercase=policy.boolean(spell("RequireUppercase")),
            require_numbers=policy.boolean(spell("RequireNumbers")),
            require_symbols=policy.boolean(spell("RequireSymbols")),
        ),
        policy.at,
    )


def user_pool(res: CfnResource) -> Iterable[Resource]:
    props = res.props
    add_ons = props.child("UserPoolAddOns")
    policy = first_child(props.child("Policies"), "PasswordPolicy")
    yield UserPool(
        **res.identity(extra_aliases=(f"${{{res.id}.UserPoolId}}",)),
        mfa=props.string("MfaConfiguration"),
        threat_protection=add_ons.string("AdvancedSecurityMode")
        if isinstance(add_ons, Props)
        else add_ons,
        tier=props.string("UserPoolTier"),
        password_policy=password_policy(policy) if isinstance(policy, Props) else policy,
    )


def identity_pool(res: CfnResource) -> Iterable[Resource]:
    props = res.props
    yield IdentityPool(
        **res.identity(ref_is_name=False),
        pool_name=props.string("IdentityPoolName"),
        allow_unauthenticated=props.boolean("AllowUnauthenticatedIdentities"),
    )


EXTRACTORS: dict[str, Extractor] = {
    "AWS::Cognito::UserPool": user_pool,
    "AWS::Cognito::IdentityPool": identity_pool,
}
