"""SecureEventBus: a custom EventBridge event bus encrypted with its own KMS key."""

from __future__ import annotations

from typing import Unpack

from aws_cdk import aws_events as events
from aws_cdk import aws_kms as kms
from constructs import Construct

from serverless_guard.cdk.constructs._children import new_key
from serverless_guard.cdk.constructs._props import EventBusKwargs
from serverless_guard.cdk.constructs._shared import warn


class SecureEventBus(Construct):
    """`events.EventBus` that passes every rule of the catalog by default.

    Takes the keyword arguments of `events.EventBus`. Default: `kms_key`, a SecureKey of its
    own (`.key`; the bus adds the key policy statement EventBridge needs). `kms_key=None`
    warns. The bus is `.event_bus`; grant with its methods
    (`secure.event_bus.grant_put_events_to(fn)`: with `kms:GenerateDataKey` on the key).
    """

    def __init__(self, scope: Construct, id: str, **props: Unpack[EventBusKwargs]) -> None:
        super().__init__(scope, id)
        merged: EventBusKwargs = {**props}
        if "kms_key" not in props:
            merged["kms_key"] = new_key(self)
        self.key: kms.IKey | None = merged.get("kms_key")
        if self.key is None:
            warn(self, "eventbridge-bus-encrypted", "kms_key is None")
        self.event_bus = events.EventBus(self, "Default", **merged)
