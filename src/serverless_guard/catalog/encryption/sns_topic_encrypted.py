from __future__ import annotations

from serverless_guard.catalog.checks.kms import key_of
from serverless_guard.catalog.fix import KMS_KEY, Fix
from serverless_guard.catalog.rule import (
    Anchors,
    Domain,
    Remediation,
    Severity,
    Verdict,
    required,
    rule,
)
from serverless_guard.facts.messaging import Topic

ENCRYPT = Fix.set(Topic, "kms_key", KMS_KEY)


@rule(
    id="sns-topic-encrypted",
    title="SNS topics are encrypted with KMS keys",
    severity=Severity.HIGH,
    domain=Domain.ENCRYPTION,
    rationale=(
        "SNS stores messages unencrypted unless the topic has a KMS key. With server-side "
        "encryption, messages are encrypted as soon as SNS receives them, publishers need "
        "permission on the key, and its use is logged in CloudTrail."
    ),
    remediation=Remediation(
        cdk="Set `master_key=kms.Key(...)` on `sns.Topic`.",
        pulumi="Set `kms_master_key_id` on `aws.sns.Topic` to a KMS key.",
        cloudformation="Set `KmsMasterKeyId` on `AWS::SNS::Topic` (a customer-managed key, or "
        "`alias/aws/sns`).",
    ),
    references=("https://docs.aws.amazon.com/sns/latest/dg/sns-server-side-encryption.html",),
    anchors=Anchors(
        fsbp=("SNS.1",),
        cdk_nag=("NIST.800.53.R5-SNSEncryptedKMS", "HIPAA.Security-SNSEncryptedKMS"),
        checkov=("CKV_AWS_26",),
    ),
    fixes=(ENCRYPT,),
)
def sns_topic_encrypted(topic: Topic) -> Verdict:
    return required(
        key_of(topic.kms_key),
        "KMS key",
        f"topic {topic.name} stores messages unencrypted",
        fix=ENCRYPT,
    )
