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
from serverless_guard.facts.messaging import Topic
from serverless_guard.facts.resource_policy import PolicyService


@rule(
    id="sns-topic-tls-only",
    title="SNS topic policies deny publishing without TLS",
    severity=Severity.MEDIUM,
    domain=Domain.ENCRYPTION,
    rationale=(
        "SNS accepts Publish requests over plain HTTP unless the topic policy denies them, so "
        "messages can cross the network in clear text before SNS encrypts them at rest. A "
        "Deny statement on aws:SecureTransport false (for sns:Publish, or all SNS actions) "
        "makes every publisher use HTTPS."
    ),
    remediation=Remediation(
        cdk="Set `enforce_ssl=True` on `sns.Topic`.",
        pulumi="Attach an `aws.sns.TopicPolicy` with a statement that denies `sns:Publish` to "
        "`*` when `aws:SecureTransport` is `false`.",
        cloudformation="Add an `AWS::SNS::TopicPolicy` for the topic with a `Deny` statement "
        "for principal `*`, action `sns:Publish` and condition "
        "`Bool: {aws:SecureTransport: false}`.",
    ),
    references=(
        "https://docs.aws.amazon.com/sns/latest/dg/sns-security-best-practices.html#enforce-encryption-data-in-transit",
    ),
    anchors=Anchors(cdk_nag=("AwsSolutions-SNS3",)),
)
def sns_topic_tls_only(topic: Topic, ctx: Context[NoParams]) -> Verdict:
    return tls_only(
        topic,
        ctx.graph,
        PolicyService.SNS,
        ("sns:Publish",),
        "deny sns:Publish to principal * when aws:SecureTransport is false",
    )
