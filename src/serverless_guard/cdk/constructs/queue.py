"""SecureQueue: an SQS queue encrypted with its own KMS key, TLS-only, with a dead-letter queue."""

from __future__ import annotations

from typing import Unpack

from aws_cdk import aws_kms as kms
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from serverless_guard.cdk.constructs._children import dead_letter_queue, new_key
from serverless_guard.cdk.constructs._props import QueueKwargs
from serverless_guard.cdk.constructs._shared import warn

MAX_RECEIVE_COUNT = 5
"""Receives before a message moves to the dead-letter queue."""

_KMS = (sqs.QueueEncryption.KMS, sqs.QueueEncryption.KMS_MANAGED)
_DEAD_LETTER = (sqs.RedrivePermission.ALLOW_ALL, sqs.RedrivePermission.BY_QUEUE)


def is_dead_letter_queue(props: QueueKwargs) -> bool:
    """Whether the redrive allow policy makes the queue a dead-letter queue for others."""
    policy = props.get("redrive_allow_policy")
    return policy is not None and (
        policy.redrive_permission in _DEAD_LETTER
        or (policy.redrive_permission is None and bool(policy.source_queues))
    )


class SecureQueue(Construct):
    """`sqs.Queue` that passes every rule of the catalog by default.

    Takes the keyword arguments of `sqs.Queue`. Defaults: `encryption=KMS` with a SecureKey of
    its own (`.key`; or the `encryption_master_key` given), `enforce_ssl=True` (a queue policy
    that denies requests without TLS), and `dead_letter_queue`: a queue of its own
    (`.dead_letter_queue`, same key, TLS-only, FIFO when the queue is) that receives a message
    after 5 failed receives (none when `redrive_allow_policy` makes the queue a dead-letter
    queue itself). SQS-managed or no encryption, or `enforce_ssl=False`, warns. The
    queue is `.queue`; grant with its methods (`secure.queue.grant_send_messages(fn)`: the
    grant includes the KMS actions on the key).
    """

    def __init__(self, scope: Construct, id: str, **props: Unpack[QueueKwargs]) -> None:
        super().__init__(scope, id)
        merged: QueueKwargs = {"encryption": sqs.QueueEncryption.KMS, "enforce_ssl": True, **props}
        self.key: kms.IKey | None = merged.get("encryption_master_key")
        if merged.get("encryption") is sqs.QueueEncryption.KMS and self.key is None:
            self.key = new_key(self)
            merged["encryption_master_key"] = self.key
        self.dead_letter_queue: sqs.IQueue | None = None
        given = merged.get("dead_letter_queue")
        if given is not None:
            self.dead_letter_queue = given.queue
        elif "dead_letter_queue" not in props and not is_dead_letter_queue(merged):
            own = dead_letter_queue(
                self, "DeadLetterQueue", self.key, fifo=bool(merged.get("fifo"))
            )
            self.dead_letter_queue = own
            merged["dead_letter_queue"] = sqs.DeadLetterQueue(
                queue=own, max_receive_count=MAX_RECEIVE_COUNT
            )
        self._warn_weakened(merged)
        self.queue = sqs.Queue(self, "Default", **merged)

    def _warn_weakened(self, merged: QueueKwargs) -> None:
        if merged.get("encryption") not in _KMS and merged.get("encryption_master_key") is None:
            warn(self, "sqs-queue-encrypted", "encryption is not KMS")
        if not merged.get("enforce_ssl"):
            warn(self, "sqs-queue-tls-only", "enforce_ssl is off")
        if merged.get("dead_letter_queue") is None and not is_dead_letter_queue(merged):
            warn(self, "sqs-queue-dlq", "dead_letter_queue is None")
