"""Children that several constructs create: their key, log groups and dead-letter queues."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from serverless_guard.cdk.constructs._shared import DEFAULT_LOG_RETENTION
from serverless_guard.cdk.constructs.key import SecureKey, allow_cloudwatch_logs

DEAD_LETTER_RETENTION = Duration.days(14)
"""How long dead-letter queues keep messages: the longest SQS allows, for time to replay."""


def new_key(scope: Construct) -> kms.Key:
    """A SecureKey child named `Key`, returned as its `kms.Key`."""
    return SecureKey(scope, "Key").key


def retained_log_group(
    scope: Construct,
    id: str,
    key: kms.IKey,
    retention: logs.RetentionDays = DEFAULT_LOG_RETENTION,
) -> logs.LogGroup:
    """A log group encrypted with `key` that keeps logs for `retention`. A key of this app gets
    the key policy statement CloudWatch Logs needs; an imported key must already have it."""
    if isinstance(key, kms.Key):
        allow_cloudwatch_logs(key)
    return logs.LogGroup(scope, id, retention=retention, encryption_key=key)


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
