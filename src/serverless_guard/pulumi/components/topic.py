"""SecureTopic: an SNS topic encrypted with a customer-managed key that only accepts TLS."""

from __future__ import annotations

from typing import Unpack, cast

import pulumi
import pulumi_aws as aws

from serverless_guard.pulumi.components._base import STAND_IN, SecureComponent, Where, given
from serverless_guard.pulumi.components._documents import (
    deny_insecure_transport,
    document,
    statements_of,
)
from serverless_guard.pulumi.components._grants import KMS_PRODUCE, GranteeLike, grant
from serverless_guard.pulumi.components._inputs import LATER
from serverless_guard.pulumi.components._wrapped import TopicKwargs, TopicOutputs
from serverless_guard.pulumi.components.key import KeyLike, key_for


class SecureTopic(TopicOutputs, SecureComponent):
    """`aws.sns.Topic` that passes every rule of the catalog by default.

    Takes the arguments of `aws.sns.Topic`, plus `kms_key` (a SecureKey or an `aws.kms.Key`).
    Default: `kms_master_key_id`, a customer-managed key (`kms_key`, else the program's
    `shared_key`, else a SecureKey of its own). Enforced: a topic policy (`.topic_policy`) that
    denies publishing without TLS, with the statements of the `policy` given.
    `kms_master_key_id=None` warns. AWS services that publish to an encrypted topic
    (CloudWatch alarms, EventBridge, S3 notifications) need the key policy to allow them. The
    topic is `.topic`; its outputs (`arn`, `name`...) are the component's.
    """

    def __init__(
        self,
        resource_name: str,
        args: aws.sns.TopicArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        *,
        kms_key: KeyLike | None = None,
        **kwargs: Unpack[TopicKwargs],
    ) -> None:
        super().__init__("SecureTopic", resource_name, opts)
        values = cast(TopicKwargs, given(args, kwargs))
        user_policy = values.pop("policy", None)
        merged: TopicKwargs = {}
        self.key: KeyLike | None = None
        self.key_arn: pulumi.Input[str | None] = values.get("kms_master_key_id")
        if "kms_master_key_id" not in values:
            self.key = key_for(self, kms_key)
            self.key_arn = merged["kms_master_key_id"] = self.key.arn
        merged.update(values)
        self.topic = self.resource = aws.sns.Topic(resource_name, opts=self.wrapped(), **merged)
        self._wrapped = self.topic
        self.plan.add(aws.sns.Topic, resource_name, merged)

        def build(where: Where, arn: str, given: object) -> dict[str, object]:
            return document([*statements_of(given), deny_insecure_transport("sns:Publish", [arn])])

        stand_in = STAND_IN.arn("sns", self.plan.stand_in(resource_name))
        policy = self.render(build, (self.topic.arn, stand_in), (user_policy, user_policy))
        name = f"{resource_name}-policy"
        self.topic_policy = aws.sns.TopicPolicy(
            name, arn=self.topic.arn, policy=policy.value, opts=self.child()
        )
        self.plan.add(
            aws.sns.TopicPolicy,
            name,
            {"arn": LATER, "policy": policy.check},
            links={"arn": resource_name},
        )
        self.plan.check()
        self.register_outputs({"arn": self.topic.arn, "name": self.topic.name})

    @property
    def policy(self) -> pulumi.Output[str]:
        """The topic's policy: the one its `aws.sns.TopicPolicy` (`.topic_policy`) sets."""
        return self.topic_policy.policy

    def grant_publish(self, grantee: GranteeLike) -> aws.iam.RolePolicy:
        """Let the grantee publish messages (and encrypt them with the topic's key)."""
        return grant(
            self, "publish", grantee, ["sns:Publish"], [self.topic.arn], self.key_arn, KMS_PRODUCE
        )
