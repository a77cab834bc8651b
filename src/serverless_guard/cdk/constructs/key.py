"""SecureKey: a KMS key that rotates its material, and may encrypt CloudWatch log groups."""

from __future__ import annotations

from typing import cast

from aws_cdk import ArnFormat, Aws, Fn, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import Construct, Node

from serverless_guard.cdk.constructs._policy_check import check_resource_policies
from serverless_guard.cdk.constructs._shared import warn, warn_unknown
from serverless_guard.cdk.constructs._signature import init_l2, same_arguments_as

LOGS_ACTIONS = (
    "kms:Encrypt",
    "kms:Decrypt",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
    "kms:GenerateDataKey",
    "kms:GenerateDataKeyWithoutPlaintext",
    "kms:DescribeKey",
)
LOGS_SID = "AllowCloudWatchLogsOfThisAccountAndRegion"


def allow_cloudwatch_logs(key: kms.Key) -> None:
    """Let CloudWatch Logs use `key` for the log groups of the key's account and region (the key
    policy statement that a log group's `KmsKeyId` needs). Adding it twice changes nothing."""
    stack = Stack.of(key)
    log_groups = stack.format_arn(
        service="logs",
        resource="log-group",
        resource_name="*",
        arn_format=ArnFormat.COLON_RESOURCE_NAME,
    )
    key.add_to_resource_policy(
        iam.PolicyStatement(
            sid=LOGS_SID,
            principals=[iam.ServicePrincipal(f"logs.{stack.region}.amazonaws.com")],
            actions=list(LOGS_ACTIONS),
            resources=["*"],
            conditions={"ArnLike": {"kms:EncryptionContext:aws:logs:arn": log_groups}},
        )
    )


def account_key_policy() -> iam.PolicyDocument:
    """AWS's default key policy: the account administers the key through its IAM policies. The
    account is written `${AWS::AccountId}` in every stack: in a stack with an explicit
    environment the CDK writes its literal id, which no scan can tell from another account's
    (resource-policy-no-wildcard-actions)."""
    root = Fn.join("", ["arn:", Aws.PARTITION, ":iam::", Aws.ACCOUNT_ID, ":root"])
    return iam.PolicyDocument(
        statements=[
            iam.PolicyStatement(
                actions=["kms:*"], principals=[iam.ArnPrincipal(root)], resources=["*"]
            )
        ]
    )


class SecureKey(kms.Key):
    """`kms.Key` with automatic rotation of its key material (kms-key-rotation).

    Takes the arguments of `kms.Key`. Defaults: `enable_key_rotation=True` for symmetric keys
    (asymmetric and HMAC keys cannot rotate), and `policy`, AWS's default key policy with the
    account written `${AWS::AccountId}` (`account_key_policy`). `enable_key_rotation=False` on
    a symmetric key warns, and so does a statement of its key policy (`add_to_resource_policy`,
    grants) that a resource policy rule fails on. It is a `kms.Key`: grant with its methods
    (`key.grant_decrypt(fn)`).
    """

    @same_arguments_as(kms.Key.__init__)
    def __init__(self, scope: Construct, id: str, **props: object) -> None:
        symmetric = props.get("key_spec") in (None, kms.KeySpec.SYMMETRIC_DEFAULT)
        merged: dict[str, object] = {"enable_key_rotation": True} if symmetric else {}
        merged["policy"] = account_key_policy()
        merged.update(props)
        init_l2(super().__init__, scope, id, merged)
        check_resource_policies(self)
        if symmetric and not merged.get("enable_key_rotation"):
            warn(self, "kms-key-rotation", "enable_key_rotation is off on a symmetric key")

    def allow_cloudwatch_logs(self) -> None:
        """Let CloudWatch Logs encrypt this account's and region's log groups with the key."""
        allow_cloudwatch_logs(self)


def key_argument(value: object) -> kms.IKey | None:
    """A key argument as the user gave it, to pass on to a helper (a log group, a dead-letter
    queue): jsii checks that it is a key where it is passed."""
    return None if value is None else cast("kms.IKey", value)


def check_rotation(scope: Construct, key: object) -> None:
    """Warn on `scope` when a key it was given does not rotate, or may not: a symmetric key of
    this app with rotation off, an imported key (whose rotation cannot be known at synth)."""
    if isinstance(key, kms.Alias):
        key = key.alias_target_key
    if isinstance(key, kms.Key):
        resource = key.node.default_child
        if not isinstance(resource, kms.CfnKey):
            return
        symmetric = resource.key_spec in (None, kms.KeySpec.SYMMETRIC_DEFAULT.value)
        if symmetric and resource.enable_key_rotation in (None, False):
            warn(scope, "kms-key-rotation", f"the key {key.node.path} does not rotate")
        return
    node = getattr(key, "node", None)
    if isinstance(node, Node):
        warn_unknown(scope, "kms-key-rotation", f"the key {node.path} is imported")
