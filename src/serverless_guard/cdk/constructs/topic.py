"""SecureTopic: an SNS topic encrypted with its own KMS key that only accepts TLS."""

from __future__ import annotations

from typing import Unpack

from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from constructs import Construct

from serverless_guard.cdk.constructs._children import new_key
from serverless_guard.cdk.constructs._props import TopicKwargs
from serverless_guard.cdk.constructs._shared import warn


class SecureTopic(Construct):
    """`sns.Topic` that passes every rule of the catalog by default.

    Takes the keyword arguments of `sns.Topic`. Defaults: `master_key`, a SecureKey of its own
    (`.key`), and `enforce_ssl=True` (a topic policy that denies publishing without TLS).
    `master_key=None` or `enforce_ssl=False` warns. AWS services that publish to an encrypted
    topic (CloudWatch alarms, EventBridge, S3 notifications) need the key policy to allow
    them: `secure.key.grant_encrypt_decrypt(iam.ServicePrincipal(...))`. The topic is `.topic`;
    grant with its methods (`secure.topic.grant_publish(fn)`: with the KMS actions).
    """

    def __init__(self, scope: Construct, id: str, **props: Unpack[TopicKwargs]) -> None:
        super().__init__(scope, id)
        merged: TopicKwargs = {"enforce_ssl": True, **props}
        if "master_key" not in props:
            merged["master_key"] = new_key(self)
        self.key: kms.IKey | None = merged.get("master_key")
        if self.key is None:
            warn(self, "sns-topic-encrypted", "master_key is None")
        if not merged.get("enforce_ssl"):
            warn(self, "sns-topic-tls-only", "enforce_ssl is off")
        self.topic = sns.Topic(self, "Default", **merged)
