from __future__ import annotations

from dataclasses import dataclass

from serverless_guard.catalog.checks.kms import key_of
from serverless_guard.catalog.fix import KMS_KEY, Fix
from serverless_guard.catalog.params import param
from serverless_guard.catalog.rule import (
    Anchors,
    Context,
    Domain,
    Remediation,
    Severity,
    Verdict,
    failed,
    passed,
    rule,
    unknown,
)
from serverless_guard.facts.messaging import Queue
from serverless_guard.facts.value import Absent, Known, Unknown

ENCRYPT = Fix.set(Queue, "kms_key", KMS_KEY)
ENCRYPT_ANY = ENCRYPT.otherwise(Queue, "sqs_managed_sse", True)


@dataclass(frozen=True, slots=True)
class QueueEncryptionParams:
    allow_sqs_managed: bool = param(
        False, "Also accept SQS-managed encryption (SSE-SQS), the service default."
    )


@rule(
    id="sqs-queue-encrypted",
    title="SQS queues are encrypted with KMS keys",
    severity=Severity.HIGH,
    domain=Domain.ENCRYPTION,
    rationale=(
        "With SQS-managed encryption (SSE-SQS, the default) anyone allowed to receive from a "
        "queue reads its messages, and key use is neither logged nor controllable. With a KMS "
        "key (SSE-KMS), producers and consumers also need permission on the key, its use is "
        "logged in CloudTrail, and disabling it cuts off access to the messages."
    ),
    remediation=Remediation(
        cdk="Set `encryption=sqs.QueueEncryption.KMS` with `encryption_master_key=kms.Key(...)` "
        "on `sqs.Queue`.",
        pulumi="Set `kms_master_key_id` on `aws.sqs.Queue` to a KMS key.",
        cloudformation="Set `KmsMasterKeyId` on `AWS::SQS::Queue`.",
    ),
    references=(
        "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-server-side-encryption.html",
    ),
    params=QueueEncryptionParams,
    anchors=Anchors(fsbp=("SQS.1",), cdk_nag=("AwsSolutions-SQS2",), checkov=("CKV_AWS_27",)),
    fixes=(
        ENCRYPT,
        ENCRYPT_ANY,
    ),
)
def sqs_queue_encrypted(queue: Queue, ctx: Context[QueueEncryptionParams]) -> Verdict:
    match key_of(queue.kms_key):
        case Known():
            return passed()
        case Unknown() as u:
            return passed(f"KMS key set ({u.reason})")
    if ctx.params.allow_sqs_managed:
        match queue.sqs_managed_sse:
            case Known(value=True):
                return passed("SQS-managed encryption")
            case Absent():
                return passed("SQS-managed encryption (the default for new queues)")
            case Unknown() as u:
                return unknown(u)
        return failed(
            f"queue {queue.name} is not encrypted", at=queue.sqs_managed_sse, fix=ENCRYPT_ANY
        )
    match queue.sqs_managed_sse:
        case Known(value=False):
            state = "is not encrypted"
        case Unknown():
            state = "has no KMS key"
        case _:
            state = "is encrypted only with SQS-managed keys (SSE-SQS)"
    return failed(f"queue {queue.name} {state}", at=queue.kms_key, fix=ENCRYPT)
