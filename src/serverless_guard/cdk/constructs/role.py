"""LeastPrivilegeRole: an IAM role whose trust and permissions are checked as they are given."""

from __future__ import annotations

from typing import Unpack

import jsii
from aws_cdk import aws_iam as iam
from constructs import Construct

from serverless_guard.cdk.constructs._iam_check import check_role, document
from serverless_guard.cdk.constructs._props import RoleKwargs


@jsii.implements(iam.IGrantable)
class LeastPrivilegeRole(Construct):
    """`iam.Role` that starts with no permissions and warns about broad ones.

    Takes the keyword arguments of `iam.Role`. The trust policy (`assumed_by`), the managed
    policies and the inline policies given, and every statement added through `add_to_policy`
    or `add_managed_policy`, are checked with the catalog's IAM rules; each one that is broken
    (a wildcard action, a write on `*`, NotAction in an Allow, iam:PassRole on every role, an
    administrator policy, a trust in everyone) adds a warning naming the rule. The role is
    `.role`; the construct is itself grantable (`table.grant_read_data(role_helper)`), and the
    grants of CDK's constructs are scoped to their resources.
    """

    def __init__(self, scope: Construct, id: str, **props: Unpack[RoleKwargs]) -> None:
        super().__init__(scope, id)
        self.role = iam.Role(self, "Default", **props)
        check_role(
            self,
            trust=self.role.assume_role_policy,
            managed_policy_arns=[p.managed_policy_arn for p in props.get("managed_policies") or ()],
            policies=dict(props.get("inline_policies") or {}),
        )

    @property
    def grant_principal(self) -> iam.IPrincipal:
        return self.role.grant_principal

    def add_to_policy(self, statement: iam.PolicyStatement) -> bool:
        """Add a statement to the role's policy after checking it."""
        added = document([statement.to_statement_json()])
        check_role(self, policies={"AddedStatement": added})
        return self.role.add_to_policy(statement)

    def add_managed_policy(self, policy: iam.IManagedPolicy) -> None:
        """Attach a managed policy after checking it is not an administrator policy."""
        check_role(self, managed_policy_arns=[policy.managed_policy_arn])
        self.role.add_managed_policy(policy)
