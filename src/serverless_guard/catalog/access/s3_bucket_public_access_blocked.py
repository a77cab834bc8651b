from __future__ import annotations

from serverless_guard.catalog.fix import Fix
from serverless_guard.catalog.params import NoParams
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
from serverless_guard.facts.s3 import Bucket, PublicAccessBlock
from serverless_guard.facts.value import Absent, Known, Unknown, Value

_SETTINGS = (
    ("block public ACLs", "block_public_acls"),
    ("ignore public ACLs", "ignore_public_acls"),
    ("block public policies", "block_public_policy"),
    ("restrict public buckets", "restrict_public_buckets"),
)


def _block(fields: list[str]) -> Fix:
    """Turn the given settings of the bucket's public access block on."""
    fix = Fix.set(PublicAccessBlock, fields[0], True)
    for field in fields[1:]:
        fix = fix.also(PublicAccessBlock, field, True)
    return fix


BLOCK_ALL = _block([field for _, field in _SETTINGS])


def _settings(block: PublicAccessBlock) -> list[tuple[str, str, Value[bool]]]:
    return [(name, field, getattr(block, field)) for name, field in _SETTINGS]


def _check(bucket: Bucket, block: PublicAccessBlock) -> Verdict:
    settings = _settings(block)
    if all(isinstance(value, Absent) for _, _, value in settings):
        return failed(
            f"bucket {bucket.name} declares no public access block", at=block.at, fix=BLOCK_ALL
        )
    weak = [
        (name, field, value)
        for name, field, value in settings
        if isinstance(value, Absent) or (isinstance(value, Known) and not value.value)
    ]
    if weak:
        names = [name for name, _, _ in weak]
        listed = f"{', '.join(names[:-1])} or {names[-1]}" if len(names) > 1 else names[0]
        return failed(
            f"bucket {bucket.name}'s public access block does not {listed}",
            at=weak[0][2],
            fix=_block([field for _, field, _ in weak]),
        )
    for _, _, value in settings:
        if isinstance(value, Unknown):
            return unknown(value)
    return passed()


@rule(
    id="s3-bucket-public-access-blocked",
    title="S3 buckets block all public access",
    severity=Severity.HIGH,
    domain=Domain.NETWORK,
    rationale=(
        "A bucket policy or ACL that grants access to everyone exposes every object in the "
        "bucket. The four public access block settings make S3 refuse public ACLs, ignore "
        "existing ones, refuse public policies and restrict access under a public policy to the "
        "owner's account. Buckets created since April 2023 start with all four on, but only an "
        "explicit configuration keeps that state in the template, where turning one off shows "
        "in review."
    ),
    remediation=Remediation(
        cdk="Set `block_public_access=s3.BlockPublicAccess.BLOCK_ALL` on `s3.Bucket` "
        "(SecureBucket does this).",
        pulumi="Declare `aws.s3.BucketPublicAccessBlock(bucket=bucket.id, block_public_acls=True, "
        "ignore_public_acls=True, block_public_policy=True, restrict_public_buckets=True)`.",
        cloudformation="Set `PublicAccessBlockConfiguration` with `BlockPublicAcls`, "
        "`IgnorePublicAcls`, `BlockPublicPolicy` and `RestrictPublicBuckets` all `true`.",
    ),
    references=(
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html",
    ),
    anchors=Anchors(
        fsbp=("S3.8",),
        cdk_nag=("NIST.800.53.R5-S3BucketLevelPublicAccessProhibited",),
        checkov=("CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56"),
    ),
    fixes=(BLOCK_ALL,),
)
def s3_bucket_public_access_blocked(bucket: Bucket, ctx: Context[NoParams]) -> Verdict:
    blocks = ctx.graph.linked(PublicAccessBlock, lambda b: (b.bucket,), bucket)
    if not blocks:
        return failed(f"bucket {bucket.name} has no public access block", fix=BLOCK_ALL)
    verdicts = [_check(bucket, block) for block in blocks]
    for outcome in (Outcome.FAIL, Outcome.UNKNOWN):
        for verdict in verdicts:
            if verdict.outcome is outcome:
                return verdict
    return passed()
