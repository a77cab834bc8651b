from __future__ import annotations

from serverless_guard.catalog.fix import KMS_KEY, Fix
from serverless_guard.catalog.rule import (
    Anchors,
    Domain,
    Remediation,
    Severity,
    Verdict,
    failed,
    passed,
    rule,
    unknown,
)
from serverless_guard.facts.data import Stream
from serverless_guard.facts.value import Absent, Known, Unknown

ENCRYPT = Fix.set(Stream, "encryption_type", "KMS").also(Stream, "kms_key", KMS_KEY)


@rule(
    id="kinesis-stream-encrypted",
    title="Kinesis data streams are encrypted with KMS keys",
    severity=Severity.MEDIUM,
    domain=Domain.ENCRYPTION,
    rationale=(
        "A Kinesis stream without stream encryption stores records unencrypted for its whole "
        "retention period. With KMS encryption, records are encrypted before they are written, "
        "producers and consumers need permission on the key, and key use is logged."
    ),
    remediation=Remediation(
        cdk="Set `encryption=kinesis.StreamEncryption.KMS` (with `encryption_key` for a "
        "customer-managed key) on `kinesis.Stream`.",
        pulumi="Set `encryption_type='KMS'` and `kms_key_id` on `aws.kinesis.Stream`.",
        cloudformation="Set `StreamEncryption: {EncryptionType: KMS, KeyId: <key>}` on "
        "`AWS::Kinesis::Stream` (`alias/aws/kinesis` for the AWS-managed key).",
    ),
    references=("https://docs.aws.amazon.com/streams/latest/dev/server-side-encryption.html",),
    anchors=Anchors(fsbp=("Kinesis.1",), cdk_nag=("AwsSolutions-KDS1",), checkov=("CKV_AWS_43",)),
    fixes=(ENCRYPT,),
)
def kinesis_stream_encrypted(stream: Stream) -> Verdict:
    match stream.encryption_type:
        case Known(value=kind) if kind.upper() == "KMS":
            return passed()
        case Unknown() as u:
            return unknown(u)
        case Known(value=kind):
            return failed(
                f"stream {stream.name} has encryption type {kind}",
                at=stream.encryption_type,
                fix=ENCRYPT,
            )
        case Absent():
            return failed(
                f"stream {stream.name} stores records unencrypted",
                at=stream.encryption_type,
                fix=ENCRYPT,
            )
