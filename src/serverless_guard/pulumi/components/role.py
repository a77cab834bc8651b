"""LeastPrivilegeRole: an IAM role whose trust and permissions are checked as they are given."""

from __future__ import annotations

from typing import Unpack, cast

import pulumi
import pulumi_aws as aws

from serverless_guard.pulumi.components._base import SecureComponent, given
from serverless_guard.pulumi.components._check import Plan
from serverless_guard.pulumi.components._inputs import LATER
from serverless_guard.pulumi.components._wrapped import RoleKwargs, RoleOutputs


class LeastPrivilegeRole(RoleOutputs, SecureComponent):
    """`aws.iam.Role` that starts with no permissions and warns about broad ones.

    Takes the arguments of `aws.iam.Role`. The trust policy (`assume_role_policy`), the
    `managed_policy_arns` and `inline_policies` given, and every policy added with
    `add_policy` or `attach_managed_policy`, are checked with the catalog's IAM rules; each
    one that is broken (a wildcard action, a write on `*`, NotAction in an Allow,
    iam:PassRole on every role, an administrator policy, a trust in everyone or in a whole
    account without a condition) logs a warning naming the rule. The role is `.role`; its
    outputs (`arn`, `name`, `id`...) are the component's, and it can be granted access
    (`table.grant_read(role)`).
    """

    def __init__(
        self,
        resource_name: str,
        args: aws.iam.RoleArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        **kwargs: Unpack[RoleKwargs],
    ) -> None:
        super().__init__("LeastPrivilegeRole", resource_name, opts)
        values = cast(RoleKwargs, given(args, kwargs))
        self.role = self.resource = aws.iam.Role(resource_name, opts=self.wrapped(), **values)
        self._wrapped = self.role
        self.plan.add(aws.iam.Role, resource_name, values)
        self.plan.check()
        self.register_outputs({"arn": self.role.arn, "name": self.role.name})

    @property
    def grant_role_name(self) -> pulumi.Input[str]:
        return self.role.name

    def add_policy(
        self, name: str, policy: pulumi.Input[str], *, check: object = None
    ) -> aws.iam.RolePolicy:
        """An inline policy `<role>-<name>` on the role (a JSON document), checked with the IAM
        rules (`check`: the document to check instead, when `policy` is only known later)."""
        full = f"{self.pulumi_resource_name}-{name}"
        added = aws.iam.RolePolicy(full, role=self.role.id, policy=policy, opts=self.child())
        plan = Plan(self)
        plan.add(aws.iam.RolePolicy, full, {"role": LATER, "policy": check or policy})
        plan.check()
        return added

    def attach_managed_policy(
        self, name: str, policy_arn: pulumi.Input[str]
    ) -> aws.iam.RolePolicyAttachment:
        """Attach a managed policy (`<role>-<name>`), after checking it is not an
        administrator policy."""
        full = f"{self.pulumi_resource_name}-{name}"
        attached = aws.iam.RolePolicyAttachment(
            full, role=self.role.name, policy_arn=policy_arn, opts=self.child()
        )
        plan = Plan(self)
        plan.add(aws.iam.RolePolicyAttachment, full, {"role": LATER, "policy_arn": policy_arn})
        plan.check()
        return attached
