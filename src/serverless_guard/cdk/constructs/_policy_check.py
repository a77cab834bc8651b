"""Check the resource policies of a construct with the catalog's own resource policy rules.

Statements reach a bucket's, queue's, topic's, key's or event bus's policy after the construct
is built (`add_to_resource_policy`, grants to other accounts, integrations that add their
own), so the constructs check them at synthesis (`ResourcePolicyChecks`, an aspect): each
policy is resolved to CloudFormation (`Stack.resolve`), extracted and judged exactly as a scan
would judge it, and a failing rule is a warning on the policy that names it.
"""

from __future__ import annotations

from collections.abc import Mapping

import jsii
from aws_cdk import AspectPriority, Aspects, CfnResource, IAspect, Stack
from aws_cdk import aws_events as events
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from constructs import IConstruct

from serverless_guard.catalog import BY_ID
from serverless_guard.cdk.constructs._catalog_check import warn_failures

RULES = (BY_ID["resource-policy-not-public"], BY_ID["resource-policy-no-wildcard-actions"])


def _properties(node: IConstruct) -> Mapping[str, object] | None:
    """The properties the extractors read of a policy resource; None for other constructs."""
    if isinstance(node, s3.CfnBucketPolicy):
        return {"Bucket": node.bucket, "PolicyDocument": node.policy_document}
    if isinstance(node, sqs.CfnQueuePolicy):
        return {"Queues": node.queues, "PolicyDocument": node.policy_document}
    if isinstance(node, sns.CfnTopicPolicy):
        return {"Topics": node.topics, "PolicyDocument": node.policy_document}
    if isinstance(node, kms.CfnKey):
        return {"KeyPolicy": node.key_policy}
    if isinstance(node, events.CfnEventBusPolicy):
        return {
            "EventBusName": node.event_bus_name,
            "Statement": node.statement,
            "Action": node.action,
            "Principal": node.principal,
        }
    return None


@jsii.implements(IAspect)
class ResourcePolicyChecks:
    """At synthesis, warn on every resource policy under the construct (its bucket, queue,
    topic or event bus policy, its key policy) that a resource policy rule fails on. Added with
    `Aspects.of(construct).add(...)`."""

    def visit(self, node: IConstruct) -> None:
        found = _properties(node)
        if found is None or not isinstance(node, CfnResource):
            return
        stack = Stack.of(node)
        properties = {
            name: stack.resolve(value) for name, value in found.items() if value is not None
        }
        logical_id = "".join(c for c in node.node.path if c.isalnum()) or "Policy"
        warn_failures(
            node,
            {logical_id: {"Type": node.cfn_resource_type, "Properties": properties}},
            RULES,
        )


def check_resource_policies(construct: IConstruct) -> None:
    """Check the resource policies under `construct` at synthesis (see `ResourcePolicyChecks`)."""
    Aspects.of(construct).add(ResourcePolicyChecks(), priority=AspectPriority.READONLY)
