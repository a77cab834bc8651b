"""SecureEventBus: a custom EventBridge event bus encrypted with a customer-managed key."""

from __future__ import annotations

from typing import Unpack, cast

import pulumi
import pulumi_aws as aws

from serverless_guard.pulumi.components._base import SecureComponent, given
from serverless_guard.pulumi.components._grants import GranteeLike, grant
from serverless_guard.pulumi.components._wrapped import EventBusKwargs, EventBusOutputs
from serverless_guard.pulumi.components.key import KeyLike, key_for


class SecureEventBus(EventBusOutputs, SecureComponent):
    """`aws.cloudwatch.EventBus` that passes every rule of the catalog by default.

    Takes the arguments of `aws.cloudwatch.EventBus`, plus `kms_key` (a SecureKey or an
    `aws.kms.Key`). Default: `kms_key_identifier`, a customer-managed key (`kms_key`, else the
    program's `shared_key`, else a SecureKey of its own, whose policy lets EventBridge use it
    for this account's buses). `kms_key_identifier=None` (an AWS-owned key) warns. The bus is
    `.event_bus`; its outputs (`arn`, `name`...) are the component's. `grant_put_events(fn)`
    allows `events:PutEvents` on the bus and `kms:GenerateDataKey` on its key.
    """

    def __init__(
        self,
        resource_name: str,
        args: aws.cloudwatch.EventBusArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        *,
        kms_key: KeyLike | None = None,
        **kwargs: Unpack[EventBusKwargs],
    ) -> None:
        super().__init__("SecureEventBus", resource_name, opts)
        values = cast(EventBusKwargs, given(args, kwargs))
        merged: EventBusKwargs = {}
        self.key: KeyLike | None = None
        self.key_arn: pulumi.Input[str | None] = values.get("kms_key_identifier")
        if "kms_key_identifier" not in values:
            self.key = key_for(self, kms_key)
            self.key_arn = merged["kms_key_identifier"] = self.key.arn
        merged.update(values)
        self.event_bus = self.resource = aws.cloudwatch.EventBus(
            resource_name, opts=self.wrapped(), **merged
        )
        self._wrapped = self.event_bus
        self.plan.add(aws.cloudwatch.EventBus, resource_name, merged)
        self.plan.check()
        self.register_outputs({"arn": self.event_bus.arn, "name": self.event_bus.name})

    def grant_put_events(self, grantee: GranteeLike) -> aws.iam.RolePolicy:
        """Let the grantee put events on the bus (and encrypt them with its key)."""
        return grant(
            self,
            "put-events",
            grantee,
            ["events:PutEvents"],
            [self.event_bus.arn],
            self.key_arn,
            ["kms:GenerateDataKey"],
        )
