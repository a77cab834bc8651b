"""SecureTable: a DynamoDB table encrypted with a customer-managed key, with point-in-time
recovery."""

from __future__ import annotations

from typing import Unpack, cast

import pulumi
import pulumi_aws as aws

from serverless_guard.pulumi.components._base import SecureComponent, field_of, given
from serverless_guard.pulumi.components._grants import (
    KMS_DECRYPT,
    KMS_ENCRYPT_DECRYPT,
    GranteeLike,
    grant,
)
from serverless_guard.pulumi.components._wrapped import TableKwargs, TableOutputs
from serverless_guard.pulumi.components.key import KeyLike, key_for

READ_ACTIONS = (
    "dynamodb:BatchGetItem",
    "dynamodb:ConditionCheckItem",
    "dynamodb:DescribeTable",
    "dynamodb:GetItem",
    "dynamodb:Query",
    "dynamodb:Scan",
)
WRITE_ACTIONS = (
    "dynamodb:BatchWriteItem",
    "dynamodb:DeleteItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
)


class SecureTable(TableOutputs, SecureComponent):
    """`aws.dynamodb.Table` that passes every rule of the catalog by default.

    Takes the arguments of `aws.dynamodb.Table`, plus `kms_key` (a SecureKey or an
    `aws.kms.Key`). Defaults: `server_side_encryption` with a customer-managed key (`kms_key`,
    else the program's `shared_key`, else a SecureKey of its own), `point_in_time_recovery`
    on, and `billing_mode="PAY_PER_REQUEST"` unless capacities are given. A
    `server_side_encryption` given replaces the default block (`kms_key_arn` in it shares a
    key); `server_side_encryption=None` (the AWS-owned key) or point-in-time recovery off warns.
    The table is `.table`; its outputs (`arn`, `name`, `stream_arn`...) are the component's.
    `grant_read(fn)` and `grant_read_write(fn)` allow the table's and its indexes' actions, and
    the key's.
    """

    def __init__(
        self,
        resource_name: str,
        args: aws.dynamodb.TableArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        *,
        kms_key: KeyLike | None = None,
        **kwargs: Unpack[TableKwargs],
    ) -> None:
        super().__init__("SecureTable", resource_name, opts)
        values = cast(TableKwargs, given(args, kwargs))
        merged: TableKwargs = {"point_in_time_recovery": {"enabled": True}}
        if not {"billing_mode", "read_capacity", "write_capacity"} & values.keys():
            merged["billing_mode"] = "PAY_PER_REQUEST"
        self.key: KeyLike | None = None
        self.key_arn: pulumi.Input[str | None] = None
        if "server_side_encryption" in values:
            arn = field_of(values["server_side_encryption"], "kms_key_arn")
            self.key_arn = arn if isinstance(arn, str | pulumi.Output) else None
        else:
            self.key = key_for(self, kms_key)
            self.key_arn = self.key.arn
            merged["server_side_encryption"] = {"enabled": True, "kms_key_arn": self.key.arn}
        merged.update(values)
        self.table = self.resource = aws.dynamodb.Table(
            resource_name, opts=self.wrapped(), **merged
        )
        self._wrapped = self.table
        self.plan.add(aws.dynamodb.Table, resource_name, merged)
        self.plan.check()
        self.register_outputs({"arn": self.table.arn, "name": self.table.name})

    def _resources(self) -> list[pulumi.Input[str]]:
        return [self.table.arn, self.table.arn.apply(lambda arn: f"{arn}/index/*")]

    def grant_read(self, grantee: GranteeLike) -> aws.iam.RolePolicy:
        """Let the grantee read items (get, query, scan), and decrypt them."""
        return grant(
            self, "read", grantee, READ_ACTIONS, self._resources(), self.key_arn, KMS_DECRYPT
        )

    def grant_read_write(self, grantee: GranteeLike) -> aws.iam.RolePolicy:
        """Let the grantee read and write items, and encrypt and decrypt them."""
        actions = (*READ_ACTIONS, *WRITE_ACTIONS)
        return grant(
            self,
            "read-write",
            grantee,
            actions,
            self._resources(),
            self.key_arn,
            KMS_ENCRYPT_DECRYPT,
        )
