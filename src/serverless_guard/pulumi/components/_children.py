"""Children that several components create: log groups that keep logs a bounded time, encrypted,
and TLS-only dead-letter queues."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from serverless_guard.catalog.checks.retention import RetentionParams
from serverless_guard.pulumi.components._base import STAND_IN, SecureComponent, Where
from serverless_guard.pulumi.components._documents import (
    deny_insecure_transport,
    document,
    statements_of,
)
from serverless_guard.pulumi.components._inputs import LATER, known

# The retentions CloudWatch Logs accepts, in days.
RETENTION_CHOICES = (
    *(1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096),
    *(1827, 2192, 2557, 2922, 3288, 3653),
)

DEFAULT_RETENTION = min(d for d in RETENTION_CHOICES if d >= RetentionParams().min_days)
"""The retention of the log groups the components create: the shortest CloudWatch Logs choice
that meets the `min_days` of `logs-retention-set` in the default configuration (365 days)."""

DEAD_LETTER_RETENTION = 14 * 24 * 3600
"""How long dead-letter queues keep messages (seconds): the longest SQS allows."""


def log_group(
    owner: SecureComponent,
    name: str,
    key_arn: pulumi.Input[str | None],
    *,
    group_name: pulumi.Input[str] | None = None,
    named_after: str | None = None,
    depends_on: list[pulumi.Resource] | None = None,
) -> aws.cloudwatch.LogGroup:
    """A log group encrypted with the key, keeping logs `DEFAULT_RETENTION` days. `named_after`
    is the sibling (by resource name) its name is computed from, if any."""
    group = aws.cloudwatch.LogGroup(
        name,
        name=group_name,
        retention_in_days=DEFAULT_RETENTION,
        kms_key_id=key_arn,
        opts=owner.child(depends_on=depends_on),
    )
    owner.plan.add(
        aws.cloudwatch.LogGroup,
        name,
        {
            "name": group_name if group_name is None or known(group_name) else LATER,
            "retention_in_days": DEFAULT_RETENTION,
            "kms_key_id": key_arn,
        },
        links={"name": named_after} if named_after else None,
    )
    return group


def log_group_arn(where: Where, name: str) -> str:
    """The ARN of a log group's streams (what `logs:PutLogEvents` is granted on)."""
    return where.arn("logs", f"log-group:{name}:*")


def queue_tls_policy(
    owner: SecureComponent,
    name: str,
    queue: aws.sqs.Queue,
    queue_name: str,
    given: object = None,
) -> aws.sqs.QueuePolicy:
    """The queue's policy: the statements of the policy the user `given`, and the Deny of every
    request without TLS. `queue_name` is the queue's resource name."""

    def build(where: Where, arn: str, policy: object) -> dict[str, object]:
        return document([*statements_of(policy), deny_insecure_transport("sqs:*", [arn])])

    stand_in = STAND_IN.arn("sqs", owner.plan.stand_in(queue_name))
    policy = owner.render(build, (queue.arn, stand_in), (given, given))
    resource = aws.sqs.QueuePolicy(
        name, queue_url=queue.url, policy=policy.value, opts=owner.child()
    )
    owner.plan.add(
        aws.sqs.QueuePolicy,
        name,
        {"queue_url": LATER, "policy": policy.check},
        links={"queue_url": queue_name},
    )
    return resource


def dead_letter_queue(
    owner: SecureComponent,
    name: str,
    key_arn: pulumi.Input[str | None],
    *,
    fifo: pulumi.Input[bool | None] = None,
) -> aws.sqs.Queue:
    """A TLS-only queue encrypted with the key (without one, with SQS-managed keys) that keeps
    messages 14 days (FIFO when its source queue is)."""
    values: dict[str, object] = {
        "kms_master_key_id": key_arn,
        "sqs_managed_sse_enabled": True if key_arn is None else None,
        "message_retention_seconds": DEAD_LETTER_RETENTION,
        "fifo_queue": fifo or None,
    }
    queue = aws.sqs.Queue(
        name,
        kms_master_key_id=key_arn,
        sqs_managed_sse_enabled=True if key_arn is None else None,
        message_retention_seconds=DEAD_LETTER_RETENTION,
        fifo_queue=fifo or None,
        opts=owner.child(),
    )
    owner.plan.add(aws.sqs.Queue, name, {**values, "name": owner.plan.stand_in(name)})
    queue_tls_policy(owner, f"{name}-policy", queue, name)
    return queue
