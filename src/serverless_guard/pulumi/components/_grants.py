"""Grants: an inline policy on the grantee's role that allows named actions on the granting
component's resource ARNs, and on its KMS key's ARN when the resource is encrypted with one."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import pulumi
import pulumi_aws as aws

from serverless_guard.pulumi.components._base import SecureComponent
from serverless_guard.pulumi.components._documents import allow, document

KMS_DECRYPT = ("kms:Decrypt", "kms:DescribeKey")
KMS_ENCRYPT_DECRYPT = (
    "kms:Decrypt",
    "kms:DescribeKey",
    "kms:Encrypt",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
    "kms:GenerateDataKey",
    "kms:GenerateDataKeyWithoutPlaintext",
)
KMS_PRODUCE = ("kms:GenerateDataKey", "kms:Decrypt")


@runtime_checkable
class Grantee(Protocol):
    """What can be granted access: a component with an execution role (SecureFunction,
    SecureStateMachine, LeastPrivilegeRole)."""

    @property
    def pulumi_resource_name(self) -> str: ...

    @property
    def grant_role_name(self) -> pulumi.Input[str]:
        """The name of the role the grant's policy is attached to."""
        ...


GranteeLike = Grantee | aws.iam.Role
"""A grantee: a component with a role, or any `aws.iam.Role` of the program."""


def grant(
    owner: SecureComponent,
    verb: str,
    grantee: GranteeLike,
    actions: Sequence[str],
    resources: Sequence[pulumi.Input[str]],
    key_arn: pulumi.Input[str | None] = None,
    key_actions: Sequence[str] = (),
) -> aws.iam.RolePolicy:
    """An inline policy `<grantee>-<verb>-<owner>` on the grantee's role: `actions` on
    `resources`, and `key_actions` on the key when there is one. It is a child of the grantee
    when the grantee is a component (its permissions live with it), else of the owner."""
    role = grantee.name if isinstance(grantee, aws.iam.Role) else grantee.grant_role_name
    with_key = key_arn is not None and bool(key_actions)

    def build(arns: list[str]) -> str:
        statements = [allow(actions, arns[: len(resources)])]
        if with_key:
            statements.append(allow(key_actions, [arns[-1]]))
        return json.dumps(document(statements), separators=(",", ":"))

    arns = [*resources, *([key_arn] if with_key else [])]
    parent = grantee if isinstance(grantee, SecureComponent) else owner
    return aws.iam.RolePolicy(
        f"{grantee.pulumi_resource_name}-{verb}-{owner.pulumi_resource_name}",
        role=role,
        policy=pulumi.Output.all(*arns).apply(build),
        opts=parent.child(),
    )
