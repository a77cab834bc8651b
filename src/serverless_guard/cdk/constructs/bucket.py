"""SecureBucket: an S3 bucket encrypted with a KMS key, private and TLS-only."""

from __future__ import annotations

from collections.abc import Mapping

from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from serverless_guard.cdk.constructs._policy_check import check_resource_policies
from serverless_guard.cdk.constructs._shared import warn
from serverless_guard.cdk.constructs._signature import init_l2, same_arguments_as
from serverless_guard.cdk.constructs.defaults import default_key
from serverless_guard.cdk.constructs.key import check_rotation

_KMS = (s3.BucketEncryption.KMS, s3.BucketEncryption.DSSE)
_ANY_KMS = (*_KMS, s3.BucketEncryption.KMS_MANAGED, s3.BucketEncryption.DSSE_MANAGED)


def blocks_all(block: s3.BlockPublicAccess) -> bool:
    return all(
        (
            block.block_public_acls,
            block.block_public_policy,
            block.ignore_public_acls,
            block.restrict_public_buckets,
        )
    )


class SecureBucket(s3.Bucket):
    """`s3.Bucket` that passes every rule of the catalog by default.

    Takes the arguments of `s3.Bucket`. Defaults: `encryption=KMS` with the stack's shared key
    (`SecureDefaults`; or the `encryption_key` given) and `bucket_key_enabled=True` (fewer KMS
    calls, so a smaller KMS bill), `block_public_access=BLOCK_ALL`, `enforce_ssl=True` (a bucket
    policy that denies requests without TLS). Overrides that weaken these warn and name the
    rule. It is an `s3.Bucket`: `bucket.grant_read(fn)` includes `kms:Decrypt` on the key
    (`.encryption_key`, also `.key`).
    """

    @same_arguments_as(s3.Bucket.__init__)
    def __init__(self, scope: Construct, id: str, **props: object) -> None:
        merged: dict[str, object] = {
            "encryption": s3.BucketEncryption.KMS,
            "block_public_access": s3.BlockPublicAccess.BLOCK_ALL,
            "enforce_ssl": True,
            **props,
        }
        if merged.get("encryption") in _KMS:
            if merged.get("encryption_key") is None:
                merged["encryption_key"] = default_key(scope)
            merged.setdefault("bucket_key_enabled", True)
        init_l2(super().__init__, scope, id, merged)
        check_resource_policies(self)
        self.key: kms.IKey | None = self.encryption_key
        check_rotation(self, props.get("encryption_key"))
        self._warn_weakened(merged)

    def _warn_weakened(self, merged: Mapping[str, object]) -> None:
        encryption = merged.get("encryption")
        if encryption not in _ANY_KMS and merged.get("encryption_key") is None:
            name = encryption.name if isinstance(encryption, s3.BucketEncryption) else "None"
            warn(self, "s3-bucket-encryption-kms", f"encryption is {name}, not KMS")
        if not merged.get("enforce_ssl"):
            warn(self, "s3-bucket-tls-only", "enforce_ssl is off")
        block = merged.get("block_public_access")
        if not (isinstance(block, s3.BlockPublicAccess) and blocks_all(block)):
            warn(
                self,
                "s3-bucket-public-access-blocked",
                "block_public_access does not block all public access",
            )
        if merged.get("public_read_access"):
            warn(self, "resource-policy-not-public", "public_read_access lets everyone read")
