"""pulumi-aws (classic) S3: buckets, their encryption configurations, public access blocks and
policies."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from serverless_guard.engines.props import first_child
from serverless_guard.engines.pulumi.extract.base import Extractor, PulumiView
from serverless_guard.engines.pulumi.extract.classic.inputs import (
    Block,
    first,
    plain_identity,
    plain_inputs,
    read,
)
from serverless_guard.engines.pulumi.extract.classic.owners import (
    attached_policy,
    inline_policy,
    owner_link,
)
from serverless_guard.facts.base import Resource
from serverless_guard.facts.resource_policy import PolicyService
from serverless_guard.facts.s3 import Bucket, BucketEncryption, PublicAccessBlock
from serverless_guard.facts.value import Absent


def _s3_arn(name: str) -> str:
    return f"arn:aws:s3:::{name}"


def _encryption(ident: dict[str, Any], bucket: str, default: Block) -> BucketEncryption:
    """A bucket's default encryption from an `applyServerSideEncryptionByDefault` block."""
    return BucketEncryption(
        **{**ident, "at": default.at},
        bucket=bucket,
        algorithm=read(default, lambda d: d.string("sseAlgorithm")),
        kms_key=read(default, lambda d: d.link("kmsMasterKeyId")),
    )


def bucket(view: PulumiView) -> Iterable[Resource]:
    """`s3.Bucket`. pulumi-aws 7 declares encryption, public access block and policy as
    resources of their own; the deprecated inline blocks still count when set."""
    ident = plain_identity(view, "bucket", arn=_s3_arn)
    yield Bucket(**ident)
    config = plain_inputs(view).child("serverSideEncryptionConfiguration")
    if not isinstance(config, Absent):  # not set: SSE-S3, unless a separate configuration
        default = first_child(first_child(config, "rule"), "applyServerSideEncryptionByDefault")
        yield _encryption(ident, f"${{{view.urn}}}", default)
    yield from inline_policy(view, ident, PolicyService.S3)


def bucket_v2(view: PulumiView) -> Iterable[Resource]:
    """`s3.BucketV2` (deprecated in pulumi-aws 7): its inline blocks are lists of one."""
    ident = plain_identity(view, "bucket", arn=_s3_arn)
    yield Bucket(**ident)
    inputs = plain_inputs(view)
    if "serverSideEncryptionConfigurations" in inputs:
        rule = first(first(inputs, "serverSideEncryptionConfigurations"), "rules")
        default = first(rule, "applyServerSideEncryptionByDefaults")
        yield _encryption(ident, f"${{{view.urn}}}", default)
    yield from inline_policy(view, ident, PolicyService.S3)


def bucket_encryption(view: PulumiView) -> Iterable[Resource]:
    """`s3.BucketServerSideEncryptionConfiguration` (and its V2 alias)."""
    rule = first(plain_inputs(view), "rules")
    default = first_child(rule, "applyServerSideEncryptionByDefault")
    yield _encryption(view.identity(), owner_link(view, "bucket"), default)


def public_access_block(view: PulumiView) -> Iterable[Resource]:
    """`s3.BucketPublicAccessBlock`: a setting left out is false."""
    inputs = plain_inputs(view)
    yield PublicAccessBlock(
        **view.identity(),
        bucket=owner_link(view, "bucket"),
        block_public_acls=inputs.boolean("blockPublicAcls"),
        ignore_public_acls=inputs.boolean("ignorePublicAcls"),
        block_public_policy=inputs.boolean("blockPublicPolicy"),
        restrict_public_buckets=inputs.boolean("restrictPublicBuckets"),
    )


def bucket_policy(view: PulumiView) -> Iterable[Resource]:
    return attached_policy(view, PolicyService.S3, "bucket")


_S3 = "aws:s3/"
EXTRACTORS: dict[str, Extractor] = {
    f"{_S3}bucket:Bucket": bucket,
    f"{_S3}bucketV2:BucketV2": bucket_v2,
    f"{_S3}bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": (
        bucket_encryption
    ),
    f"{_S3}bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2": (
        bucket_encryption
    ),
    f"{_S3}bucketPublicAccessBlock:BucketPublicAccessBlock": public_access_block,
    f"{_S3}bucketPolicy:BucketPolicy": bucket_policy,
}
