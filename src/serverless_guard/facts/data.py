"""Data-store facts: DynamoDB tables, Kinesis streams, Secrets Manager secrets, KMS keys."""

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
class Key(Resource):
    """A KMS key; `origin` is where its key material comes from (AWS_KMS when absent)."""

    rotation_enabled: Value[bool] = field(default_factory=Absent)
    key_spec: Value[str] = field(default_factory=Absent)
    origin: Value[str] = field(default_factory=Absent)
