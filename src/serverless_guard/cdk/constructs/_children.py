"""Helpers that several constructs create: log groups and dead-letter queues.

A secure construct is the L2 itself, and the L2 needs its log group or dead-letter queue as an
argument, before the construct exists to be their scope: so they are created beside it, named
after it (`<id>LogGroup`, `<id>DeadLetterQueue`, `<id>AccessLogs`), and recorded as its
helpers (`helpers_of`).
"""

from __future__ import annotations

import weakref

from aws_cdk import Duration
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sqs as sqs
from constructs import Construct, IConstruct

from serverless_guard.cdk.constructs._shared import DEFAULT_LOG_RETENTION
from serverless_guard.cdk.constructs.key import allow_cloudwatch_logs

DEAD_LETTER_RETENTION = Duration.days(14)
"""How long dead-letter queues keep messages: the longest SQS allows, for time to replay."""

_HELPERS: weakref.WeakKeyDictionary[IConstruct, tuple[IConstruct, ...]] = (
    weakref.WeakKeyDictionary()
)


def retained_log_group(
    scope: Construct,
    id: str,
    key: kms.IKey,
    retention: logs.RetentionDays = DEFAULT_LOG_RETENTION,
    name: str | None = None,
) -> logs.LogGroup:
    """A log group encrypted with `key` that keeps logs for `retention` (named `name`, when a
    service writes to a log group of its choosing). A key of this app gets the key policy
    statement CloudWatch Logs needs; an imported key must already have it."""
    if isinstance(key, kms.Key):
        allow_cloudwatch_logs(key)
    return logs.LogGroup(scope, id, retention=retention, encryption_key=key, log_group_name=name)


def dead_letter_queue(scope: Construct, id: str, key: kms.IKey | None, *, fifo: bool) -> sqs.Queue:
    """A TLS-only queue encrypted with `key` (without one, with the AWS-managed key of SQS) that
    keeps messages 14 days."""
    return sqs.Queue(
        scope,
        id,
        encryption=sqs.QueueEncryption.KMS if key is not None else sqs.QueueEncryption.KMS_MANAGED,
        encryption_master_key=key,
        enforce_ssl=True,
        retention_period=DEAD_LETTER_RETENTION,
        fifo=True if fifo else None,
    )


def record_helpers(owner: IConstruct, *helpers: IConstruct | None) -> None:
    """Remember what `owner` created beside itself."""
    _HELPERS[owner] = (*helpers_of(owner), *(h for h in helpers if h is not None))


def helpers_of(owner: IConstruct) -> tuple[IConstruct, ...]:
    """The constructs a secure construct created beside itself (its log group, dead-letter
    queue...): with its own subtree, what it adds to the stack."""
    return _HELPERS.get(owner, ())
