"""Data-store facts: DynamoDB tables, Kinesis streams, Secrets Manager secrets and their rotation
schedules, KMS keys."""

from __future__ import annotations

from dataclasses import dataclass, field

from serverless_guard.facts.base import Resource
from serverless_guard.facts.value import Absent, Value


@dataclass(frozen=True, slots=True, kw_only=True)
class Table(Resource):
    sse_enabled: Value[bool] = field(default_factory=Absent)
    sse_type: Value[str] = field(default_factory=Absent)
    kms_key: Value[str] = field(default_factory=Absent)
    point_in_time_recovery: Value[bool] = field(default_factory=Absent)


@dataclass(frozen=True, slots=True, kw_only=True)
class Stream(Resource):
    encryption_type: Value[str] = field(default_factory=Absent)
    kms_key: Value[str] = field(default_factory=Absent)


@dataclass(frozen=True, slots=True, kw_only=True)
class Secret(Resource):
    kms_key: Value[str] = field(default_factory=Absent)


@dataclass(frozen=True, slots=True, kw_only=True)
class SecretRotation(Resource):
    """A secret's rotation schedule, a resource of its own on every engine; `secret` links to
    the secret. `enabled` is False where the schedule turns rotation off (pulumi-aws
    `rotation_enabled`). Its rules give either a number of days between rotations
    (`automatically_after_days`) or a `rate(...)` or `cron(...)` expression
    (`schedule_expression`)."""

    secret: str
    enabled: Value[bool] = field(default_factory=Absent)
    automatically_after_days: Value[int] = field(default_factory=Absent)
    schedule_expression: Value[str] = field(default_factory=Absent)


@dataclass(frozen=True, slots=True, kw_only=True)
class Key(Resource):
    """A KMS key; `origin` is where its key material comes from (AWS_KMS when absent)."""

    rotation_enabled: Value[bool] = field(default_factory=Absent)
    key_spec: Value[str] = field(default_factory=Absent)
    origin: Value[str] = field(default_factory=Absent)
