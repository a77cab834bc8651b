"""SecureQueue: an SQS queue encrypted with a KMS key, TLS-only, with a dead-letter queue."""

from __future__ import annotations

from collections.abc import Mapping

from aws_cdk import aws_kms as kms
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from serverless_guard.cdk.constructs._children import dead_letter_queue, record_helpers
from serverless_guard.cdk.constructs._policy_check import check_resource_policies
from serverless_guard.cdk.constructs._shared import as_struct, warn
from serverless_guard.cdk.constructs._signature import init_l2, same_arguments_as
from serverless_guard.cdk.constructs.defaults import default_queue_key
from serverless_guard.cdk.constructs.key import check_rotation, key_argument

MAX_RECEIVE_COUNT = 5
"""Receives before a message moves to the dead-letter queue."""

_KMS = (sqs.QueueEncryption.KMS, sqs.QueueEncryption.KMS_MANAGED)
_DEAD_LETTER = (sqs.RedrivePermission.ALLOW_ALL, sqs.RedrivePermission.BY_QUEUE)


def is_dead_letter_queue(props: Mapping[str, object]) -> bool:
    """Whether the redrive allow policy makes the queue a dead-letter queue for others."""
    policy = as_struct(sqs.RedriveAllowPolicy, props.get("redrive_allow_policy"))
    return policy is not None and (
        policy.redrive_permission in _DEAD_LETTER
        or (policy.redrive_permission is None and bool(policy.source_queues))
    )


class SecureQueue(sqs.Queue):
    """`sqs.Queue` that passes every rule of the catalog by default.

    Takes the arguments of `sqs.Queue`. Defaults: `encryption=KMS` with the stack's shared queue
    key (`SecureDefaults.queue_encryption_key`; or the `encryption_master_key` given),
    `enforce_ssl=True` (a queue policy that denies requests without TLS), and
    `dead_letter_queue`: a queue beside it (`<id>DeadLetterQueue`: same key, TLS-only, FIFO
    when the queue is) that receives a message after 5 failed receives (none when
    `redrive_allow_policy` makes the queue a dead-letter queue itself). SQS-managed or no
    encryption, `enforce_ssl=False` or `dead_letter_queue=None` warns. It is an `sqs.Queue`:
    `queue.grant_send_messages(fn)` includes the KMS actions on the key
    (`.encryption_master_key`, also `.key`); the dead-letter queue is
    `.dead_letter_queue.queue`.
    """

    @same_arguments_as(sqs.Queue.__init__)
    def __init__(self, scope: Construct, id: str, **props: object) -> None:
        merged: dict[str, object] = {
            "encryption": sqs.QueueEncryption.KMS,
            "enforce_ssl": True,
            **props,
        }
        key = merged.get("encryption_master_key")
        if merged.get("encryption") is sqs.QueueEncryption.KMS and key is None:
            key = merged["encryption_master_key"] = default_queue_key(scope)
        own: sqs.Queue | None = None
        if "dead_letter_queue" not in props and not is_dead_letter_queue(merged):
            own = dead_letter_queue(
                scope, f"{id}DeadLetterQueue", key_argument(key), fifo=bool(merged.get("fifo"))
            )
            merged["dead_letter_queue"] = sqs.DeadLetterQueue(
                queue=own, max_receive_count=MAX_RECEIVE_COUNT
            )
        init_l2(super().__init__, scope, id, merged)
        check_resource_policies(self)
        self.key: kms.IKey | None = self.encryption_master_key
        record_helpers(self, own)
        check_rotation(self, props.get("encryption_master_key"))
        self._warn_weakened(merged)

    def _warn_weakened(self, merged: Mapping[str, object]) -> None:
        if merged.get("encryption") not in _KMS and merged.get("encryption_master_key") is None:
            warn(self, "sqs-queue-encrypted", "encryption is not KMS")
        if not merged.get("enforce_ssl"):
            warn(self, "sqs-queue-tls-only", "enforce_ssl is off")
        if merged.get("dead_letter_queue") is None and not is_dead_letter_queue(merged):
            warn(self, "sqs-queue-dlq", "dead_letter_queue is None")
