"""SecureBucket: an S3 bucket encrypted with its own KMS key, private and TLS-only."""

from __future__ import annotations

from typing import Unpack

from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from serverless_guard.cdk.constructs._children import new_key
from serverless_guard.cdk.constructs._props import BucketKwargs
from serverless_guard.cdk.constructs._shared import warn

_KMS = (s3.BucketEncryption.KMS, s3.BucketEncryption.DSSE)
_ANY_KMS = (*_KMS, s3.BucketEncryption.KMS_MANAGED, s3.BucketEncryption.DSSE_MANAGED)


def blocks_all(block: s3.BlockPublicAccess | None) -> bool:
    return block is not None and all(
        (
            block.block_public_acls,
            block.block_public_policy,
            block.ignore_public_acls,
            block.restrict_public_buckets,
        )
    )


class SecureBucket(Construct):
    """`s3.Bucket` that passes every rule of the catalog by default.

    Takes the keyword arguments of `s3.Bucket`. Defaults: `encryption=KMS` with a SecureKey of
    its own (`.key`; or the `encryption_key` given) and `bucket_key_enabled=True` (fewer KMS
    calls), `block_public_access=BLOCK_ALL`, `enforce_ssl=True` (a bucket policy that denies
    requests without TLS). Overrides that weaken these warn and name the rule. The bucket is
    `.bucket`; grant with its methods (`secure.bucket.grant_read(fn)`: the grant includes
    `kms:Decrypt` on the key).
    """

    def __init__(self, scope: Construct, id: str, **props: Unpack[BucketKwargs]) -> None:
        super().__init__(scope, id)
        merged: BucketKwargs = {
            "encryption": s3.BucketEncryption.KMS,
            "block_public_access": s3.BlockPublicAccess.BLOCK_ALL,
            "enforce_ssl": True,
            **props,
        }
        self.key: kms.IKey | None = merged.get("encryption_key")
        if merged.get("encryption") in _KMS:
            if self.key is None:
                self.key = new_key(self)
                merged["encryption_key"] = self.key
            merged.setdefault("bucket_key_enabled", True)
        self._warn_weakened(merged)
        self.bucket = s3.Bucket(self, "Default", **merged)

    def _warn_weakened(self, merged: BucketKwargs) -> None:
        encryption = merged.get("encryption")
        if encryption not in _ANY_KMS and merged.get("encryption_key") is None:
            name = encryption.name if encryption is not None else "None"
            warn(self, "s3-bucket-encryption-kms", f"encryption is {name}, not KMS")
        if not merged.get("enforce_ssl"):
            warn(self, "s3-bucket-tls-only", "enforce_ssl is off")
        if not blocks_all(merged.get("block_public_access")):
            warn(
                self,
                "s3-bucket-public-access-blocked",
                "block_public_access does not block all public access",
            )
        if merged.get("public_read_access"):
            warn(self, "resource-policy-not-public", "public_read_access lets everyone read")
