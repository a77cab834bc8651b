"""LeastPrivilegeRole: an IAM role whose trust and permissions are checked with the IAM rules."""

from __future__ import annotations

from aws_cdk import AspectPriority, Aspects
from aws_cdk import aws_iam as iam
from constructs import Construct

from serverless_guard.cdk.constructs._iam_check import RoleChecks
from serverless_guard.cdk.constructs._signature import init_l2, same_arguments_as


class LeastPrivilegeRole(iam.Role):
    """`iam.Role` that starts with no permissions and warns about broad ones.

    Takes the arguments of `iam.Role`. At synthesis, its trust policy (`assumed_by`), managed
    policies, inline policies and every statement added to it (`add_to_policy`,
    `add_to_principal_policy`, grants) are checked with the catalog's IAM rules; each one that
    is broken (a wildcard action, a write on `*`, NotAction in an Allow, iam:PassRole on every
    role, an administrator policy, a trust in everyone) adds a warning naming the rule. It is
    an `iam.Role`: the grants of CDK's constructs (`table.grant_read_data(role)`) are scoped to
    their resources.
    """

    @same_arguments_as(iam.Role.__init__)
    def __init__(self, scope: Construct, id: str, **props: object) -> None:
        init_l2(super().__init__, scope, id, props)
        Aspects.of(self).add(RoleChecks(self), priority=AspectPriority.READONLY)
