"""SecureQueue: an SQS queue encrypted with a customer-managed key, TLS-only, with a dead-letter
queue."""

from __future__ import annotations

import json
from typing import Unpack, cast

import pulumi
import pulumi_aws as aws

from serverless_guard.pulumi.components._base import SecureComponent, given
from serverless_guard.pulumi.components._children import dead_letter_queue, queue_tls_policy
from serverless_guard.pulumi.components._grants import KMS_DECRYPT, KMS_PRODUCE, GranteeLike, grant
from serverless_guard.pulumi.components._inputs import LATER
from serverless_guard.pulumi.components._wrapped import QueueKwargs, QueueOutputs
from serverless_guard.pulumi.components.key import KeyLike, key_for

MAX_RECEIVE_COUNT = 5
"""Receives before a message moves to the dead-letter queue."""

SEND_ACTIONS = ("sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl")
CONSUME_ACTIONS = (
    "sqs:ReceiveMessage",
    "sqs:DeleteMessage",
    "sqs:ChangeMessageVisibility",
    "sqs:GetQueueAttributes",
    "sqs:GetQueueUrl",
)
_DEAD_LETTER = ("allowAll", "byQueue")


def _is_dead_letter_queue(redrive_allow_policy: object) -> bool:
    """Whether a literal redrive allow policy makes the queue a dead-letter queue for others."""
    if not isinstance(redrive_allow_policy, str):
        return False
    try:
        permission = json.loads(redrive_allow_policy).get("redrivePermission")
    except (ValueError, AttributeError):
        return False
    return permission in _DEAD_LETTER


class SecureQueue(QueueOutputs, SecureComponent):
    """`aws.sqs.Queue` that passes every rule of the catalog by default.

    Takes the arguments of `aws.sqs.Queue`, plus `kms_key` (a SecureKey or an `aws.kms.Key`).
    Defaults: `kms_master_key_id`, a customer-managed key (`kms_key`, else the program's
    `shared_key`, else a SecureKey of its own), and `redrive_policy` to a dead-letter queue of
    its own (`.dead_letter_queue`: same key, TLS-only, FIFO when the queue is, messages kept
    14 days) after 5 failed receives, unless `redrive_allow_policy` makes the queue a
    dead-letter queue itself. Enforced: a queue policy (`.queue_policy`) that denies every request
    without TLS, with the statements of the `policy` given. `kms_master_key_id=None` or
    `sqs_managed_sse_enabled=True` (SQS-managed encryption), and `redrive_policy=None`, warn.
    The queue is `.queue`; its outputs (`arn`, `url`, `name`...) are the component's.
    """

    def __init__(
        self,
        resource_name: str,
        args: aws.sqs.QueueArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        *,
        kms_key: KeyLike | None = None,
        **kwargs: Unpack[QueueKwargs],
    ) -> None:
        super().__init__("SecureQueue", resource_name, opts)
        values = cast(QueueKwargs, given(args, kwargs))
        user_policy = values.pop("policy", None)
        merged: QueueKwargs = {}
        self.key: KeyLike | None = None
        self.key_arn: pulumi.Input[str | None] = values.get("kms_master_key_id")
        if not {"kms_master_key_id", "sqs_managed_sse_enabled"} & values.keys():
            self.key = key_for(self, kms_key)
            self.key_arn = merged["kms_master_key_id"] = self.key.arn
        self.dead_letter_queue: aws.sqs.Queue | None = None
        redrive_links: dict[str, str] = {}
        if "redrive_policy" not in values and not _is_dead_letter_queue(
            values.get("redrive_allow_policy")
        ):
            dlq_name = f"{resource_name}-dlq"
            self.dead_letter_queue = dead_letter_queue(
                self,
                dlq_name,
                self.key_arn,
                fifo=values.get("fifo_queue") or False,
            )
            merged["redrive_policy"] = self.dead_letter_queue.arn.apply(
                lambda arn: json.dumps(
                    {"deadLetterTargetArn": arn, "maxReceiveCount": MAX_RECEIVE_COUNT}
                )
            )
            redrive_links["redrive_policy"] = dlq_name
        merged.update(values)
        self.queue = self.resource = aws.sqs.Queue(resource_name, opts=self.wrapped(), **merged)
        self._wrapped = self.queue
        checked = {**merged, "name": merged.get("name") or self.plan.stand_in(resource_name)}
        if redrive_links:
            checked["redrive_policy"] = LATER
        self.plan.add(aws.sqs.Queue, resource_name, checked, links=redrive_links)
        self.queue_policy = queue_tls_policy(
            self, f"{resource_name}-policy", self.queue, resource_name, user_policy
        )
        self.plan.check()
        self.register_outputs({"arn": self.queue.arn, "url": self.queue.url})

    @property
    def policy(self) -> pulumi.Output[str]:
        """The queue's policy: the one its `aws.sqs.QueuePolicy` (`.queue_policy`) sets."""
        return self.queue_policy.policy

    def grant_send(self, grantee: GranteeLike) -> aws.iam.RolePolicy:
        """Let the grantee send messages (and encrypt them with the queue's key)."""
        return grant(
            self, "send", grantee, SEND_ACTIONS, [self.queue.arn], self.key_arn, KMS_PRODUCE
        )

    def grant_consume(self, grantee: GranteeLike) -> aws.iam.RolePolicy:
        """Let the grantee receive and delete messages (and decrypt them): what a Lambda event
        source mapping of the queue needs."""
        return grant(
            self, "consume", grantee, CONSUME_ACTIONS, [self.queue.arn], self.key_arn, KMS_DECRYPT
        )
