"""SecureStateMachine: a Step Functions state machine that logs and traces its executions."""

from __future__ import annotations

from typing import Unpack

import jsii
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from serverless_guard.cdk.constructs._children import new_key, retained_log_group
from serverless_guard.cdk.constructs._props import StateMachineKwargs
from serverless_guard.cdk.constructs._shared import layered, warn

_LOGGED = (sfn.LogLevel.ALL, sfn.LogLevel.ERROR)


@jsii.implements(iam.IGrantable)
class SecureStateMachine(Construct):
    """`sfn.StateMachine` that passes every rule of the catalog by default.

    Takes the keyword arguments of `sfn.StateMachine`. Defaults: `tracing_enabled=True`, and
    `logs` at level ERROR without execution data (inputs and outputs may hold personal data)
    to a log group of its own (`.log_group`: encrypted with a SecureKey, `.key`, and kept 365
    days). A `logs=LogOptions(...)` given is layered field by field over these defaults (so
    `LogOptions(level=ALL)` still gets the log group; `.log_group` is None when you give a
    destination). Logging off (`logs=None`, level OFF or
    FATAL) or `tracing_enabled=False` warns. The state machine is `.state_machine`; the
    construct is grantable (`fn.function.grant_invoke(machine)`).
    """

    def __init__(self, scope: Construct, id: str, **props: Unpack[StateMachineKwargs]) -> None:
        super().__init__(scope, id)
        merged: StateMachineKwargs = {"tracing_enabled": True, **props}
        self.key: kms.IKey | None = None
        self.log_group: logs.ILogGroup | None = None
        given = props.get("logs")
        if "logs" not in props or given is not None:
            defaults: dict[str, object] = {
                "level": sfn.LogLevel.ERROR,
                "include_execution_data": False,
            }
            if given is None or given.destination is None:
                self.key = new_key(self)
                self.log_group = retained_log_group(self, "LogGroup", self.key)
                defaults["destination"] = self.log_group
            merged["logs"] = layered(sfn.LogOptions, defaults, given)
        self._warn_weakened(merged)
        self.state_machine = sfn.StateMachine(self, "Default", **merged)
        self.role = self.state_machine.role

    @property
    def grant_principal(self) -> iam.IPrincipal:
        return self.state_machine.grant_principal

    def _warn_weakened(self, merged: StateMachineKwargs) -> None:
        options = merged.get("logs")
        if options is None:
            warn(self, "sfn-logging", "logs is None")
        elif options.level not in _LOGGED:
            level = options.level.name if options.level is not None else "None"
            warn(self, "sfn-logging", f"logs level {level} misses failed executions")
        if not merged.get("tracing_enabled"):
            warn(self, "sfn-tracing", "tracing_enabled is off")
