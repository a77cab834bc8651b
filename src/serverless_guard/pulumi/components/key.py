"""SecureKey: a KMS key that rotates its material and that the account's log groups and event
buses may use; and the key a program's components share."""

from __future__ import annotations

from contextvars import ContextVar, Token
from types import TracebackType
from typing import Unpack, cast

import pulumi
import pulumi_aws as aws

from serverless_guard.pulumi.components._base import SecureComponent, Where, given
from serverless_guard.pulumi.components._grants import (
    KMS_DECRYPT,
    KMS_ENCRYPT_DECRYPT,
    GranteeLike,
    grant,
)
from serverless_guard.pulumi.components._wrapped import KeyKwargs, KeyOutputs
from serverless_guard.secure_defaults import LOGS_KMS_ACTIONS

SYMMETRIC = "SYMMETRIC_DEFAULT"
EVENTS_ACTIONS = ("kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey")
ACCOUNT_ACTIONS = (
    # administering the key
    "kms:Create*",
    "kms:Describe*",
    "kms:Enable*",
    "kms:List*",
    "kms:Put*",
    "kms:Update*",
    "kms:Revoke*",
    "kms:Disable*",
    "kms:Get*",
    "kms:Delete*",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:ScheduleKeyDeletion",
    "kms:CancelKeyDeletion",
    "kms:RotateKeyOnDemand",
    "kms:ReplicateKey",
    # using it, whatever its key spec
    "kms:Encrypt",
    "kms:Decrypt",
    "kms:ReEncrypt*",
    "kms:GenerateDataKey*",
    "kms:Sign",
    "kms:Verify",
    "kms:GenerateMac",
    "kms:VerifyMac",
    "kms:DeriveSharedSecret",
    "kms:RetireGrant",
)
"""What the account's IAM policies may grant on a SecureKey: the actions AWS's console key
policy gives key administrators and key users (for every key spec), replicating a multi-Region
key and retiring a grant. Not `kms:*`: a program
knows its account only as a literal id, which the policy pack cannot tell from another
account's (resource-policy-no-wildcard-actions), and an action AWS adds later is not granted
until it is named."""


def key_policy(where: Where) -> dict[str, object]:
    """The account administers and uses the key through its IAM policies (the AWS default, with
    the actions named); CloudWatch Logs may use it for log groups of this account and region
    only (by the encryption context it sends), and EventBridge for event buses of this account
    and region only (by source account and ARN)."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AccountAdministersTheKey",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:{where.partition}:iam::{where.account}:root"},
                "Action": list(ACCOUNT_ACTIONS),
                "Resource": "*",
            },
            {
                "Sid": "LogGroupsOfThisAccountAndRegion",
                "Effect": "Allow",
                "Principal": {"Service": f"logs.{where.region}.amazonaws.com"},
                "Action": list(LOGS_KMS_ACTIONS),
                "Resource": "*",
                "Condition": {
                    "ArnLike": {
                        "kms:EncryptionContext:aws:logs:arn": where.arn("logs", "log-group:*")
                    }
                },
            },
            {
                "Sid": "EventBusesOfThisAccountAndRegion",
                "Effect": "Allow",
                "Principal": {"Service": "events.amazonaws.com"},
                "Action": list(EVENTS_ACTIONS),
                "Resource": "*",
                "Condition": {
                    "StringEquals": {"aws:SourceAccount": where.account},
                    "ArnLike": {"aws:SourceArn": where.arn("events", "event-bus/*")},
                },
            },
        ],
    }


class SecureKey(KeyOutputs, SecureComponent):
    """`aws.kms.Key` whose material rotates every year (kms-key-rotation).

    Takes the arguments of `aws.kms.Key`. Defaults: `enable_key_rotation=True` for symmetric
    keys (asymmetric and HMAC keys cannot rotate), and a key policy (`policy`) in which the
    account administers and uses the key through IAM (the actions named: `ACCOUNT_ACTIONS`),
    CloudWatch Logs may use it for this account's and region's log groups, and EventBridge for
    this account's and region's event buses: the key the other components create, or share
    (`shared_key`). `enable_key_rotation=False` on a symmetric key warns. A `policy` given
    replaces the default one (keep the account's statement, and the CloudWatch Logs one if log
    groups use the key). The key is `.key`; its outputs (`arn`, `key_id`, `id`...) are the
    component's.
    """

    def __init__(
        self,
        resource_name: str,
        args: aws.kms.KeyArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        **kwargs: Unpack[KeyKwargs],
    ) -> None:
        super().__init__("SecureKey", resource_name, opts)
        values = cast(KeyKwargs, given(args, kwargs))
        spec = values.get("customer_master_key_spec")
        policy = self.render(key_policy)
        merged: KeyKwargs = {"policy": policy.value}
        if spec is None or spec == SYMMETRIC:
            merged["enable_key_rotation"] = True
        merged.update(values)
        self.key = self.resource = aws.kms.Key(resource_name, opts=self.wrapped(), **merged)
        self._wrapped = self.key
        checked = {**merged, "policy": policy.check} if "policy" not in values else merged
        self.plan.add(aws.kms.Key, resource_name, checked)
        self.plan.check()
        self.register_outputs({"arn": self.key.arn, "key_id": self.key.key_id})

    def grant_encrypt_decrypt(self, grantee: GranteeLike) -> aws.iam.RolePolicy:
        """Let the grantee encrypt and decrypt data with the key."""
        return grant(self, "encrypt-decrypt", grantee, KMS_ENCRYPT_DECRYPT, [self.key.arn])

    def grant_decrypt(self, grantee: GranteeLike) -> aws.iam.RolePolicy:
        """Let the grantee decrypt data with the key."""
        return grant(self, "decrypt", grantee, KMS_DECRYPT, [self.key.arn])


KeyLike = SecureKey | aws.kms.Key
"""A key a component may be given: a SecureKey, or any `aws.kms.Key` of the program."""

_SHARED: ContextVar[KeyLike | None] = ContextVar("serverless_guard_shared_key", default=None)


class SharedKey:
    """The effect of `shared_key`; as a context manager, it ends with the block."""

    def __init__(self, token: Token[KeyLike | None]) -> None:
        self._token = token

    def __enter__(self) -> SharedKey:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        _SHARED.reset(self._token)


def shared_key(key: KeyLike) -> SharedKey:
    """Make `key` the key of every component created from here on that would otherwise create a
    key of its own (one customer-managed key costs a monthly fee; a program rarely needs one
    per table, queue and log group). A key given to a component (`kms_key=`, or its own key
    argument such as `kms_master_key_id=`) still wins. `with shared_key(key): ...` limits it
    to the block.

    ```python
    key = sg.SecureKey("app-key")
    sg.shared_key(key)
    table = sg.SecureTable("orders", ...)     # encrypted with `key`
    ```
    """
    return SharedKey(_SHARED.set(key))


def current_shared_key() -> KeyLike | None:
    return _SHARED.get()


def key_for(component: SecureComponent, kms_key: KeyLike | None) -> KeyLike:
    """The key a component uses: the one given, else the shared one, else a SecureKey of its
    own (a child named `<component>-key`)."""
    if kms_key is not None:
        return kms_key
    shared = current_shared_key()
    if shared is not None:
        return shared
    return SecureKey(
        f"{component.pulumi_resource_name}-key",
        description=f"Key of {component.pulumi_resource_name} (serverless-guard)",
        opts=component.child(),
    )
