"""pulumi-aws (classic) DynamoDB tables, Kinesis streams, Secrets Manager secrets (their policies
and rotations) and KMS keys (their key policies)."""

from __future__ import annotations

from collections.abc import Iterable

from serverless_guard.engines.props import Props, weakest
from serverless_guard.engines.pulumi.extract.base import Extractor, PulumiView
from serverless_guard.engines.pulumi.extract.classic.inputs import (
    blocks,
    plain_identity,
    plain_inputs,
    read,
)
from serverless_guard.engines.pulumi.extract.classic.owners import (
    attached_policy,
    inline_policy,
    owner_link,
    policy_of,
)
from serverless_guard.facts.base import Resource
from serverless_guard.facts.data import Key, Secret, SecretRotation, Stream, Table
from serverless_guard.facts.resource_policy import PolicyService, ResourcePolicy
from serverless_guard.facts.value import Absent, Known, Value


def table(view: PulumiView) -> Iterable[Resource]:
    """`dynamodb.Table`. `serverSideEncryption.enabled` encrypts with a KMS key (the
    AWS-managed key unless `kmsKeyArn`); each replica has its own key and point-in-time
    recovery, and every region must pass."""
    inputs = plain_inputs(view)
    sse = inputs.child("serverSideEncryption")
    pitr = inputs.child("pointInTimeRecovery")
    keys: list[Value[str]] = [read(sse, lambda s: s.link("kmsKeyArn"))]
    recoveries: list[Value[bool]] = [read(pitr, lambda p: p.boolean("enabled"))]
    for replica in blocks(inputs, "replicas"):
        keys.append(read(replica, lambda r: r.link("kmsKeyArn")))
        recoveries.append(read(replica, lambda r: r.boolean("pointInTimeRecovery")))
    yield Table(
        **plain_identity(view, "name"),
        sse_enabled=read(sse, lambda s: s.boolean("enabled")),
        kms_key=weakest(keys, lambda v: isinstance(v, Known)),
        point_in_time_recovery=weakest(
            recoveries, lambda v: isinstance(v, Known) and v.value is True
        ),
    )


def stream(view: PulumiView) -> Iterable[Resource]:
    yield Stream(
        **plain_identity(view, "name"),
        encryption_type=plain_inputs(view).string("encryptionType"),
        kms_key=view.props.link("kmsKeyId"),
    )


def secret(view: PulumiView) -> Iterable[Resource]:
    ident = plain_identity(view, "name")
    yield Secret(**ident, kms_key=view.props.link("kmsKeyId"))
    yield from inline_policy(view, ident, PolicyService.SECRETSMANAGER)


def secret_policy(view: PulumiView) -> Iterable[Resource]:
    """`secretsmanager.SecretPolicy`: a secret's resource policy as a resource of its own."""
    return attached_policy(view, PolicyService.SECRETSMANAGER, "secretArn")


def secret_rotation(view: PulumiView) -> Iterable[Resource]:
    """`secretsmanager.SecretRotation`: a secret's rotation schedule."""
    inputs = plain_inputs(view)
    rules = inputs.child("rotationRules")
    yield SecretRotation(
        **view.identity(),
        secret=owner_link(view, "secretId"),
        enabled=inputs.boolean("rotationEnabled"),
        automatically_after_days=read(rules, lambda r: r.integer("automaticallyAfterDays")),
        schedule_expression=read(rules, lambda r: r.string("scheduleExpression")),
    )


def _key_origin(inputs: Props) -> Value[str]:
    """Keys in a custom key store (CloudHSM or external) have no key material to rotate."""
    if "xksKeyId" in inputs:
        return Known("EXTERNAL_KEY_STORE", inputs.path("xksKeyId"))
    if "customKeyStoreId" in inputs:
        return Known("AWS_CLOUDHSM", inputs.path("customKeyStoreId"))
    return Absent(inputs.path("customKeyStoreId"))


def _key_policy(view: PulumiView) -> ResourcePolicy:
    """A key's own `policy` (absent: AWS's default policy, in which the account administers the
    key, unless a `kms.KeyPolicy` sets it)."""
    return ResourcePolicy(
        **{**view.identity(), "at": ("policy",)},
        service=PolicyService.KMS,
        targets=(f"${{{view.urn}}}",),
        document=policy_of(view, "policy"),
    )


def key(view: PulumiView) -> Iterable[Resource]:
    """A key, and its key policy."""
    inputs = plain_inputs(view)
    yield Key(
        **view.identity(),
        rotation_enabled=inputs.boolean("enableKeyRotation"),
        key_spec=inputs.string("customerMasterKeySpec"),
        origin=_key_origin(inputs),
    )
    yield _key_policy(view)


def replica_key(view: PulumiView) -> Iterable[Resource]:
    """`kms.ReplicaKey` and `kms.ReplicaExternalKey`: a multi-Region replica's key policy (its
    key material, and so its rotation, is its primary key's)."""
    yield _key_policy(view)


def key_policy(view: PulumiView) -> Iterable[Resource]:
    """`kms.KeyPolicy`: a key's policy as a resource of its own."""
    return attached_policy(view, PolicyService.KMS, "keyId")


def external_key(view: PulumiView) -> Iterable[Resource]:
    """`kms.ExternalKey`: a key whose material is imported (it cannot rotate automatically)."""
    yield Key(
        **view.identity(), key_spec=plain_inputs(view).string("keySpec"), origin=Known("EXTERNAL")
    )
    yield _key_policy(view)


EXTRACTORS: dict[str, Extractor] = {
    "aws:dynamodb/table:Table": table,
    "aws:kinesis/stream:Stream": stream,
    "aws:secretsmanager/secret:Secret": secret,
    "aws:secretsmanager/secretPolicy:SecretPolicy": secret_policy,
    "aws:secretsmanager/secretRotation:SecretRotation": secret_rotation,
    "aws:kms/key:Key": key,
    "aws:kms/keyPolicy:KeyPolicy": key_policy,
    "aws:kms/externalKey:ExternalKey": external_key,
    "aws:kms/replicaKey:ReplicaKey": replica_key,
    "aws:kms/replicaExternalKey:ReplicaExternalKey": replica_key,
}
