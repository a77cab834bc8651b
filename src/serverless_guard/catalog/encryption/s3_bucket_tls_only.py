from __future__ import annotations

import re

from serverless_guard.catalog.checks.tls import Fit, Judgement, ResourceCheck, tls_only
from serverless_guard.catalog.params import NoParams
from serverless_guard.catalog.rule import (
    Anchors,
    Context,
    Domain,
    Remediation,
    Severity,
    Verdict,
    rule,
)
from serverless_guard.facts.graph import Graph
from serverless_guard.facts.nodes import OPAQUE_PART, is_opaque_text
from serverless_guard.facts.policy import Statement
from serverless_guard.facts.resource_policy import PolicyService
from serverless_guard.facts.s3 import Bucket

_S3_ARN = re.compile(r"^arn:(?:\$\{[^}]*\}|[^:$]*):s3:::(.*)$", re.DOTALL)


def _glob(pattern: str) -> re.Pattern[str]:
    """An IAM resource pattern: `*` matches any run of characters, `?` any one."""
    return re.compile(
        "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern),
        re.DOTALL,
    )


def _covers(resource: str, bucket: Bucket, graph: Graph) -> tuple[bool, bool]:
    """Whether a policy resource covers the bucket itself, and all of its objects."""

    def denotes(text: str) -> bool:
        return any(b.id == bucket.id for b in graph.resolve(text, Bucket))

    if resource == "*":
        return True, True
    match = _S3_ARN.match(resource)
    if match is None:  # a reference to the bucket's ARN: ${Bucket.Arn}, ${Bucket.Arn}/*
        return denotes(resource), resource.endswith("/*") and denotes(resource[:-2])
    rest = match.group(1)
    if rest == "*":
        return True, True
    on_bucket = denotes(rest)
    on_objects = rest == "*/*" or (rest.endswith("/*") and denotes(rest[:-2]))
    name = bucket.ref_value
    if name is not None and "${" not in rest and ("*" in rest or "?" in rest):
        pattern = _glob(rest)
        on_bucket = on_bucket or pattern.fullmatch(name) is not None
        on_objects = on_objects or (
            rest.endswith("*") and pattern.fullmatch(f"{name}/") is not None
        )
    return on_bucket, on_objects


def _may_cover(resource: str, bucket: Bucket) -> tuple[bool, bool]:
    """Whether a resource with parts known only at deployment may turn out to cover the bucket,
    and all of its objects: its literal parts must fit, its unknown parts may be anything."""
    name = bucket.ref_value or "\x00bucket\x00"
    text = resource.replace(f"${{{bucket.id}.Arn}}", f"arn:aws:s3:::{name}").replace(
        f"${{{bucket.id}}}", name
    )
    pattern = re.compile(".*".join(re.escape(part) for part in OPAQUE_PART.split(text)), re.DOTALL)
    on_bucket = pattern.fullmatch(f"arn:aws:s3:::{name}") is not None
    on_objects = pattern.fullmatch(f"arn:aws:s3:::{name}/*") is not None
    return on_bucket, on_objects


def bucket_and_objects(bucket: Bucket, graph: Graph) -> ResourceCheck:
    """A statement's resources must cover the bucket and every object in it."""

    def check(statement: Statement) -> Judgement:
        covered = [_covers(r, bucket, graph) for r in statement.resources]
        if any(b for b, _ in covered) and any(o for _, o in covered):
            return Judgement(Fit.YES)
        maybe = [(r, _may_cover(r, bucket)) for r in statement.resources if is_opaque_text(r)]
        may_bucket = any(b for b, _ in covered) or any(b for _, (b, _) in maybe)
        may_objects = any(o for _, o in covered) or any(o for _, (_, o) in maybe)
        if may_bucket and may_objects:
            opaque = next(r for r, (b, o) in maybe if b or o)
            return Judgement(Fit.MAYBE, f"resource {opaque} is only known at deployment")
        return Judgement(Fit.NO, "it does not cover both the bucket and its objects")

    return check


@rule(
    id="s3-bucket-tls-only",
    title="S3 bucket policies deny requests that do not use TLS",
    severity=Severity.HIGH,
    domain=Domain.ENCRYPTION,
    rationale=(
        "S3 answers plain HTTP requests unless the bucket policy denies them. Without TLS, "
        "object data and request signatures cross the network in clear text, where they can "
        "be read or altered. A Deny statement on aws:SecureTransport false, for the bucket and "
        "its objects, makes every request use HTTPS, whatever the client's settings."
    ),
    remediation=Remediation(
        cdk="Set `enforce_ssl=True` on `s3.Bucket` (SecureBucket does this by default).",
        pulumi="Attach an `aws.s3.BucketPolicy` with a statement that denies `s3:*` to `*` on "
        "the bucket ARN and `<bucket ARN>/*` when `aws:SecureTransport` is `false`.",
        cloudformation="Add an `AWS::S3::BucketPolicy` with a `Deny` statement for principal "
        "`*`, action `s3:*`, resources `!GetAtt Bucket.Arn` and `!Sub '${Bucket.Arn}/*'`, and "
        "condition `Bool: {aws:SecureTransport: false}`.",
    ),
    references=(
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html",
        "https://repost.aws/knowledge-center/s3-bucket-policy-for-config-rule",
    ),
    anchors=Anchors(
        fsbp=("S3.5",),
        cdk_nag=("AwsSolutions-S10", "NIST.800.53.R5-S3BucketSSLRequestsOnly"),
    ),
)
def s3_bucket_tls_only(bucket: Bucket, ctx: Context[NoParams]) -> Verdict:
    return tls_only(
        bucket,
        ctx.graph,
        PolicyService.S3,
        frozenset({"*", "s3:*"}),
        "deny s3:* to principal * on the bucket ARN and <bucket ARN>/* when "
        "aws:SecureTransport is false",
        bucket_and_objects(bucket, ctx.graph),
    )
