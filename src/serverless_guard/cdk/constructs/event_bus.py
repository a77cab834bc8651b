"""SecureEventBus: a custom EventBridge event bus encrypted with a KMS key."""

from __future__ import annotations

from aws_cdk import aws_events as events
from aws_cdk import aws_kms as kms
from constructs import Construct

from serverless_guard.cdk.constructs._policy_check import check_resource_policies
from serverless_guard.cdk.constructs._shared import warn
from serverless_guard.cdk.constructs._signature import init_l2, same_arguments_as
from serverless_guard.cdk.constructs.defaults import default_key
from serverless_guard.cdk.constructs.key import check_rotation, key_argument


class SecureEventBus(events.EventBus):
    """`events.EventBus` that passes every rule of the catalog by default.

    Takes the arguments of `events.EventBus`. Default: `kms_key`, the stack's shared key
    (`SecureDefaults`, `.key`; the bus adds the key policy statement EventBridge needs).
    `kms_key=None` warns. It is an `events.EventBus`: `bus.grant_put_events_to(fn)` includes
    `kms:GenerateDataKey` on the key.
    """

    @same_arguments_as(events.EventBus.__init__)
    def __init__(self, scope: Construct, id: str, **props: object) -> None:
        merged: dict[str, object] = {**props}
        if "kms_key" not in props:
            merged["kms_key"] = default_key(scope)
        init_l2(super().__init__, scope, id, merged)
        check_resource_policies(self)
        self.key: kms.IKey | None = key_argument(merged.get("kms_key"))
        check_rotation(self, props.get("kms_key"))
        if self.key is None:
            warn(self, "eventbridge-bus-encrypted", "kms_key is None")
