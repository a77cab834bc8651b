"""S3 facts: a bucket, its default encryption and its public access block.

Encryption and the public access block are facts of their own, linked to their bucket, because
some engines declare them as separate resources (pulumi-aws 7) and others inline (CloudFormation).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from serverless_guard.facts.base import Resource
from serverless_guard.facts.value import Absent, Value


@dataclass(frozen=True, slots=True, kw_only=True)
class Bucket(Resource):
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class BucketEncryption(Resource):
    """Default encryption of a bucket (the first rule, as S3 applies). An absent `algorithm`
    means no default encryption is configured: S3 applies SSE-S3."""

    bucket: str
    algorithm: Value[str] = field(default_factory=Absent)
    kms_key: Value[str] = field(default_factory=Absent)


@dataclass(frozen=True, slots=True, kw_only=True)
class PublicAccessBlock(Resource):
    """A bucket's public access block. Engines that declare it inline (CloudFormation) give one
    per bucket, with every setting absent when the bucket declares none."""

    bucket: str
    block_public_acls: Value[bool] = field(default_factory=Absent)
    ignore_public_acls: Value[bool] = field(default_factory=Absent)
    block_public_policy: Value[bool] = field(default_factory=Absent)
    restrict_public_buckets: Value[bool] = field(default_factory=Absent)
