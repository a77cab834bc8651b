from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from serverless_guard.catalog.checks.iam_patterns import (
    SPECIFIC,
    action_on_every_resource,
    concrete,
    glob_covers,
)
from serverless_guard.catalog.checks.iam_statements import (
    allowing,
    breach,
    document_of,
    subject_label,
    verdict_of,
)
from serverless_guard.catalog.params import param
from serverless_guard.catalog.rule import (
    Anchors,
    Context,
    Domain,
    Remediation,
    Severity,
    Verdict,
    rule,
)
from serverless_guard.facts.iam import IdentityPolicy
from serverless_guard.facts.policy import Statement

READ_PREFIXES = (
    "Get",
    "List",
    "Describe",
    "BatchGet",
    "Query",
    "Scan",
    "Head",
    "Select",
    "Lookup",
    "Detect",
    "BatchDetect",
)

ALLOWED_ACTIONS = (
    # X-Ray tracing from the function (what AWSXRayDaemonWriteAccess grants): no resource types.
    "xray:PutTraceSegments",
    "xray:PutTelemetryRecords",
    "xray:GetSamplingRules",
    "xray:GetSamplingTargets",
    "xray:GetSamplingStatisticSummaries",
    # Custom metrics: no resource types; scope with the cloudwatch:namespace condition key.
    "cloudwatch:PutMetricData",
    # Network interfaces of functions in a VPC (AWSLambdaVPCAccessExecutionRole, SAM's
    # VPCAccessPolicy).
    "ec2:CreateNetworkInterface",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DeleteNetworkInterface",
    "ec2:DetachNetworkInterface",
    "ec2:AssignPrivateIpAddresses",
    "ec2:UnassignPrivateIpAddresses",
    # Vended log delivery, which Step Functions and EventBridge Pipes logging to CloudWatch Logs
    # need: no resource types. PutResourcePolicy edits the account's CloudWatch Logs resource
    # policies; remove it when those are managed elsewhere.
    "logs:CreateLogDelivery",
    "logs:UpdateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:PutResourcePolicy",
    # A function invoked by CodePipeline reports its job's result: no resource types.
    "codepipeline:PutJobSuccessResult",
    "codepipeline:PutJobFailureResult",
)


@dataclass(frozen=True, slots=True)
class WildcardResourceParams:
    allowed_actions: tuple[str, ...] = param(
        list(ALLOWED_ACTIONS),
        "Actions (IAM wildcards allowed, case-insensitive) that may be granted on `*`. The "
        "default lists what serverless workloads need where AWS offers no narrower resource: "
        "X-Ray's trace and sampling actions, cloudwatch:PutMetricData, CodePipeline's "
        "PutJobSuccessResult and PutJobFailureResult, and the CloudWatch Logs delivery actions "
        "of Step Functions and EventBridge Pipes logging (Create/Update/DeleteLogDelivery, and "
        "PutResourcePolicy, which edits the account's Logs resource policies). It also lists "
        "the network-interface actions of functions in a VPC, as AWSLambdaVPCAccessExecutionRole "
        "and SAM's VPCAccessPolicy grant them on `*`; these can be scoped to subnet, "
        "security-group and network-interface ARNs: remove them to require it. "
        "logs:CreateLogGroup is not listed: it scopes to `log-group:/aws/lambda/*`.",
    )
    read_prefixes: tuple[str, ...] = param(
        list(READ_PREFIXES),
        "An action whose name (after `service:`) starts with one of these, case-insensitive, "
        "is a read, which may be granted on `*`. They follow the Read and List access levels "
        "of the Service Authorization Reference (Detect* and BatchDetect* are read-only "
        "analysis such as rekognition:DetectLabels). A read can still expose data "
        "(s3:GetObject or secretsmanager:GetSecretValue on `*`): set this to [] to hold reads "
        "to the same standard.",
    )


def is_read(action: str, prefixes: tuple[str, ...]) -> bool | None:
    """Whether a (concrete) action pattern grants reads only; None when its name is not known
    far enough to tell."""
    _, colon, name = action.partition(":")
    if not colon:
        return None if SPECIFIC in action else False
    literal = re.split(r"[*?\x00]", name, maxsplit=1)[0].lower()
    if any(literal.startswith(prefix.lower()) for prefix in prefixes):
        return True
    return None if SPECIFIC in name else False


def _on_every_resource(statement: Statement, action: str, worst: bool) -> bool:
    """Whether the statement grants `action` on every resource of the action's service: on
    `Resource` patterns that cover them all (`*`, `arn:aws:s3:::*` for s3, `arn:*`), or on
    `NotResource` that leaves them all in."""
    if statement.not_resources:
        return not any(
            action_on_every_resource(action, concrete(r, worst=not worst))
            for r in statement.not_resources
        )
    return any(
        action_on_every_resource(action, concrete(r, worst=worst)) for r in statement.resources
    )


def _offends(params: WildcardResourceParams, statement: Statement) -> Callable[[str, bool], bool]:
    def test(action: str, worst: bool) -> bool:
        text = concrete(action, worst=worst)
        if not _on_every_resource(statement, text, worst):
            return False
        if any(glob_covers(allowed, text) for allowed in params.allowed_actions):
            return False
        read = is_read(text, params.read_prefixes)
        return read is False or (read is None and worst)

    return test


@rule(
    id="iam-no-wildcard-resources",
    title="Identity policies grant write actions on named resources, not on `*`",
    severity=Severity.HIGH,
    domain=Domain.IAM,
    rationale=(
        'A write, delete or invoke action on `Resource: "*"` reaches every resource of that '
        "type in the account, in this stack and in every other: a function that should put "
        "items in one table can empty them all. A pattern that matches every resource of the "
        "action's service or type is the same grant (`arn:aws:s3:::*`, `arn:*`, "
        "`arn:aws:dynamodb:*:*:table/*`: IAM's `*` crosses colons), and so is NotResource. "
        "Reads (Get, List, Describe, Query, ...) and "
        "the few actions AWS only grants on `*` (X-Ray, PutMetricData, log delivery, VPC network "
        "interfaces) are left out; both lists are parameters."
    ),
    remediation=Remediation(
        cdk="Use the grant methods (`queue.grant_send_messages(fn)`, `table.grant_write_data(fn)`) "
        "or give `iam.PolicyStatement` the resources' ARNs (`resources=[table.table_arn]`).",
        pulumi="Put the resources' ARNs (`table.arn`, `pulumi.Output.concat(bucket.arn, '/*')`) "
        "in the statement's `Resource`.",
        cloudformation="Set `Resource` to the ARNs (`!GetAtt Table.Arn`, "
        "`!Sub ${Bucket.Arn}/*`) instead of `*` (SAM: policy templates do this).",
    ),
    references=(
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
        "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html",
        "https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html#configuration-vpc-permissions",
        "https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html",
    ),
    params=WildcardResourceParams,
    anchors=Anchors(cdk_nag=("AwsSolutions-IAM5",), checkov=("CKV_AWS_355",)),
)
def iam_no_wildcard_resources(
    policy: IdentityPolicy, ctx: Context[WildcardResourceParams]
) -> Verdict:
    document = document_of(policy)
    if isinstance(document, Verdict):
        return document
    breaches = []
    for statement, allows in allowing(document):
        found = breach(statement, allows, statement.actions, _offends(ctx.params, statement))
        if found is not None:
            breaches.append(found)
    return verdict_of(
        subject_label(policy),
        breaches,
        "on every resource (`*`)",
        "set Resource to the ARNs the code uses, or, for an action AWS grants only on `*`, "
        "add it to this rule's allowed_actions",
    )
