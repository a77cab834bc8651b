"""Lambda facts: functions, their URLs, permissions and asynchronous invoke configuration."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from serverless_guard.facts.base import Resource
from serverless_guard.facts.policy import Condition
from serverless_guard.facts.value import Absent, Value


@dataclass(frozen=True, slots=True, kw_only=True)
class Function(Resource):
    """A function. `environment` maps variable names to rendered values (references read
    `${Id}`, deployment-time parts `${?what}`). `log_group` is the rendered name of the log
    group the function writes to: its LoggingConfig log group, or `/aws/lambda/<name>`."""

    runtime: Value[str] = field(default_factory=Absent)
    package_type: Value[str] = field(default_factory=Absent)
    environment: Value[Mapping[str, str]] = field(default_factory=Absent)
    kms_key: Value[str] = field(default_factory=Absent)
    tracing_mode: Value[str] = field(default_factory=Absent)
    dead_letter_target: Value[str] = field(default_factory=Absent)
    role: Value[str] = field(default_factory=Absent)
    log_group: Value[str] = field(default_factory=Absent)
    reserved_concurrency: Value[int] = field(default_factory=Absent)
    vpc_subnets: Value[tuple[str, ...]] = field(default_factory=Absent)


@dataclass(frozen=True, slots=True, kw_only=True)
class FunctionUrl(Resource):
    function: str
    auth_type: Value[str] = field(default_factory=Absent)


@dataclass(frozen=True, slots=True, kw_only=True)
class Permission(Resource):
    """A statement of a function's resource policy. `source_arn`, `source_account`,
    `principal_org_id` and `event_source_token` (an Alexa skill's) scope it as the conditions
    Lambda writes for them; `conditions` are the statement's own conditions when it comes from
    a whole resource policy. `function_url_auth_type` is set on permissions for a function
    URL."""

    function: str
    action: Value[str] = field(default_factory=Absent)
    principal: Value[str] = field(default_factory=Absent)
    source_arn: Value[str] = field(default_factory=Absent)
    source_account: Value[str] = field(default_factory=Absent)
    principal_org_id: Value[str] = field(default_factory=Absent)
    function_url_auth_type: Value[str] = field(default_factory=Absent)
    event_source_token: Value[str] = field(default_factory=Absent)
    conditions: tuple[Condition, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class EventInvokeConfig(Resource):
    """Asynchronous invocation settings of a function."""

    function: str
    on_failure: Value[str] = field(default_factory=Absent)
