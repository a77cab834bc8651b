"""pulumi-aws (classic) SQS queues, SNS topics, EventBridge buses and their policies."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

from serverless_guard.engines.event_permission import permission_document
from serverless_guard.engines.policy_document import policy_document
from serverless_guard.engines.props import Props
from serverless_guard.engines.pulumi.extract.base import Extractor, PulumiView
from serverless_guard.engines.pulumi.extract.classic.inputs import plain_identity, plain_inputs
from serverless_guard.engines.pulumi.extract.classic.owners import (
    attached_policy,
    inline_policy,
    owner_link,
    target,
)
from serverless_guard.facts.base import Resource
from serverless_guard.facts.messaging import EventBus, Queue, QueueRedrive, Topic
from serverless_guard.facts.nodes import Opaque, Ref
from serverless_guard.facts.resource_policy import PolicyService, ResourcePolicy
from serverless_guard.facts.value import Absent, Known, Unknown, Value


def _json_field(view: PulumiView, key: str, field: str, *, computed_is_link: bool) -> Value[str]:
    """A field of a JSON document input (a queue's redrive or redrive allow policy).

    A document only known at deployment that is computed from exactly one other resource
    denotes that resource when `computed_is_link`: a redrive policy built from one queue's ARN
    names that queue as the dead-letter queue."""
    at = (key,)
    raw = plain_inputs(view).raw(key)
    if raw is None or raw == "":
        return Absent(at)
    if isinstance(raw, Opaque):
        node = view.properties.get(key)
        if computed_is_link and isinstance(node, Ref):
            return Known(node.render(), at)
        return Unknown(raw.what, at)
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            return Unknown(f"{key} is not JSON", at)
    if not isinstance(raw, Mapping):
        return Unknown(f"{key} is not a JSON object", at)
    return Props(raw, at).link(field)


def queue(view: PulumiView) -> Iterable[Resource]:
    ident = plain_identity(view, "name")
    yield Queue(
        **ident,
        kms_key=view.props.link("kmsMasterKeyId"),
        sqs_managed_sse=plain_inputs(view).boolean("sqsManagedSseEnabled"),
        dead_letter_target=_json_field(
            view, "redrivePolicy", "deadLetterTargetArn", computed_is_link=True
        ),
        redrive_permission=_json_field(
            view, "redriveAllowPolicy", "redrivePermission", computed_is_link=False
        ),
    )
    yield from inline_policy(view, ident, PolicyService.SQS)


def queue_policy(view: PulumiView) -> Iterable[Resource]:
    return attached_policy(view, PolicyService.SQS, "queueUrl")


def redrive_policy(view: PulumiView) -> Iterable[Resource]:
    """`sqs.RedrivePolicy`: a queue's redrive policy as a resource of its own."""
    yield QueueRedrive(
        **view.identity(),
        queue=owner_link(view, "queueUrl"),
        dead_letter_target=_json_field(
            view, "redrivePolicy", "deadLetterTargetArn", computed_is_link=True
        ),
    )


def redrive_allow_policy(view: PulumiView) -> Iterable[Resource]:
    """`sqs.RedriveAllowPolicy`: a queue's redrive allow policy as a resource of its own."""
    yield QueueRedrive(
        **view.identity(),
        queue=owner_link(view, "queueUrl"),
        redrive_permission=_json_field(
            view, "redriveAllowPolicy", "redrivePermission", computed_is_link=False
        ),
    )


def topic(view: PulumiView) -> Iterable[Resource]:
    ident = plain_identity(view, "name")
    yield Topic(**ident, kms_key=view.props.link("kmsMasterKeyId"))
    yield from inline_policy(view, ident, PolicyService.SNS)


def topic_policy(view: PulumiView) -> Iterable[Resource]:
    return attached_policy(view, PolicyService.SNS, "arn")


def event_bus(view: PulumiView) -> Iterable[Resource]:
    yield EventBus(**plain_identity(view, "name"), kms_key=view.props.link("kmsKeyIdentifier"))


def event_bus_policy(view: PulumiView) -> Iterable[Resource]:
    """`cloudwatch.EventBusPolicy`: the whole policy of a bus (the default bus when unnamed)."""
    return attached_policy(view, PolicyService.EVENTS, "eventBusName", default="default")


def event_permission(view: PulumiView) -> Iterable[Resource]:
    """`cloudwatch.EventPermission`: one statement of a bus's policy, given by its parts."""
    inputs = plain_inputs(view)
    principal = inputs.raw("principal")
    if isinstance(principal, Opaque):  # computed from one resource: a reference to it
        principal = view.properties.get("principal")
    condition = inputs.child("condition")
    document = permission_document(
        inputs.raw("action"),
        principal,
        (condition.raw("type"), condition.raw("key"), condition.raw("value"))
        if isinstance(condition, Props)
        else None,
    )
    yield ResourcePolicy(
        **view.identity(),
        service=PolicyService.EVENTS,
        targets=target(view, "eventBusName", default="default"),
        document=condition  # a condition only known at deployment may limit the callers
        if isinstance(condition, Unknown)
        else policy_document(document, ()),
    )


EXTRACTORS: dict[str, Extractor] = {
    "aws:sqs/queue:Queue": queue,
    "aws:sqs/queuePolicy:QueuePolicy": queue_policy,
    "aws:sqs/redrivePolicy:RedrivePolicy": redrive_policy,
    "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy": redrive_allow_policy,
    "aws:sns/topic:Topic": topic,
    "aws:sns/topicPolicy:TopicPolicy": topic_policy,
    "aws:cloudwatch/eventBus:EventBus": event_bus,
    "aws:cloudwatch/eventBusPolicy:EventBusPolicy": event_bus_policy,
    "aws:cloudwatch/eventPermission:EventPermission": event_permission,
}
