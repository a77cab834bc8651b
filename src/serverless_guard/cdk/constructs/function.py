"""SecureFunction: a Lambda function with its own role, log group, key and dead-letter queue."""

from __future__ import annotations

from typing import Unpack

import jsii
from aws_cdk import Token
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from serverless_guard.catalog.checks.literal_secrets import secret_kind
from serverless_guard.catalog.checks.runtimes import RUNTIME_DEPRECATIONS, RuntimeParams
from serverless_guard.cdk.constructs._children import dead_letter_queue, new_key, retained_log_group
from serverless_guard.cdk.constructs._props import FunctionKwargs
from serverless_guard.cdk.constructs._shared import (
    DEFAULT_LOG_RETENTION,
    retention_problem,
    warn,
)
from serverless_guard.cdk.constructs.role import LeastPrivilegeRole

# What a function in a VPC needs to manage its network interfaces (these actions take no
# narrower resource in practice; the catalog allows them on `*`).
VPC_ACTIONS = (
    "ec2:CreateNetworkInterface",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeSubnets",
    "ec2:DeleteNetworkInterface",
    "ec2:AssignPrivateIpAddresses",
    "ec2:UnassignPrivateIpAddresses",
)
_FAILURE_TARGETS = ("dead_letter_queue", "dead_letter_topic", "on_failure")


@jsii.implements(iam.IGrantable)
class SecureFunction(Construct):
    """`lambda_.Function` that passes every rule of the catalog by default.

    Takes the keyword arguments of `lambda_.Function`. Defaults, each overridable with the same
    keyword (an override that breaks a rule warns and names it):

    - `role`: a LeastPrivilegeRole of its own (`.role`) with no managed policy: the function
      may write to its log group, send to its dead-letter queue, and trace; nothing else until
      you grant it (`bucket.grant_read(fn)`: the construct is grantable). `initial_policy`
      statements are checked with the IAM rules.
    - `log_group`: a log group of its own (`.log_group`), encrypted with `.key`, keeping logs
      365 days (`log_retention=` sets its retention: no log-retention custom resource).
    - `environment_encryption`: a SecureKey of its own (`.key`), which also encrypts the log
      group and the dead-letter queue. Pass a `kms.Key` to share one key between functions.
    - `tracing`: ACTIVE.
    - `dead_letter_queue`: a KMS-encrypted, TLS-only queue (`.dead_letter_queue`), unless a
      dead-letter topic or an `on_failure` destination is given.

    Warnings also name a runtime that AWS has deprecated and environment values that look
    like literal secrets. The function is `.function`.
    """

    def __init__(self, scope: Construct, id: str, **props: Unpack[FunctionKwargs]) -> None:
        super().__init__(scope, id)
        given_key = props.get("environment_encryption")
        self.key: kms.IKey = given_key if isinstance(given_key, kms.Key) else new_key(self)

        # Secure defaults, then the user's keyword arguments.
        merged: FunctionKwargs = {
            "tracing": lambda_.Tracing.ACTIVE,
            "environment_encryption": self.key,
            **props,
        }

        # Enforced: retention goes to a log group of the function's own.
        retention = merged.pop("log_retention", None)
        merged.pop("log_retention_role", None)
        merged.pop("log_retention_retry_options", None)
        if merged.get("log_group") is None:
            merged["log_group"] = retained_log_group(
                self, "LogGroup", self.key, retention or DEFAULT_LOG_RETENTION
            )
        elif retention is not None:
            raise ValueError(f"{self.node.path}: pass either log_group or log_retention")

        # Enforced: a role of its own, whose statements are checked.
        helper: LeastPrivilegeRole | None = None
        role = merged.get("role")
        if role is None:
            helper = LeastPrivilegeRole(
                self, "ServiceRole", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com")
            )
            role = merged["role"] = helper.role
            for statement in merged.pop("initial_policy", None) or ():
                helper.add_to_policy(statement)
            if merged.get("vpc") is not None:
                helper.add_to_policy(
                    iam.PolicyStatement(actions=list(VPC_ACTIONS), resources=["*"])
                )

        self.dead_letter_queue: sqs.IQueue | None = merged.get("dead_letter_queue")
        wants_queue = merged.get("dead_letter_queue_enabled") is not False and not any(
            merged.get(name) is not None for name in _FAILURE_TARGETS
        )
        if wants_queue:
            self.dead_letter_queue = dead_letter_queue(
                self, "DeadLetterQueue", self.key, fifo=False
            )
            merged["dead_letter_queue"] = self.dead_letter_queue

        self._warn_weakened(merged, retention)
        self.function = lambda_.Function(self, "Default", **merged)
        self.role: iam.IRole = role
        self.log_group = self.function.log_group
        self.log_group.grant_write(self.role)
        if self.dead_letter_queue is not None:
            self.dead_letter_queue.grant_send_messages(self.role)
        self._role_helper = helper

    @property
    def grant_principal(self) -> iam.IPrincipal:
        return self.function.grant_principal

    def add_to_role_policy(self, statement: iam.PolicyStatement) -> None:
        """Add a statement to the function's role (checked with the IAM rules when the role is
        the function's own)."""
        if self._role_helper is not None:
            self._role_helper.add_to_policy(statement)
        else:
            self.function.add_to_role_policy(statement)

    def _warn_weakened(self, merged: FunctionKwargs, retention: logs.RetentionDays | None) -> None:
        if merged.get("tracing") is not lambda_.Tracing.ACTIVE:
            warn(self, "lambda-tracing-active", "tracing is not ACTIVE")
        if retention is not None:
            problem = retention_problem(retention)
            if problem:
                for rule_id in ("logs-retention-set", "lambda-log-retention"):
                    warn(self, rule_id, f"log_retention {retention.name} {problem}")
        if merged.get("dead_letter_queue_enabled") is False and not any(
            merged.get(name) is not None for name in _FAILURE_TARGETS
        ):
            warn(
                self,
                "lambda-async-failure-handling",
                "dead_letter_queue_enabled is False and no on_failure destination is set",
            )
        environment = merged.get("environment") or {}
        if environment and merged.get("environment_encryption") is None:
            warn(self, "lambda-env-encrypted", "environment_encryption is None")
        for name, value in environment.items():
            kind = None if Token.is_unresolved(value) else secret_kind(name, value)
            if kind is not None:
                warn(self, "lambda-env-no-secrets", f"environment variable {name}: {kind}")
        runtime = merged["runtime"].name.lower()
        deprecated_on = RUNTIME_DEPRECATIONS.get(runtime)
        if deprecated_on is not None and deprecated_on <= RuntimeParams().date:
            warn(
                self,
                "lambda-runtime-supported",
                f"runtime {runtime} was deprecated by AWS on {deprecated_on.isoformat()}",
            )
