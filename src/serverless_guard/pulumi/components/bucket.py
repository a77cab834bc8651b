"""SecureBucket: an S3 bucket encrypted with a customer-managed key, private and TLS-only."""

from __future__ import annotations

from typing import Unpack, cast

import pulumi
import pulumi_aws as aws

from serverless_guard.pulumi.components._base import (
    STAND_IN,
    SecureComponent,
    Where,
    field_of,
    given,
)
from serverless_guard.pulumi.components._documents import (
    deny_insecure_transport,
    document,
    statements_of,
)
from serverless_guard.pulumi.components._grants import (
    KMS_DECRYPT,
    KMS_ENCRYPT_DECRYPT,
    GranteeLike,
    grant,
)
from serverless_guard.pulumi.components._inputs import LATER
from serverless_guard.pulumi.components._wrapped import BucketKwargs, BucketOutputs
from serverless_guard.pulumi.components.key import KeyLike, key_for

READ_ACTIONS = ("s3:GetObject", "s3:GetObjectVersion", "s3:ListBucket", "s3:GetBucketLocation")
WRITE_ACTIONS = ("s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload")


def _sse_key(configuration: object) -> object:
    """The KMS key of an inline `server_side_encryption_configuration` block, if literal."""
    default = field_of(field_of(configuration, "rule"), "apply_server_side_encryption_by_default")
    return field_of(default, "kms_master_key_id")


class SecureBucket(BucketOutputs, SecureComponent):
    """`aws.s3.Bucket` that passes every rule of the catalog by default.

    Takes the arguments of `aws.s3.Bucket`, plus `kms_key` (a SecureKey or an `aws.kms.Key`).
    pulumi-aws 7 declares a bucket's encryption, public access block and policy as resources
    of their own; the component creates them:

    - `.encryption`: SSE-KMS with a customer-managed key (`kms_key`, else the program's
      `shared_key`, else a SecureKey of its own) and S3 Bucket Keys (fewer KMS calls). An
      inline `server_side_encryption_configuration` given replaces it;
      `server_side_encryption_configuration=None` (SSE-S3) or an AES256 one warns.
    - `.public_access_block`: all four settings on (enforced).
    - `.bucket_policy`: the statements of the `policy` given, and a Deny of every request
      without TLS on the bucket and its objects (enforced). A statement that lets everyone in
      warns.

    The bucket is `.resource`; its outputs (`bucket`, `arn`, `id`, `bucket_domain_name`...) are
    the component's. `grant_read(fn)` and `grant_read_write(fn)` allow object actions on the
    bucket and its objects, and the key's.
    """

    def __init__(
        self,
        resource_name: str,
        args: aws.s3.BucketArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        *,
        kms_key: KeyLike | None = None,
        **kwargs: Unpack[BucketKwargs],
    ) -> None:
        super().__init__("SecureBucket", resource_name, opts)
        values = cast(BucketKwargs, given(args, kwargs))
        user_policy = values.pop("policy", None)
        self.resource = aws.s3.Bucket(resource_name, opts=self.wrapped(), **values)
        self._wrapped = self.resource
        named = values.get("bucket")
        physical = named if isinstance(named, str) else self.plan.stand_in(resource_name)
        self.plan.add(aws.s3.Bucket, resource_name, {**values, "bucket": physical})

        self.key: KeyLike | None = None
        self.key_arn: pulumi.Input[str | None] = None
        self.encryption: aws.s3.BucketServerSideEncryptionConfiguration | None = None
        if "server_side_encryption_configuration" in values:
            arn = _sse_key(values["server_side_encryption_configuration"])
            self.key_arn = arn if isinstance(arn, str | pulumi.Output) else None
        else:
            self.key = key_for(self, kms_key)
            self.key_arn = self.key.arn
            self._encrypt(resource_name, self.key.arn)

        name = f"{resource_name}-public-access"
        self.public_access_block = aws.s3.BucketPublicAccessBlock(
            name,
            bucket=self.resource.id,
            block_public_acls=True,
            ignore_public_acls=True,
            block_public_policy=True,
            restrict_public_buckets=True,
            opts=self.child(),
        )
        blocks = ("block_public_acls", "ignore_public_acls", "block_public_policy")
        settings = dict.fromkeys((*blocks, "restrict_public_buckets"), True)
        self.plan.add(
            aws.s3.BucketPublicAccessBlock,
            name,
            {"bucket": LATER, **settings},
            links={"bucket": resource_name},
        )

        def build(where: Where, arn: str, given: object) -> dict[str, object]:
            deny = deny_insecure_transport("s3:*", [arn, f"{arn}/*"])
            return document([*statements_of(given), deny])

        stand_in = f"arn:{STAND_IN.partition}:s3:::{physical}"
        policy = self.render(build, (self.resource.arn, stand_in), (user_policy, user_policy))
        name = f"{resource_name}-policy"
        self.bucket_policy = aws.s3.BucketPolicy(
            name,
            bucket=self.resource.id,
            policy=policy.value,
            opts=self.child(depends_on=[self.public_access_block]),
        )
        self.plan.add(
            aws.s3.BucketPolicy,
            name,
            {"bucket": LATER, "policy": policy.check},
            links={"bucket": resource_name},
        )
        self.plan.check()
        self.register_outputs({"arn": self.resource.arn, "bucket": self.resource.bucket})

    def _encrypt(self, resource_name: str, key_arn: pulumi.Input[str]) -> None:
        name = f"{resource_name}-encryption"
        rules: list[aws.s3.BucketServerSideEncryptionConfigurationRuleArgsDict] = [
            {
                "apply_server_side_encryption_by_default": {
                    "sse_algorithm": "aws:kms",
                    "kms_master_key_id": key_arn,
                },
                "bucket_key_enabled": True,
            }
        ]
        self.encryption = aws.s3.BucketServerSideEncryptionConfiguration(
            name, bucket=self.resource.id, rules=rules, opts=self.child()
        )
        self.plan.add(
            aws.s3.BucketServerSideEncryptionConfiguration,
            name,
            {"bucket": LATER, "rules": rules},
            links={"bucket": resource_name},
        )

    @property
    def policy(self) -> pulumi.Output[str]:
        """The bucket's policy: the one its `aws.s3.BucketPolicy` (`.bucket_policy`) sets."""
        return self.bucket_policy.policy

    def _objects(self) -> list[pulumi.Input[str]]:
        return [self.resource.arn, self.resource.arn.apply(lambda arn: f"{arn}/*")]

    def grant_read(self, grantee: GranteeLike) -> aws.iam.RolePolicy:
        """Let the grantee list the bucket and read its objects (and decrypt them)."""
        return grant(
            self, "read", grantee, READ_ACTIONS, self._objects(), self.key_arn, KMS_DECRYPT
        )

    def grant_read_write(self, grantee: GranteeLike) -> aws.iam.RolePolicy:
        """Let the grantee read, write and delete objects (and encrypt and decrypt them)."""
        actions = (*READ_ACTIONS, *WRITE_ACTIONS)
        return grant(
            self, "read-write", grantee, actions, self._objects(), self.key_arn, KMS_ENCRYPT_DECRYPT
        )
