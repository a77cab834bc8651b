"""SecureStateMachine: a Step Functions state machine that logs and traces its executions."""

from __future__ import annotations

from typing import Unpack, cast

import pulumi
import pulumi_aws as aws

from serverless_guard.pulumi.components._base import SecureComponent, Where, given
from serverless_guard.pulumi.components._children import log_group
from serverless_guard.pulumi.components._documents import allow, document, service_trust
from serverless_guard.pulumi.components._grants import GranteeLike, grant
from serverless_guard.pulumi.components._inputs import LATER
from serverless_guard.pulumi.components._wrapped import StateMachineKwargs, StateMachineOutputs
from serverless_guard.pulumi.components.key import KeyLike, key_for
from serverless_guard.pulumi.components.role import LeastPrivilegeRole

STATES = "states.amazonaws.com"
# Vended log delivery to CloudWatch Logs and X-Ray tracing: these actions take no narrower
# resource (the catalog allows the write ones on `*`).
LOG_DELIVERY_ACTIONS = (
    "logs:CreateLogDelivery",
    "logs:GetLogDelivery",
    "logs:UpdateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:ListLogDeliveries",
    "logs:PutResourcePolicy",
    "logs:DescribeResourcePolicies",
    "logs:DescribeLogGroups",
)
TRACE_ACTIONS = (
    "xray:PutTraceSegments",
    "xray:PutTelemetryRecords",
    "xray:GetSamplingRules",
    "xray:GetSamplingTargets",
)


def states_trust(where: Where) -> dict[str, object]:
    """Step Functions may assume the role for this account's state machines only."""
    return service_trust(STATES, where, where.arn("states", "stateMachine:*"))


def states_policy(where: Where) -> dict[str, object]:
    return document([allow(LOG_DELIVERY_ACTIONS, ["*"]), allow(TRACE_ACTIONS, ["*"])])


class SecureStateMachine(StateMachineOutputs, SecureComponent):
    """`aws.sfn.StateMachine` that passes every rule of the catalog by default.

    Takes the arguments of `aws.sfn.StateMachine` (`definition`; `role_arn` becomes optional),
    plus `kms_key` (a SecureKey or an `aws.kms.Key`). Defaults:

    - `role_arn`: a LeastPrivilegeRole of its own (`.execution_role`), trusted by Step
      Functions for this account's state machines only, allowed to deliver logs and traces
      and nothing else until you grant it (`fn.grant_invoke(machine)`).
    - `logging_configuration`: level ERROR without execution data (inputs and outputs may hold
      personal data), to a log group of its own (`.log_group`, encrypted with the key, keeping
      logs 365 days).
    - `tracing_configuration`: enabled.

    Logging off (`logging_configuration=None`, level OFF or FATAL) or tracing off warns. The
    state machine is `.state_machine`; its outputs (`arn`, `name`...) are the component's.
    `grant_start_execution(grantee)` lets a role start executions.
    """

    def __init__(
        self,
        resource_name: str,
        args: aws.sfn.StateMachineArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        *,
        kms_key: KeyLike | None = None,
        **kwargs: Unpack[StateMachineKwargs],
    ) -> None:
        super().__init__("SecureStateMachine", resource_name, opts)
        values = cast(StateMachineKwargs, given(args, kwargs))
        merged: StateMachineKwargs = {"tracing_configuration": {"enabled": True}}
        checked: dict[str, object] = {}
        links: dict[str, str] = {}
        self.key: KeyLike | None = None
        self.log_group: aws.cloudwatch.LogGroup | None = None
        if "logging_configuration" not in values:
            self.key = key_for(self, kms_key)
            group_name = f"{resource_name}-logs"
            self.log_group = log_group(self, group_name, self.key.arn)
            merged["logging_configuration"] = {
                "level": "ERROR",
                "include_execution_data": False,
                "log_destination": self.log_group.arn.apply(lambda arn: f"{arn}:*"),
            }
            checked["logging_configuration"] = {
                "level": "ERROR",
                "include_execution_data": False,
                "log_destination": LATER,
            }
            links["logging_configuration"] = group_name

        self.execution_role: LeastPrivilegeRole | None = None
        depends_on: list[pulumi.Resource] = []
        if "role_arn" not in values:
            role_name = f"{resource_name}-role"
            trust = self.render(states_trust)
            policy = self.render(states_policy)
            self.execution_role = LeastPrivilegeRole(
                role_name, assume_role_policy=trust.value, opts=self.child()
            )
            depends_on.append(
                self.execution_role.add_policy("policy", policy.value, check=policy.check)
            )
            merged["role_arn"] = self.execution_role.arn
            self.plan.add(aws.iam.Role, role_name, {"assume_role_policy": trust.check})
            checked["role_arn"], links["role_arn"] = LATER, role_name
        merged.update(values)
        for key in values:
            checked.pop(key, None)
            links.pop(key, None)
        self.state_machine = self.resource = aws.sfn.StateMachine(
            resource_name, opts=self.wrapped(depends_on=depends_on), **merged
        )
        self._wrapped = self.state_machine
        self.plan.add(aws.sfn.StateMachine, resource_name, {**merged, **checked}, links=links)
        self.plan.check()
        self.register_outputs({"arn": self.state_machine.arn, "name": self.state_machine.name})

    @property
    def grant_role_name(self) -> pulumi.Input[str]:
        """The name of the state machine's role (what grants attach their policy to)."""
        if self.execution_role is not None:
            return self.execution_role.name
        return self.state_machine.role_arn.apply(lambda arn: arn.rsplit("/", 1)[-1])

    def grant_start_execution(self, grantee: GranteeLike) -> aws.iam.RolePolicy:
        """Let the grantee start executions of the state machine."""
        return grant(
            self, "start-execution", grantee, ["states:StartExecution"], [self.state_machine.arn]
        )
