"""SecureTopic: an SNS topic encrypted with a KMS key that only accepts TLS."""

from __future__ import annotations

from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from constructs import Construct

from serverless_guard.cdk.constructs._policy_check import check_resource_policies
from serverless_guard.cdk.constructs._shared import warn
from serverless_guard.cdk.constructs._signature import init_l2, same_arguments_as
from serverless_guard.cdk.constructs.defaults import default_key
from serverless_guard.cdk.constructs.key import check_rotation


class SecureTopic(sns.Topic):
    """`sns.Topic` that passes every rule of the catalog by default.

    Takes the arguments of `sns.Topic`. Defaults: `master_key`, the stack's shared key
    (`SecureDefaults`), and `enforce_ssl=True` (a topic policy that denies publishing without
    TLS). `master_key=None` or `enforce_ssl=False` warns. AWS services that publish to an
    encrypted topic (CloudWatch alarms, EventBridge, S3 notifications) need the key policy to
    allow them: `topic.key.grant_encrypt_decrypt(iam.ServicePrincipal(...))`. It is an
    `sns.Topic`: `topic.grant_publish(fn)` includes the KMS actions on the key (`.master_key`,
    also `.key`).
    """

    @same_arguments_as(sns.Topic.__init__)
    def __init__(self, scope: Construct, id: str, **props: object) -> None:
        merged: dict[str, object] = {"enforce_ssl": True, **props}
        if "master_key" not in props:
            merged["master_key"] = default_key(scope)
        init_l2(super().__init__, scope, id, merged)
        check_resource_policies(self)
        self.key: kms.IKey | None = self.master_key
        check_rotation(self, props.get("master_key"))
        if merged.get("master_key") is None:
            warn(self, "sns-topic-encrypted", "master_key is None")
        if not merged.get("enforce_ssl"):
            warn(self, "sns-topic-tls-only", "enforce_ssl is off")
