from __future__ import annotations

from collections.abc import Iterable

from serverless_guard.catalog.checks.kms import KmsKeyParams, aws_managed_alias, key_of
from serverless_guard.catalog.fix import CUSTOMER_KEY, KMS_KEY, Fix
from serverless_guard.catalog.rule import (
    Anchors,
    Context,
    Domain,
    Outcome,
    Remediation,
    Severity,
    Verdict,
    failed,
    passed,
    rule,
    unknown,
)
from serverless_guard.facts.s3 import Bucket, BucketEncryption
from serverless_guard.facts.value import Absent, Known, Unknown

KMS_ALGORITHMS = ("aws:kms", "aws:kms:dsse")
SSE_KMS = Fix.set(BucketEncryption, "algorithm", "aws:kms").also(
    BucketEncryption, "kms_key", KMS_KEY
)
CUSTOMER_MANAGED = Fix.set(BucketEncryption, "kms_key", CUSTOMER_KEY)
_SSE_S3 = "has no default encryption, so S3 encrypts with its own keys (SSE-S3)"
_RANK = (Outcome.NOT_APPLICABLE, Outcome.PASS, Outcome.UNKNOWN, Outcome.ERROR, Outcome.FAIL)


def worst(verdicts: Iterable[Verdict]) -> Verdict:
    """The verdict that speaks for several facts of one resource (fail before unknown)."""
    return max(verdicts, key=lambda v: _RANK.index(v.outcome))


def _verdict(bucket: Bucket, encryption: BucketEncryption, params: KmsKeyParams) -> Verdict:
    match encryption.algorithm:
        case Absent():
            return failed(f"bucket {bucket.name} {_SSE_S3}", at=encryption.algorithm, fix=SSE_KMS)
        case Unknown() as u:
            return unknown(u)
        case Known(value=algorithm) if algorithm not in KMS_ALGORITHMS:
            return failed(
                f"bucket {bucket.name} encrypts with {algorithm}, not KMS",
                at=encryption.algorithm,
                fix=SSE_KMS,
            )
    if not params.require_customer_key:
        return passed()
    match key_of(encryption.kms_key):
        case Absent():
            return failed(
                f"bucket {bucket.name} uses the AWS-managed key aws/s3",
                at=encryption.kms_key,
                fix=CUSTOMER_MANAGED,
            )
        case Known(value=key) if alias := aws_managed_alias(key):
            return failed(
                f"bucket {bucket.name} uses the AWS-managed key {alias}",
                at=encryption.kms_key,
                fix=CUSTOMER_MANAGED,
            )
    return passed()


@rule(
    id="s3-bucket-encryption-kms",
    title="S3 buckets encrypt objects by default with KMS keys (SSE-KMS)",
    severity=Severity.MEDIUM,
    domain=Domain.ENCRYPTION,
    rationale=(
        "S3 encrypts every new object, by default with S3-managed keys (SSE-S3) that anyone "
        "allowed to read the object can have decrypted. With SSE-KMS, reading an object also "
        "needs kms:Decrypt on the key, every use of the key is logged in CloudTrail, and "
        "disabling the key cuts off access to the data at once."
    ),
    remediation=Remediation(
        cdk="Set `encryption=s3.BucketEncryption.KMS` and `encryption_key=kms.Key(...)` on "
        "`s3.Bucket` (SecureBucket does this by default).",
        pulumi="Declare `aws.s3.BucketServerSideEncryptionConfiguration` for the bucket with "
        "`sse_algorithm='aws:kms'` and `kms_master_key_id` set to a customer-managed key.",
        cloudformation="Set `BucketEncryption.ServerSideEncryptionConfiguration[0]."
        "ServerSideEncryptionByDefault` to `SSEAlgorithm: aws:kms` with `KMSMasterKeyID`.",
    ),
    references=(
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html",
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-bucket-encryption.html",
    ),
    params=KmsKeyParams,
    anchors=Anchors(
        fsbp=("S3.17",),
        cdk_nag=("NIST.800.53.R5-S3DefaultEncryptionKMS", "HIPAA.Security-S3DefaultEncryptionKMS"),
    ),
    fixes=(
        SSE_KMS,
        CUSTOMER_MANAGED,
    ),
)
def s3_bucket_encryption_kms(bucket: Bucket, ctx: Context[KmsKeyParams]) -> Verdict:
    configs = ctx.graph.linked(BucketEncryption, lambda e: (e.bucket,), bucket)
    if not configs:
        return failed(f"bucket {bucket.name} {_SSE_S3}", fix=SSE_KMS)
    return worst(_verdict(bucket, config, ctx.params) for config in configs)
