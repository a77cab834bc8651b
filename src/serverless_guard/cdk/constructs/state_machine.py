"""SecureStateMachine: a Step Functions state machine that logs and traces its executions."""

from __future__ import annotations

from collections.abc import Mapping

from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from serverless_guard.cdk.constructs._children import record_helpers, retained_log_group
from serverless_guard.cdk.constructs._shared import as_struct, layered, warn
from serverless_guard.cdk.constructs._signature import init_l2, same_arguments_as
from serverless_guard.cdk.constructs.defaults import default_key

_LOGGED = (sfn.LogLevel.ALL, sfn.LogLevel.ERROR)


class SecureStateMachine(sfn.StateMachine):
    """`sfn.StateMachine` that passes every rule of the catalog by default.

    Takes the arguments of `sfn.StateMachine`. Defaults: `tracing_enabled=True`, and `logs` at
    level ERROR without execution data (inputs and outputs may hold personal data) to a log
    group beside it (`<id>LogGroup`, `.log_group`: encrypted with the stack's shared key,
    `.key`, and kept 365 days). A `logs=LogOptions(...)` given is layered field by field over
    these defaults (so `LogOptions(level=ALL)` still gets the log group; `.log_group` is None
    when you give a destination). Logging off (`logs=None`, level OFF or FATAL) or
    `tracing_enabled=False` warns. It is an `sfn.StateMachine`: `machine.grant_start_execution
    (role)`, `fn.grant_invoke(machine)` work unchanged.
    """

    @same_arguments_as(sfn.StateMachine.__init__)
    def __init__(self, scope: Construct, id: str, **props: object) -> None:
        merged: dict[str, object] = {"tracing_enabled": True, **props}
        key: kms.IKey | None = None
        log_group: logs.LogGroup | None = None
        given = as_struct(sfn.LogOptions, props.get("logs"))
        if "logs" not in props or given is not None:
            defaults: dict[str, object] = {
                "level": sfn.LogLevel.ERROR,
                "include_execution_data": False,
            }
            if given is None or given.destination is None:
                key = default_key(scope)
                log_group = retained_log_group(scope, f"{id}LogGroup", key)
                defaults["destination"] = log_group
            merged["logs"] = layered(sfn.LogOptions, defaults, given)
        init_l2(super().__init__, scope, id, merged)
        self.key = key
        self.log_group = log_group
        record_helpers(self, log_group)
        self._warn_weakened(merged)

    def _warn_weakened(self, merged: Mapping[str, object]) -> None:
        options = merged.get("logs")
        if not isinstance(options, sfn.LogOptions):
            warn(self, "sfn-logging", "logs is None")
        elif options.level not in _LOGGED:
            level = options.level.name if options.level is not None else "None"
            warn(self, "sfn-logging", f"logs level {level} misses failed executions")
        if not merged.get("tracing_enabled"):
            warn(self, "sfn-tracing", "tracing_enabled is off")
