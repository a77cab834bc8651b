from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import IntEnum

from serverless_guard.catalog.params import NoParams
from serverless_guard.catalog.rule import (
    Anchors,
    Context,
    Domain,
    Remediation,
    Severity,
    Verdict,
    failed,
    passed,
    rule,
    unknown,
)
from serverless_guard.facts.base import Resource
from serverless_guard.facts.graph import Graph
from serverless_guard.facts.nodes import is_opaque_text
from serverless_guard.facts.policy import Statement
from serverless_guard.facts.resource_policy import PolicyService, ResourcePolicy
from serverless_guard.facts.s3 import Bucket
from serverless_guard.facts.value import Absent, Known, Path, Unknown


class Fit(IntEnum):
    """How well a policy (or a statement) denies requests without TLS."""

    NO = 0
    MAYBE = 1  # only known at deployment
    YES = 2


@dataclass(frozen=True, slots=True)
class Judgement:
    fit: Fit
    why: str = ""


ResourceCheck = Callable[[Statement], Judgement]
_NO = Judgement(Fit.NO)
_SECURE_TRANSPORT = "aws:securetransport"


_OPAQUE_PART = re.compile(r"\$\{\?[^}]*\}")


def _could_be(text: str, accepted: frozenset[str]) -> bool:
    """Whether a rendered string with parts only known at deployment may be an accepted value."""
    pattern = ".*".join(re.escape(part) for part in _OPAQUE_PART.split(text.lower()))
    return any(re.fullmatch(pattern, value, re.DOTALL) for value in accepted)


def _any(values: Iterable[str], accepted: frozenset[str], what: str, missing: str) -> Judgement:
    """YES when a value is accepted (case-insensitive), MAYBE when one may be at deployment."""
    items = tuple(values)
    if any(v.lower() in accepted for v in items):
        return Judgement(Fit.YES)
    opaque = next((v for v in items if is_opaque_text(v) and _could_be(v, accepted)), None)
    if opaque is not None:
        return Judgement(Fit.MAYBE, f"{what} {opaque} is only known at deployment")
    return Judgement(Fit.NO, missing)


def _secure_transport_false(statement: Statement) -> Judgement:
    """The statement's only condition is aws:SecureTransport false (a Bool operator)."""
    for condition in statement.conditions:
        if condition.key.lower() != _SECURE_TRANSPORT:
            return Judgement(Fit.NO, f"its condition on {condition.key} narrows the deny")
        if not condition.operator.endswith(("Bool", "BoolIfExists")):
            return Judgement(Fit.NO, f"it tests aws:SecureTransport with {condition.operator}")
    values = (v for c in statement.conditions for v in c.values)
    return _any(
        values,
        frozenset({"false"}),
        "aws:SecureTransport value",
        "it does not test aws:SecureTransport for false",
    )


def denies_insecure_transport(
    statement: Statement, actions: frozenset[str], resources: ResourceCheck | None = None
) -> Judgement:
    """Whether a statement denies every principal the given actions without TLS. A statement
    that tests aws:SecureTransport but falls short says why."""
    if not any(c.key.lower() == _SECURE_TRANSPORT for c in statement.conditions):
        return _NO
    if statement.effect != "Deny":
        if is_opaque_text(statement.effect):
            return Judgement(Fit.MAYBE, "the statement's Effect is only known at deployment")
        return Judgement(Fit.NO, f"its statement on aws:SecureTransport is {statement.effect}")
    if statement.not_principals or statement.not_actions or statement.not_resources:
        return Judgement(Fit.NO, "it uses NotPrincipal, NotAction or NotResource")
    checks = (
        _any(
            (p.value for p in statement.principals if p.kind in ("*", "AWS")),
            frozenset({"*"}),
            "principal",
            "it does not apply to every principal",
        ),
        _any(
            statement.actions,
            actions,
            "action",
            "it covers only some actions",
        ),
        _secure_transport_false(statement),
        resources(statement) if resources is not None else Judgement(Fit.YES),
    )
    return min(checks, key=lambda j: j.fit)


def _rank(judgement: Judgement) -> tuple[Fit, bool]:
    return judgement.fit, bool(judgement.why)


def _policy(
    policy: ResourcePolicy, actions: frozenset[str], resources: ResourceCheck | None
) -> Judgement:
    match policy.document:
        case Absent():
            return _NO
        case Unknown() as u:
            return Judgement(Fit.MAYBE, f"policy {policy.name}: {u.reason}")
        case Known(value=document):
            judgements = [
                denies_insecure_transport(s, actions, resources) for s in document.statements
            ]
            best = max(judgements, key=_rank, default=_NO)
            if best.fit is Fit.YES:
                return Judgement(Fit.YES, policy.name)
            if best.fit is Fit.MAYBE:
                return Judgement(Fit.MAYBE, f"policy {policy.name}: {best.why}")
            return best


def tls_only(
    subject: Resource,
    graph: Graph,
    service: PolicyService,
    actions: frozenset[str],
    fix: str,
    resources: ResourceCheck | None = None,
) -> Verdict:
    """Pass when a resource policy of `service` attached to `subject` denies requests without
    TLS. Each policy counts only when every condition variant of it does; a policy attached to
    a resource named only at deployment may be this one's, which makes the verdict unknown."""
    noun = {PolicyService.S3: "bucket", PolicyService.SQS: "queue"}.get(service, "topic")
    linked = [
        p
        for p in graph.linked(ResourcePolicy, lambda p: p.targets, subject)
        if p.service is service
    ]
    variants: dict[tuple[str, Path], list[Judgement]] = defaultdict(list)
    for policy in linked:
        variants[(policy.id, policy.at)].append(_policy(policy, actions, resources))
    judgements = [min(found, key=lambda j: j.fit) for found in variants.values()]
    named_at_deployment = graph.memo(
        ("tls-only: policies on resources named at deployment", service),
        lambda: tuple(
            p
            for p in graph.of_kind(ResourcePolicy)
            if p.service is service and any(is_opaque_text(t) for t in p.targets)
        ),
    )
    for policy in named_at_deployment:
        if (policy.id, policy.at) not in variants and _policy(
            policy, actions, resources
        ).fit is not Fit.NO:
            judgements.append(
                Judgement(
                    Fit.MAYBE, f"policy {policy.name} applies to a {noun} named at deployment"
                )
            )
    best = max(judgements, key=_rank, default=_NO)
    if best.fit is Fit.YES:
        return passed(f"{noun} policy {best.why} denies requests without TLS")
    if best.fit is Fit.MAYBE:
        return unknown(Unknown(best.why))
    if not linked:
        return failed(
            f"{noun} {subject.name} has no {noun} policy that denies requests without TLS: {fix}"
        )
    names = ", ".join(sorted({p.name for p in linked}))
    detail = f" ({best.why})" if best.why else ""
    return failed(
        f"the policy of {noun} {subject.name} ({names}) does not deny every request without "
        f"TLS{detail}: {fix}"
    )


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
    pattern = re.compile(".*".join(re.escape(part) for part in _OPAQUE_PART.split(text)), re.DOTALL)
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
