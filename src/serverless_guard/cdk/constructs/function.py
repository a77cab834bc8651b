"""SecureFunction: a Lambda function with a least-privilege role, an encrypted log group that
keeps logs a year, tracing, and a dead-letter queue."""

from __future__ import annotations

from collections.abc import Mapping

import jsii
from aws_cdk import AspectPriority, Aspects, IStableAnyProducer, Lazy, Stack, Token
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from serverless_guard.catalog.checks.literal_secrets import secret_kind
from serverless_guard.catalog.checks.runtimes import RUNTIME_DEPRECATIONS, RuntimeParams
from serverless_guard.cdk.constructs._children import (
    dead_letter_queue,
    record_helpers,
    retained_log_group,
)
from serverless_guard.cdk.constructs._iam_check import RoleChecks
from serverless_guard.cdk.constructs._shared import (
    DEFAULT_LOG_RETENTION,
    retention_problem,
    warn,
)
from serverless_guard.cdk.constructs._signature import init_l2, same_arguments_as
from serverless_guard.cdk.constructs.defaults import default_key, default_queue_key
from serverless_guard.cdk.constructs.key import check_rotation, key_argument

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
# The managed policies the L2 gives the role it creates: both let the function write to every
# log group of the account (logs:CreateLogGroup, CreateLogStream, PutLogEvents on `*`).
EXECUTION_POLICIES = (
    "service-role/AWSLambdaBasicExecutionRole",
    "service-role/AWSLambdaVPCAccessExecutionRole",
)
_FAILURE_TARGETS = ("dead_letter_queue", "dead_letter_topic", "on_failure")
_RETENTION_ARGUMENTS = ("log_retention", "log_retention_role", "log_retention_retry_options")


class SecureFunction(lambda_.Function):
    """`lambda_.Function` that passes every rule of the catalog by default.

    Takes the arguments of `lambda_.Function`. Defaults, each overridable with the same keyword
    (an override that breaks a rule warns and names it):

    - `environment_encryption`: the stack's shared key (`SecureDefaults`; `.key`), which also
      encrypts the log group (a key given here encrypts the dead-letter queue too).
    - `log_group`: a log group beside it (`<id>LogGroup`, `.log_group`), encrypted with the key,
      keeping logs 365 days (`log_retention=` sets its retention: no log-retention custom
      resource).
    - `tracing`: ACTIVE.
    - `dead_letter_queue`: a TLS-only queue beside it (`<id>DeadLetterQueue`,
      `.dead_letter_queue`, encrypted with the stack's shared queue key), unless a dead-letter
      topic or an `on_failure` destination is given.
    - the role the L2 creates (`.role`) without its AWS managed execution policy (which may
      write to every log group of the account): the function may write to its log group, send
      to its dead-letter queue, and trace; nothing else until you grant it
      (`bucket.grant_read(fn)`). Its statements (`initial_policy`, `add_to_role_policy`) are
      checked with the IAM rules at synthesis.

    Warnings also name a runtime that AWS has deprecated and environment values that look
    like literal secrets. It is a `lambda_.Function`: `fn.add_event_source(...)`,
    `fn.add_environment(...)`, `apigateway.LambdaIntegration(fn)` work unchanged.
    """

    @same_arguments_as(lambda_.Function.__init__)
    def __init__(self, scope: Construct, id: str, **props: object) -> None:
        given_key = key_argument(props.get("environment_encryption"))
        key = given_key if given_key is not None else default_key(scope)
        merged: dict[str, object] = {
            "tracing": lambda_.Tracing.ACTIVE,
            "environment_encryption": key,
            **props,
        }

        # The log group: one of its own, unless one is given (the L2 refuses log_retention
        # beside log_group: that error is left to it).
        retention = merged.get("log_retention")
        own_log_group: logs.LogGroup | None = None
        if merged.get("log_group") is None and (
            retention is None or isinstance(retention, logs.RetentionDays)
        ):
            for name in _RETENTION_ARGUMENTS:
                merged.pop(name, None)
            # CloudWatch Logs needs a statement in the key policy: an imported key cannot get it.
            log_key = key if isinstance(key, kms.Key) else default_key(scope)
            own_log_group = retained_log_group(
                scope, f"{id}LogGroup", log_key, retention or DEFAULT_LOG_RETENTION
            )
            merged["log_group"] = own_log_group

        own_queue = None
        if merged.get("dead_letter_queue_enabled") is not False and not any(
            merged.get(name) is not None for name in _FAILURE_TARGETS
        ):
            queue_key = given_key if given_key is not None else default_queue_key(scope)
            own_queue = dead_letter_queue(scope, f"{id}DeadLetterQueue", queue_key, fifo=False)
            merged["dead_letter_queue"] = own_queue

        init_l2(super().__init__, scope, id, merged)
        self.key: kms.IKey = key
        record_helpers(self, own_log_group, own_queue)
        if props.get("role") is None:
            self._least_privilege_role(merged)
        if self.role is not None:
            self.log_group.grant_write(self.role)
            if self.dead_letter_queue is not None:
                self.dead_letter_queue.grant_send_messages(self.role)
        check_rotation(self, props.get("environment_encryption"))
        self._warn_weakened(merged, retention if own_log_group is not None else None)

    def _least_privilege_role(self, merged: Mapping[str, object]) -> None:
        """The role the L2 created, without the managed execution policies, checked at synth."""
        role = self.role
        if not isinstance(role, iam.Role):
            return
        resource = role.node.default_child
        if isinstance(resource, iam.CfnRole):
            resource.managed_policy_arns = Token.as_list(
                Lazy.any(_Without(role, resource.managed_policy_arns), omit_empty_array=True)
            )
        if merged.get("vpc") is not None:
            role.add_to_policy(iam.PolicyStatement(actions=list(VPC_ACTIONS), resources=["*"]))
        Aspects.of(role).add(RoleChecks(role), priority=AspectPriority.READONLY)

    def _warn_weakened(self, merged: Mapping[str, object], retention: object) -> None:
        if merged.get("tracing") is not lambda_.Tracing.ACTIVE:
            warn(self, "lambda-tracing-active", "tracing is not ACTIVE")
        if isinstance(retention, logs.RetentionDays):
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
        environment = merged.get("environment")
        environment = environment if isinstance(environment, Mapping) else {}
        if environment and merged.get("environment_encryption") is None:
            warn(self, "lambda-env-encrypted", "environment_encryption is None")
        for name, value in environment.items():
            literal = isinstance(value, str) and not Token.is_unresolved(value)
            kind = secret_kind(str(name), value) if literal else None
            if kind is not None:
                warn(self, "lambda-env-no-secrets", f"environment variable {name}: {kind}")
        runtime = self.runtime.name.lower()
        deprecated_on = RUNTIME_DEPRECATIONS.get(runtime)
        if deprecated_on is not None and deprecated_on <= RuntimeParams().date:
            warn(
                self,
                "lambda-runtime-supported",
                f"runtime {runtime} was deprecated by AWS on {deprecated_on.isoformat()}",
            )


@jsii.implements(IStableAnyProducer)
class _Without:
    """The managed policy ARNs of a role, without the execution policies."""

    def __init__(self, role: iam.Role, arns: object) -> None:
        self._stack = Stack.of(role)
        self._arns = arns

    def produce(self) -> object:
        unwanted = [
            self._stack.resolve(
                iam.ManagedPolicy.from_aws_managed_policy_name(name).managed_policy_arn
            )
            for name in EXECUTION_POLICIES
        ]
        kept = [arn for arn in self._stack.resolve(self._arns) or () if arn not in unwanted]
        return kept or None
