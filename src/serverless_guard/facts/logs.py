"""CloudWatch Logs facts."""

from __future__ import annotations

from dataclasses import dataclass, field

from serverless_guard.facts.base import Resource
from serverless_guard.facts.value import Absent, Value


@dataclass(frozen=True, slots=True, kw_only=True)
class LogGroup(Resource):
    """A log group, or a retention setting for one (CDK's `Custom::LogRetention`).
    `log_group_name` is rendered (see `facts.nodes`)."""

    log_group_name: Value[str] = field(default_factory=Absent)
    retention_days: Value[int] = field(default_factory=Absent)
    kms_key: Value[str] = field(default_factory=Absent)
    retention_only: bool = False
