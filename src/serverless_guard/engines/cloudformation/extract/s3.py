"""AWS::S3::Bucket and AWS::S3::BucketPolicy."""

from __future__ import annotations

from collections.abc import Iterable

from serverless_guard.engines.cloudformation.extract.base import CfnResource, Extractor
from serverless_guard.engines.policy_document import policy_document
from serverless_guard.engines.props import Props
from serverless_guard.facts.base import Resource
from serverless_guard.facts.nodes import Opaque
from serverless_guard.facts.resource_policy import PolicyService, ResourcePolicy
from serverless_guard.facts.s3 import Bucket, BucketEncryption, PublicAccessBlock
from serverless_guard.facts.value import Known, Unknown


def _parameter_name(res: CfnResource) -> tuple[str, ...]:
    """A bucket named by a template parameter without default: the parameter's rendered value
    denotes this bucket wherever else the template uses it (a bucket policy's Bucket)."""
    node = res.properties.get("BucketName")
    if isinstance(node, Opaque) and node.what.startswith("parameter "):
        return (node.render(), f"arn:aws:s3:::{node.render()}")
    return ()


def bucket(res: CfnResource) -> Iterable[Resource]:
    ident = res.identity(
        name_property="BucketName",
        arn=lambda n: f"arn:aws:s3:::{n}",
        extra_aliases=_parameter_name(res),
    )
    yield Bucket(**ident)
    link = f"${{{res.id}}}"
    props = res.props
    encryption = props.child("BucketEncryption")
    if isinstance(encryption, Props):
        rules = list(encryption.children("ServerSideEncryptionConfiguration"))
        if rules:
            default = rules[0].child("ServerSideEncryptionByDefault")
            if isinstance(default, Props):
                yield BucketEncryption(
                    **{**ident, "at": default.at},
                    bucket=link,
                    algorithm=default.string("SSEAlgorithm"),
                    kms_key=default.link("KMSMasterKeyID"),
                )
            else:
                yield BucketEncryption(
                    **{**ident, "at": rules[0].at}, bucket=link, algorithm=default, kms_key=default
                )
        elif "ServerSideEncryptionConfiguration" in encryption:
            unknown = Unknown(
                "encryption rules built at deployment",
                encryption.path("ServerSideEncryptionConfiguration"),
            )
            yield BucketEncryption(
                **{**ident, "at": encryption.at}, bucket=link, algorithm=unknown, kms_key=unknown
            )
    else:  # unknown, or not set (SSE-S3): a fact per variant keeps Fn::If branches apart
        yield BucketEncryption(
            **{**ident, "at": encryption.at}, bucket=link, algorithm=encryption, kms_key=encryption
        )
    block = props.child("PublicAccessBlockConfiguration")
    if isinstance(block, Props):
        yield PublicAccessBlock(
            **{**ident, "at": block.at},
            bucket=link,
            block_public_acls=block.boolean("BlockPublicAcls"),
            ignore_public_acls=block.boolean("IgnorePublicAcls"),
            block_public_policy=block.boolean("BlockPublicPolicy"),
            restrict_public_buckets=block.boolean("RestrictPublicBuckets"),
        )
    else:  # unknown, or not set (all absent): a fact per variant keeps Fn::If branches apart
        yield PublicAccessBlock(
            **{**ident, "at": block.at},
            bucket=link,
            block_public_acls=block,
            ignore_public_acls=block,
            block_public_policy=block,
            restrict_public_buckets=block,
        )


def bucket_policy(res: CfnResource) -> Iterable[Resource]:
    target = res.props.link("Bucket")
    yield ResourcePolicy(
        **res.identity(),
        service=PolicyService.S3,
        targets=(target.value if isinstance(target, Known) else Opaque(target.reason).render(),)
        if isinstance(target, Known | Unknown)
        else (),
        document=policy_document(res.properties.get("PolicyDocument"), ("PolicyDocument",)),
    )


EXTRACTORS: dict[str, Extractor] = {
    "AWS::S3::Bucket": bucket,
    "AWS::S3::BucketPolicy": bucket_policy,
}
