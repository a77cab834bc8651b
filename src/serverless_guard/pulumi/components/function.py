"""SecureFunction: a Lambda function with its own role, log group, key and dead-letter queue."""

from __future__ import annotations

from typing import Unpack, cast

import pulumi
import pulumi_aws as aws

from serverless_guard.pulumi.components._base import (
    STAND_IN,
    SecureComponent,
    Where,
    field_of,
    given,
)
from serverless_guard.pulumi.components._children import (
    dead_letter_queue,
    log_group,
    log_group_arn,
)
from serverless_guard.pulumi.components._documents import allow, document, service_trust
from serverless_guard.pulumi.components._grants import GranteeLike, grant
from serverless_guard.pulumi.components._inputs import LATER, known
from serverless_guard.pulumi.components._wrapped import FunctionKwargs, FunctionOutputs
from serverless_guard.pulumi.components.key import KeyLike, key_for
from serverless_guard.pulumi.components.role import LeastPrivilegeRole
from serverless_guard.secure_defaults import VPC_ACTIONS

LAMBDA = "lambda.amazonaws.com"
LOG_ACTIONS = ("logs:CreateLogStream", "logs:PutLogEvents")
TRACE_ACTIONS = ("xray:PutTraceSegments", "xray:PutTelemetryRecords")
STAND_IN_KEY = STAND_IN.arn("kms", "key/00000000-0000-0000-0000-000000000000")


def execution_policy(
    where: Where,
    log_group_name: str,
    dead_letter: tuple[str, str] | None,
    environment_key: str | None,
    tracing: bool,
    vpc: bool,
) -> dict[str, object]:
    """What the function itself needs: write to its log group, send to its dead-letter queue
    (`dead_letter`: the queue's ARN and its key's), decrypt its environment, trace, and manage
    its network interfaces in a VPC."""
    statements = [allow(LOG_ACTIONS, [log_group_arn(where, log_group_name)])]
    if dead_letter is not None:
        queue, key = dead_letter
        statements.append(allow(["sqs:SendMessage"], [queue]))
        statements.append(allow(["kms:GenerateDataKey", "kms:Decrypt"], [key]))
    if environment_key is not None and (dead_letter is None or environment_key != dead_letter[1]):
        statements.append(allow(["kms:Decrypt"], [environment_key]))
    if tracing:
        statements.append(allow(TRACE_ACTIONS, ["*"]))
    if vpc:
        statements.append(allow(VPC_ACTIONS, ["*"]))
    return document(statements)


class SecureFunction(FunctionOutputs, SecureComponent):
    """`aws.lambda_.Function` that passes every rule of the catalog by default.

    Takes the arguments of `aws.lambda_.Function`, plus `kms_key` (a SecureKey or an
    `aws.kms.Key`). Defaults, each replaced by the same argument given (one that breaks a rule
    warns and names it):

    - `role`: a LeastPrivilegeRole of its own (`.execution_role`), trusted by Lambda for this
      account only. Its one inline policy (`.execution_policy`) lets the function write to
      its log group, send to its dead-letter queue, use its keys, trace (and manage network
      interfaces when `vpc_config` is given); nothing else until you grant it
      (`table.grant_read(fn)`). A `role` given gets that inline policy too.
    - `kms_key_arn`: a customer-managed key (`.key`: `kms_key`, else the program's
      `shared_key`, else a SecureKey of its own), which also encrypts the log group and the
      dead-letter queue (they keep it when `kms_key_arn` names another key).
    - its log group `/aws/lambda/<function name>` (`.log_group`), encrypted, keeping logs 365
      days; none when `logging_config` names a log group of your own.
    - `tracing_config`: Active.
    - `dead_letter_config`: a queue of its own (`.dead_letter_queue`), encrypted, TLS-only.

    Warnings also name a runtime AWS has deprecated and environment values that look like
    literal secrets. The function is `.function`; its outputs (`arn`, `name`, `invoke_arn`,
    `qualified_arn`...) are the component's. `grant_invoke(grantee)` lets a role invoke it.
    """

    def __init__(
        self,
        resource_name: str,
        args: aws.lambda_.FunctionArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        *,
        kms_key: KeyLike | None = None,
        **kwargs: Unpack[FunctionKwargs],
    ) -> None:
        super().__init__("SecureFunction", resource_name, opts)
        values = cast(FunctionKwargs, given(args, kwargs))
        self.key: KeyLike = key_for(self, kms_key)
        merged: FunctionKwargs = {"tracing_config": {"mode": "Active"}, "kms_key_arn": self.key.arn}
        self.dead_letter_queue: aws.sqs.Queue | None = None
        if "dead_letter_config" not in values:
            self.dead_letter_queue = dead_letter_queue(self, f"{resource_name}-dlq", self.key.arn)
            merged["dead_letter_config"] = {"target_arn": self.dead_letter_queue.arn}
        merged.update(values)

        name = merged.get("name")
        own_group = field_of(merged.get("logging_config"), "log_group")
        self.log_group: aws.cloudwatch.LogGroup | None = None
        if own_group is None and isinstance(name, str):  # the log group first, then its function
            self.log_group = log_group(
                self, f"{resource_name}-logs", self.key.arn, group_name=f"/aws/lambda/{name}"
            )

        self.execution_role: LeastPrivilegeRole | None = None
        trust = self.render(lambda where: service_trust(LAMBDA, where))
        if "role" not in values:
            self.execution_role = LeastPrivilegeRole(
                f"{resource_name}-role", assume_role_policy=trust.value, opts=self.child()
            )
            merged["role"] = self.execution_role.arn
        depends_on: list[pulumi.Resource] = [self.log_group] if self.log_group else []
        self.function = self.resource = aws.lambda_.Function(
            resource_name, opts=self.wrapped(depends_on=depends_on), **merged
        )
        self._wrapped = self.function
        if own_group is None and self.log_group is None:  # named by Pulumi: after the function
            self.log_group = log_group(
                self,
                f"{resource_name}-logs",
                self.key.arn,
                group_name=self.function.name.apply(lambda n: f"/aws/lambda/{n}"),
                named_after=resource_name,
            )

        checked: dict[str, object] = {**merged}
        links: dict[str, str] = {}
        if self.dead_letter_queue is not None:
            dlq_arn = STAND_IN.arn("sqs", self.plan.stand_in(f"{resource_name}-dlq"))
            checked["dead_letter_config"] = {"target_arn": dlq_arn}
        role_name = f"{resource_name}-role"
        if self.execution_role is not None:
            self.plan.add(aws.iam.Role, role_name, {"assume_role_policy": trust.check})
            checked["role"], links["role"] = LATER, role_name
        self._execution_policy(role_name, merged, own_group, "kms_key_arn" not in values)
        if own_group is not None:  # a log group of the user's: the policy pack judges it
            logging = {**_fields(merged.get("logging_config")), "log_group": LATER}
            checked["logging_config"] = logging
        self.plan.add(aws.lambda_.Function, resource_name, checked, links=links)
        self.plan.check()
        self.register_outputs({"arn": self.function.arn, "name": self.function.name})

    def _execution_policy(
        self, role_name: str, merged: FunctionKwargs, own_group: object, own_key: bool
    ) -> None:
        """The inline policy of what the function itself uses, on its role (its own, or the one
        given), and its record for the check."""
        group: object = self.log_group.name if self.log_group is not None else own_group
        stand_in_group = f"/aws/lambda/{merged.get('name') or self.plan.stand_in('function')}"
        if isinstance(own_group, str):
            stand_in_group = own_group
        dlq = self.dead_letter_queue
        dead_letter = (dlq.arn, self.key.arn) if dlq else None
        stand_in_dead_letter = (STAND_IN.arn("sqs", "dlq"), STAND_IN_KEY) if dlq else None
        env_key = merged.get("kms_key_arn")
        stand_in_env_key = STAND_IN_KEY if own_key else env_key
        tracing = field_of(merged.get("tracing_config"), "mode") != "PassThrough"
        vpc = merged.get("vpc_config") is not None
        policy = self.render(
            lambda where, group, queue_and_key, key: execution_policy(
                where, group, tuple(queue_and_key) if queue_and_key else None, key, tracing, vpc
            ),
            (group, stand_in_group),
            (dead_letter, stand_in_dead_letter),
            (env_key, stand_in_env_key),
        )
        if self.execution_role is not None:
            self.execution_policy = self.execution_role.add_policy(
                "policy", policy.value, check=policy.check
            )
            self.plan.add(
                aws.iam.RolePolicy,
                f"{role_name}-policy",
                {"role": LATER, "policy": policy.check},
                links={"role": role_name},
            )
            return
        name = f"{self.pulumi_resource_name}-execution"
        self.execution_policy = aws.iam.RolePolicy(
            name, role=self.grant_role_name, policy=policy.value, opts=self.child()
        )
        self.plan.add(aws.iam.RolePolicy, name, {"role": LATER, "policy": policy.check})

    @property
    def grant_role_name(self) -> pulumi.Input[str]:
        """The name of the function's execution role (what grants attach their policy to)."""
        if self.execution_role is not None:
            return self.execution_role.name
        return self.function.role.apply(lambda arn: arn.rsplit("/", 1)[-1])

    def grant_invoke(self, grantee: GranteeLike) -> aws.iam.RolePolicy:
        """Let the grantee invoke the function (and its versions and aliases)."""
        arns = [self.function.arn, self.function.arn.apply(lambda arn: f"{arn}:*")]
        return grant(self, "invoke", grantee, ["lambda:InvokeFunction"], arns)


def _fields(block: object) -> dict[str, object]:
    """A nested argument (a dict or an `...Args` object) as a dict of its fields."""
    if block is None or not known(block):
        return {}
    if isinstance(block, dict):
        return dict(block)
    return {k: v for k, v in vars(block).items() if v is not None}


Handler = SecureFunction | aws.lambda_.Function
"""A function API routes invoke: a SecureFunction, or any `aws.lambda_.Function`."""
