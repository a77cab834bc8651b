"""SQS, SNS and EventBridge facts."""

from __future__ import annotations

from dataclasses import dataclass, field

from serverless_guard.facts.base import Resource
from serverless_guard.facts.value import Absent, Value


@dataclass(frozen=True, slots=True, kw_only=True)
class Queue(Resource):
    kms_key: Value[str] = field(default_factory=Absent)
    sqs_managed_sse: Value[bool] = field(default_factory=Absent)
    dead_letter_target: Value[str] = field(default_factory=Absent)
    """The rendered ARN of the queue's dead-letter queue (its redrive policy)."""
    redrive_permission: Value[str] = field(default_factory=Absent)
    """Which queues may use this one as their dead-letter queue (its redrive allow policy):
    `allowAll` (the service default), `byQueue` or `denyAll`."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Topic(Resource):
    kms_key: Value[str] = field(default_factory=Absent)


@dataclass(frozen=True, slots=True, kw_only=True)
class EventBus(Resource):
    kms_key: Value[str] = field(default_factory=Absent)


@dataclass(frozen=True, slots=True, kw_only=True)
class QueueRedrive(Resource):
    """A queue's redrive policy or redrive allow policy declared as a resource of its own
    (pulumi-aws `sqs.RedrivePolicy`, `sqs.RedriveAllowPolicy`); `queue` links to the queue.
    Its fields mean what the queue's fields of the same names mean."""

    queue: str
    dead_letter_target: Value[str] = field(default_factory=Absent)
    redrive_permission: Value[str] = field(default_factory=Absent)
