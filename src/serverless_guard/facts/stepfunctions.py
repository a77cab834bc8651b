"""Step Functions facts."""

from __future__ import annotations

from dataclasses import dataclass, field

from serverless_guard.facts.base import Resource
from serverless_guard.facts.value import Absent, Value


@dataclass(frozen=True, slots=True, kw_only=True)
class StateMachine(Resource):
    logging_level: Value[str] = field(default_factory=Absent)
    log_destinations: Value[tuple[str, ...]] = field(default_factory=Absent)
    tracing: Value[bool] = field(default_factory=Absent)
