from __future__ import annotations

from serverless_guard.catalog.checks.conditions import CALLER_KEYS, Pin, caller_limit
from serverless_guard.catalog.rule import (
    Anchors,
    Domain,
    Remediation,
    Severity,
    Verdict,
    failed,
    passed,
    rule,
    unknown,
)
from serverless_guard.facts.nodes import OPAQUE_MARK
from serverless_guard.facts.policy import Principal
from serverless_guard.facts.resource_policy import ResourcePolicy
from serverless_guard.facts.value import Absent, Known, Unknown

_RESOURCE = {
    "s3": "bucket",
    "sqs": "queue",
    "sns": "topic",
    "events": "event bus",
}


def _everyone(principals: tuple[Principal, ...]) -> bool:
    return any(p.value == "*" and p.kind in ("*", "AWS") for p in principals)


def _opaque_principal(principals: tuple[Principal, ...]) -> Principal | None:
    """A principal whose whole value is only known at deployment (it could be `*`)."""
    for p in principals:
        whole = (
            p.value.startswith(OPAQUE_MARK) and p.value.endswith("}") and p.value.count("${") == 1
        )
        if p.kind in ("*", "AWS") and whole and p.value != "${?AWS::AccountId}":
            return p
    return None


@rule(
    id="resource-policy-not-public",
    title="Bucket, queue, topic and event bus policies do not grant access to everyone",
    severity=Severity.CRITICAL,
    domain=Domain.NETWORK,
    rationale=(
        "A resource policy that allows principal `*` (or NotPrincipal) without a condition that "
        "pins the caller's account, organization, source resource or network lets any AWS "
        "account, and for S3 anyone on the internet, read or write the resource: the data and "
        "the events in it are public. A condition on something else (TLS, a header, a tag), or "
        "one that admits more than it names (a wildcard such as `vpce-*` or an ARN in any "
        "account, a negation, IfExists, an address range as wide as the internet), does not "
        "make it private."
    ),
    remediation=Remediation(
        cdk="Grant to specific principals (`bucket.grant_read(role)`, `queue.grant_send_messages"
        "(principal)`, `topic.grant_publish(...)`); with `iam.AnyPrincipal()`, add a condition "
        "on `aws:PrincipalOrgID`, `aws:SourceArn` or `aws:SourceAccount`.",
        pulumi="Name specific principals in the policy document of `aws.s3.BucketPolicy`, "
        "`aws.sqs.QueuePolicy`, `aws.sns.TopicPolicy` or `aws.cloudwatch.EventBusPolicy`, or "
        "add an `aws:PrincipalOrgID`/`aws:SourceArn` condition.",
        cloudformation="Replace `Principal: '*'` in the `PolicyDocument` with accounts, roles "
        "or services, or add a `Condition` on `aws:PrincipalOrgID`, `aws:SourceArn` or "
        "`aws:SourceAccount`.",
    ),
    references=(
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-concepts.html",
    ),
    anchors=Anchors(
        fsbp=("SNS.4", "EventBridge.3"),
        cdk_nag=("AwsSolutions-EVB1",),
        checkov=("CKV_AWS_168", "CKV_AWS_169", "CKV_AWS_387"),
    ),
)
def resource_policy_not_public(policy: ResourcePolicy) -> Verdict:
    match policy.document:
        case Unknown() as u:
            return unknown(u)
        case Absent():
            return passed()
        case Known(value=document):
            statements = document.statements
    what = _RESOURCE.get(policy.service.value, "resource")
    pending: Unknown | None = None
    for statement in statements:
        if not statement.allows:
            continue
        everyone = _everyone(statement.principals) or bool(statement.not_principals)
        opaque = None if everyone else _opaque_principal(statement.principals)
        if not everyone and opaque is None:
            continue
        limit = caller_limit(statement.conditions, CALLER_KEYS)
        if limit.pin is Pin.PINNED:
            continue
        if limit.pin is Pin.MAYBE or opaque is not None:
            if pending is None:
                reason = (
                    f"principal {opaque.value} is only known at deployment"
                    if opaque is not None
                    else f"{what} policy {policy.name} allows everyone unless {limit.why}"
                )
                pending = Unknown(reason, statement.at)
            continue
        if statement.not_principals:
            return failed(
                f"{what} policy {policy.name} allows everyone but the NotPrincipal list: name "
                "the principals to allow instead",
                at=statement.at,
            )
        return failed(
            f"{what} policy {policy.name} allows everyone (principal *) with no condition "
            "that pins the caller: name specific principals or add a condition on "
            "aws:PrincipalOrgID, aws:SourceArn or aws:SourceAccount with fixed values",
            at=statement.at,
        )
    if pending is not None:
        return unknown(pending)
    return passed()
