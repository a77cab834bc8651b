"""SQS queues, SNS topics, EventBridge buses and their resource policies."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from serverless_guard.engines.cloudformation.extract.base import CfnResource, Extractor
from serverless_guard.engines.event_permission import permission_document
from serverless_guard.engines.policy_document import policy_document
from serverless_guard.engines.props import Props, link_texts
from serverless_guard.facts.base import Resource
from serverless_guard.facts.messaging import EventBus, Queue, Topic
from serverless_guard.facts.nodes import Opaque, Text
from serverless_guard.facts.resource_policy import PolicyService, ResourcePolicy
from serverless_guard.facts.value import Absent, Known, Unknown, Value

_REGIONAL = "arn:${{?AWS::Partition}}:{service}:${{?AWS::Region}}:${{?AWS::AccountId}}:{name}"


def _json_child(props: Props, key: str) -> Props | Unknown | Absent:
    """A mapping property that may also be given as a JSON string. In a string built with
    Fn::Sub or Fn::Join, references stay in their rendered form (`${Dlq.Arn}`)."""
    raw = props.raw(key)
    if isinstance(raw, Text):
        raw = raw.render()
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            return Unknown(f"{key} is not JSON", props.path(key))
        props = Props({key: raw}, props.at)
    return props.child(key)


def _redrive_target(props: Props) -> Value[str]:
    """The dead-letter queue's ARN; a target only known at deployment is still a target."""
    policy = _json_child(props, "RedrivePolicy")
    if not isinstance(policy, Props):
        return policy
    target = policy.link("deadLetterTargetArn")
    if isinstance(target, Unknown):
        return Known(Opaque(target.reason).render(), target.at)
    return target


def _redrive_permission(props: Props) -> Value[str]:
    policy = _json_child(props, "RedriveAllowPolicy")
    return policy.string("redrivePermission") if isinstance(policy, Props) else policy


def queue(res: CfnResource) -> Iterable[Resource]:
    props = res.props
    yield Queue(
        **res.identity(
            name_property="QueueName",
            ref_is_name=False,
            arn=lambda n: _REGIONAL.format(service="sqs", name=n),
            extra_aliases=(f"${{{res.id}.QueueUrl}}", f"${{{res.id}.QueueName}}"),
        ),
        kms_key=props.link("KmsMasterKeyId"),
        sqs_managed_sse=props.boolean("SqsManagedSseEnabled"),
        dead_letter_target=_redrive_target(props),
        redrive_permission=_redrive_permission(props),
    )


def topic(res: CfnResource) -> Iterable[Resource]:
    props = res.props
    yield Topic(
        **res.identity(
            name_property="TopicName",
            ref_is_name=False,
            arn=lambda n: _REGIONAL.format(service="sns", name=n),
            extra_aliases=(f"${{{res.id}.TopicArn}}",),
        ),
        kms_key=props.link("KmsMasterKeyId"),
    )


def _policy(res: CfnResource, service: PolicyService, *target_keys: str) -> Iterable[Resource]:
    props = res.props
    yield ResourcePolicy(
        **res.identity(),
        service=service,
        targets=link_texts(props, *target_keys),
        document=policy_document(props.raw("PolicyDocument"), ("PolicyDocument",)),
    )


def queue_policy(res: CfnResource) -> Iterable[Resource]:
    return _policy(res, PolicyService.SQS, "Queues", "Queue")


def topic_policy(res: CfnResource) -> Iterable[Resource]:
    return _policy(res, PolicyService.SNS, "Topics", "TopicArn")


def event_bus(res: CfnResource) -> Iterable[Resource]:
    props = res.props
    ident = res.identity(
        name_property="Name",
        arn=lambda n: _REGIONAL.format(service="events", name=f"event-bus/{n}"),
        extra_aliases=(f"${{{res.id}.Name}}",),
    )
    yield EventBus(**ident, kms_key=props.link("KmsKeyIdentifier"))
    if "Policy" in props:
        yield ResourcePolicy(
            **{**ident, "at": ("Policy",)},
            service=PolicyService.EVENTS,
            targets=(f"${{{res.id}}}",),
            document=policy_document(props.raw("Policy"), ("Policy",)),
        )


def _legacy_bus_statement(props: Props) -> Mapping[str, Any]:
    """The pre-`Statement` form of AWS::Events::EventBusPolicy as one statement."""
    condition = props.child("Condition")
    return permission_document(
        props.raw("Action"),
        props.raw("Principal"),
        (condition.raw("Type"), condition.raw("Key"), condition.raw("Value"))
        if isinstance(condition, Props)
        else None,
    )


def event_bus_policy(res: CfnResource) -> Iterable[Resource]:
    props = res.props
    bus = props.link("EventBusName")
    target = bus.value if isinstance(bus, Known) else "default"
    statement = props.raw("Statement")
    document = {"Statement": [statement]} if statement is not None else _legacy_bus_statement(props)
    yield ResourcePolicy(
        **res.identity(),
        service=PolicyService.EVENTS,
        targets=(target,),
        document=policy_document(document, ()),
    )


EXTRACTORS: dict[str, Extractor] = {
    "AWS::SQS::Queue": queue,
    "AWS::SQS::QueuePolicy": queue_policy,
    "AWS::SQS::QueueInlinePolicy": queue_policy,
    "AWS::SNS::Topic": topic,
    "AWS::SNS::TopicPolicy": topic_policy,
    "AWS::SNS::TopicInlinePolicy": topic_policy,
    "AWS::Events::EventBus": event_bus,
    "AWS::Events::EventBusPolicy": event_bus_policy,
}
