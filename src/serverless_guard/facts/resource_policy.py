"""Resource-based policies of S3 buckets, SQS queues, SNS topics and EventBridge buses."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from serverless_guard.facts.base import Resource
from serverless_guard.facts.policy import PolicyDocument
from serverless_guard.facts.value import Absent, Value


class PolicyService(StrEnum):
    S3 = "s3"
    SQS = "sqs"
    SNS = "sns"
    EVENTS = "events"


@dataclass(frozen=True, slots=True, kw_only=True)
class ResourcePolicy(Resource):
    """A policy attached to one or more resources; `targets` are links to them."""

    service: PolicyService
    targets: tuple[str, ...]
    document: Value[PolicyDocument] = field(default_factory=Absent)
