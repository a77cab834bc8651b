"""pulumi-aws (classic) Cognito user pools and identity pools."""

from __future__ import annotations

from collections.abc import Iterable

from serverless_guard.engines.cloudformation.extract.cognito import password_policy
from serverless_guard.engines.pulumi.extract.base import Extractor, PulumiView
from serverless_guard.engines.pulumi.extract.classic.inputs import (
    plain_identity,
    plain_inputs,
    read,
)
from serverless_guard.facts.base import Resource
from serverless_guard.facts.cognito import IdentityPool, UserPool


def _camel(name: str) -> str:
    return name[:1].lower() + name[1:]


def user_pool(view: PulumiView) -> Iterable[Resource]:
    """`cognito.UserPool`; `passwordPolicy` holds the policy itself (no `Policies` level)."""
    inputs = plain_inputs(view)
    policy = inputs.child("passwordPolicy")
    yield UserPool(
        **plain_identity(view, "name"),
        mfa=inputs.string("mfaConfiguration"),
        threat_protection=read(
            inputs.child("userPoolAddOns"), lambda a: a.string("advancedSecurityMode")
        ),
        tier=inputs.string("userPoolTier"),
        password_policy=read(policy, lambda p: password_policy(p, _camel)),
    )


def identity_pool(view: PulumiView) -> Iterable[Resource]:
    inputs = plain_inputs(view)
    yield IdentityPool(
        **view.identity(),
        pool_name=inputs.string("identityPoolName"),
        allow_unauthenticated=inputs.boolean("allowUnauthenticatedIdentities"),
    )


EXTRACTORS: dict[str, Extractor] = {
    "aws:cognito/userPool:UserPool": user_pool,
    "aws:cognito/identityPool:IdentityPool": identity_pool,
}
