from __future__ import annotations

from serverless_guard.catalog.checks.conditions import (
    CALLER_KEYS,
    KEY_POLICY_KEYS,
    Pin,
    caller_limit,
)
from serverless_guard.catalog.checks.resource_policies import policy_label
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
from serverless_guard.facts.resource_policy import PolicyService, ResourcePolicy
from serverless_guard.facts.value import Absent, Known, Unknown

_PIN = (
    "name specific principals or add a condition on aws:PrincipalOrgID, aws:SourceArn or "
    "aws:SourceAccount with fixed values"
)
# How a fix reads where the policy is written by its parts (a layer version permission).
_FIXES = {
    PolicyService.LAMBDA_LAYER: "name an account as the principal, or limit the permission to "
    "an organization",
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
    title="Bucket, queue, topic, event bus, key, secret and layer policies do not grant access "
    "to everyone",
    severity=Severity.CRITICAL,
    domain=Domain.NETWORK,
    rationale=(
        "A resource policy that allows principal `*` (or NotPrincipal) without a condition that "
        "pins the caller's account, organization, source resource or network lets any AWS "
        "account, and for S3 anyone on the internet, read or write the resource: the data and "
        "the events in it are public, a KMS key decrypts for anyone, a secret's value is "
        "readable by anyone, a layer's code is downloadable by any account (a layer version "
        "permission with Principal `*` and no OrganizationId). A condition on something else "
        "(TLS, a header, a tag), or "
        "one that admits more than it names (a wildcard such as `vpce-*` or an ARN in any "
        "account, a negation, IfExists, an address range as wide as the internet), does not "
        "make it private."
    ),
    remediation=Remediation(
        cdk="Grant to specific principals (`bucket.grant_read(role)`, `queue.grant_send_messages"
        "(principal)`, `topic.grant_publish(...)`); with `iam.AnyPrincipal()`, add a condition "
        "on `aws:PrincipalOrgID`, `aws:SourceArn` or `aws:SourceAccount`.",
        pulumi="Name specific principals in the policy document of `aws.s3.BucketPolicy`, "
        "`aws.sqs.QueuePolicy`, `aws.sns.TopicPolicy`, `aws.cloudwatch.EventBusPolicy`, "
        "`aws.kms.Key`/`aws.kms.KeyPolicy` or `aws.secretsmanager.SecretPolicy`, or add an "
        "`aws:PrincipalOrgID`/`aws:SourceArn` condition; give `aws.lambda_.LayerVersionPermission` "
        "an account as `principal`, or an `organization_id`.",
        cloudformation="Replace `Principal: '*'` in the `PolicyDocument` (`KeyPolicy`, "
        "`ResourcePolicy`) with accounts, roles or services, or add a `Condition` on "
        "`aws:PrincipalOrgID`, `aws:SourceArn` or `aws:SourceAccount`; give "
        "`AWS::Lambda::LayerVersionPermission` an account as `Principal`, or an `OrganizationId`.",
    ),
    references=(
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-concepts.html",
        "https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html",
        "https://docs.aws.amazon.com/secretsmanager/latest/userguide/determine-acccess_examine-iam-policies.html",
        "https://docs.aws.amazon.com/lambda/latest/dg/permissions-layer-cross-account.html",
    ),
    anchors=Anchors(
        fsbp=("SNS.4", "SQS.3", "KMS.5"),
        cdk_nag=("AwsSolutions-EVB1",),
        checkov=("CKV_AWS_33", "CKV_AWS_70", "CKV_AWS_168", "CKV_AWS_169", "CKV_AWS_387"),
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
    label = policy_label(policy)
    keys = KEY_POLICY_KEYS if policy.service is PolicyService.KMS else CALLER_KEYS
    pending: Unknown | None = None
    for statement in statements:
        if not statement.allows:
            continue
        everyone = _everyone(statement.principals) or bool(statement.not_principals)
        opaque = None if everyone else _opaque_principal(statement.principals)
        if not everyone and opaque is None:
            continue
        limit = caller_limit(statement.conditions, keys)
        if limit.pin is Pin.PINNED:
            continue
        if limit.pin is Pin.MAYBE or opaque is not None:
            if pending is None:
                reason = (
                    f"principal {opaque.value} is only known at deployment"
                    if opaque is not None
                    else f"{label} allows everyone unless {limit.why}"
                )
                pending = Unknown(reason, statement.at)
            continue
        if statement.not_principals:
            return failed(
                f"{label} allows everyone but the NotPrincipal list: name the principals to "
                "allow instead",
                at=statement.at,
            )
        return failed(
            f"{label} allows everyone (principal *) with no condition that pins the caller: "
            f"{_FIXES.get(policy.service, _PIN)}",
            at=statement.at,
        )
    if pending is not None:
        return unknown(pending)
    return passed()
