"""SecureKey: a KMS key that rotates its material, and may encrypt CloudWatch log groups."""

from __future__ import annotations

from typing import Unpack

from aws_cdk import ArnFormat, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import Construct

from serverless_guard.cdk.constructs._props import KeyKwargs
from serverless_guard.cdk.constructs._shared import warn

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


class SecureKey(Construct):
    """`kms.Key` with automatic rotation of its key material (kms-key-rotation).

    Takes the keyword arguments of `kms.Key`. Defaults: `enable_key_rotation=True` for
    symmetric keys (asymmetric and HMAC keys cannot rotate). `enable_key_rotation=False` on a
    symmetric key warns. The key is `.key`; grant with its methods (`secure.key.grant_decrypt`).
    """

    def __init__(self, scope: Construct, id: str, **props: Unpack[KeyKwargs]) -> None:
        super().__init__(scope, id)
        spec = props.get("key_spec")
        symmetric = spec is None or spec is kms.KeySpec.SYMMETRIC_DEFAULT
        merged: KeyKwargs = {"enable_key_rotation": True} if symmetric else {}
        merged.update(props)
        if symmetric and not merged.get("enable_key_rotation"):
            warn(self, "kms-key-rotation", "enable_key_rotation is off on a symmetric key")
        self.key = kms.Key(self, "Default", **merged)

    def allow_cloudwatch_logs(self) -> None:
        """Let CloudWatch Logs encrypt this account's and region's log groups with the key."""
        allow_cloudwatch_logs(self.key)
