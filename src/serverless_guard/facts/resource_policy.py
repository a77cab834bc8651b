"""Resource-based policies of S3 buckets, SQS queues, SNS topics, EventBridge buses, KMS keys,
Secrets Manager secrets and Lambda layer versions."""

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
    KMS = "kms"
    SECRETSMANAGER = "secretsmanager"
    LAMBDA_LAYER = "lambda"


@dataclass(frozen=True, slots=True, kw_only=True)
class ResourcePolicy(Resource):
    """A policy attached to one or more resources; `targets` are links to them. The service's
    value is the prefix of its actions (`lambda` for a layer version's permissions, which are
    statements of the layer version's policy given by their parts)."""

    service: PolicyService
    targets: tuple[str, ...]
    document: Value[PolicyDocument] = field(default_factory=Absent)
