from __future__ import annotations

import re

from serverless_guard.catalog.checks.iam_patterns import concrete
from serverless_guard.catalog.checks.tls import Fit, Judgement, ResourceCheck, tls_only
from serverless_guard.catalog.checks.wildcards import ANY_VALUE, has_wildcard, matches_every
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
from serverless_guard.facts.nodes import RENDERED_PART, is_opaque_text
from serverless_guard.facts.policy import Statement
from serverless_guard.facts.resource_policy import PolicyService
from serverless_guard.facts.s3 import Bucket

_UNNAMED = "\x03"
"""The name of a bucket whose name is only known at deployment: only a wildcard matches it."""


def _concrete(resource: str, bucket: Bucket, graph: Graph, *, worst: bool) -> str:
    """A policy resource as a pattern: what denotes the bucket (a reference, a name or ARN
    rendered with deployment-time parts) becomes its ARN or name, other references and
    deployment-time parts specific values (at worst, parts a user supplies are `*`)."""
    name = bucket.ref_value or _UNNAMED
    arn = f"arn:aws:s3:::{name}"
    for alias in sorted((a for a in bucket.aliases if "${" in a), key=len, reverse=True):
        if alias in resource:
            own_arn = alias.startswith("arn:") or alias.endswith(".Arn}")
            resource = resource.replace(alias, arn if own_arn else name)

    def part(match: re.Match[str]) -> str:
        text = match.group(0)
        if any(b.id == bucket.id for b in graph.resolve(text, Bucket)):
            return arn if text.endswith(".Arn}") else name
        return concrete(text, worst=worst)

    return RENDERED_PART.sub(part, resource)


def _partitions(pattern: str) -> tuple[str, ...]:
    """The partitions to read an ARN pattern in: the one it writes out, else any."""
    parts = pattern.split(":", 2)
    if len(parts) == 3 and not has_wildcard(parts[1]):
        return (parts[1],)
    return (ANY_VALUE, "aws")


def _covers(pattern: str, bucket: Bucket) -> tuple[bool, bool]:
    """Whether a resource pattern covers the bucket itself, and every object in it (IAM's `*`
    crosses colons and slashes: `*`, `arn:*`, `arn:aws:s3:::*`, `arn:aws:s3:::name*` all do)."""
    name = bucket.ref_value or _UNNAMED
    partitions = _partitions(pattern)
    on_bucket = any(matches_every(pattern, f"arn:{p}:s3:::{name}") for p in partitions)
    on_objects = any(matches_every(pattern, f"arn:{p}:s3:::{name}/{ANY_VALUE}") for p in partitions)
    return on_bucket, on_objects


def bucket_and_objects(bucket: Bucket, graph: Graph) -> ResourceCheck:
    """A statement's resources must cover the bucket and every object in it."""

    def covered(resources: tuple[str, ...], worst: bool) -> bool:
        found = [_covers(_concrete(r, bucket, graph, worst=worst), bucket) for r in resources]
        return any(b for b, _ in found) and any(o for _, o in found)

    def check(statement: Statement) -> Judgement:
        if covered(statement.resources, worst=False):
            return Judgement(Fit.YES)
        if covered(statement.resources, worst=True):
            opaque = next(r for r in statement.resources if is_opaque_text(r))
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
        ("s3:*",),
        "deny s3:* to principal * on the bucket ARN and <bucket ARN>/* when "
        "aws:SecureTransport is false",
        bucket_and_objects(bucket, ctx.graph),
    )
