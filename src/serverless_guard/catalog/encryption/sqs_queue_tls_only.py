from __future__ import annotations

from serverless_guard.catalog.checks.tls import tls_only
from serverless_guard.catalog.params import NoParams
from serverless_guard.catalog.rule import (
    Anchors,
    Context,
    Domain,
    Remediation,
    Severity,
    Verdict,
    rule,
)
from serverless_guard.facts.messaging import Queue
from serverless_guard.facts.resource_policy import PolicyService


@rule(
    id="sqs-queue-tls-only",
    title="SQS queue policies deny requests that do not use TLS",
    severity=Severity.MEDIUM,
    domain=Domain.ENCRYPTION,
    rationale=(
        "SQS accepts plain HTTP requests unless the queue policy denies them, so message bodies "
        "and attributes can cross the network in clear text. A Deny statement on "
        "aws:SecureTransport false makes every producer and consumer use HTTPS."
    ),
    remediation=Remediation(
        cdk="Set `enforce_ssl=True` on `sqs.Queue`.",
        pulumi="Attach an `aws.sqs.QueuePolicy` with a statement that denies `sqs:*` to `*` "
        "when `aws:SecureTransport` is `false`.",
        cloudformation="Add an `AWS::SQS::QueuePolicy` for the queue with a `Deny` statement for "
        "principal `*`, action `sqs:*` and condition `Bool: {aws:SecureTransport: false}`.",
    ),
    references=(
        "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-security-best-practices.html",
    ),
    anchors=Anchors(cdk_nag=("AwsSolutions-SQS4",)),
)
def sqs_queue_tls_only(queue: Queue, ctx: Context[NoParams]) -> Verdict:
    return tls_only(
        queue,
        ctx.graph,
        PolicyService.SQS,
        ("sqs:*",),
        "deny sqs:* to principal * when aws:SecureTransport is false",
    )
