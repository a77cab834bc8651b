"""DynamoDB tables, Kinesis streams, Secrets Manager secrets (their resource policies and rotation
schedules) and KMS keys (their key policies)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from serverless_guard.engines.cloudformation.extract.base import CfnResource, Extractor
from serverless_guard.engines.policy_document import policy_document
from serverless_guard.engines.props import Props, link_text, link_texts, weakest
from serverless_guard.facts.base import Resource
from serverless_guard.facts.data import Key, Secret, SecretRotation, Stream, Table
from serverless_guard.facts.resource_policy import PolicyService, ResourcePolicy
from serverless_guard.facts.value import Absent, Known, Value


def table(res: CfnResource) -> Iterable[Resource]:
    props = res.props
    sse = props.child("SSESpecification")
    pitr = props.child("PointInTimeRecoverySpecification")
    yield Table(
        **res.identity(name_property="TableName"),
        sse_enabled=sse.boolean("SSEEnabled") if isinstance(sse, Props) else sse,
        sse_type=sse.string("SSEType") if isinstance(sse, Props) else sse,
        kms_key=sse.link("KMSMasterKeyId") if isinstance(sse, Props) else sse,
        point_in_time_recovery=pitr.boolean("PointInTimeRecoveryEnabled")
        if isinstance(pitr, Props)
        else pitr,
    )


def global_table(res: CfnResource) -> Iterable[Resource]:
    """SSE is global; the KMS key and point-in-time recovery are per replica (all must pass)."""
    props = res.props
    sse = props.child("SSESpecification")
    keys: list[Value[str]] = []
    recoveries: list[Value[bool]] = []
    for replica in props.children("Replicas"):
        replica_sse = replica.child("SSESpecification")
        keys.append(
            replica_sse.link("KMSMasterKeyId") if isinstance(replica_sse, Props) else replica_sse
        )
        spec = replica.child("PointInTimeRecoverySpecification")
        recoveries.append(
            spec.boolean("PointInTimeRecoveryEnabled") if isinstance(spec, Props) else spec
        )
    no_replicas = Absent(("Replicas",))
    kms = weakest(keys or [no_replicas], lambda v: isinstance(v, Known))
    pitr = weakest(recoveries or [no_replicas], lambda v: isinstance(v, Known) and v.value is True)
    yield Table(
        **res.identity(name_property="TableName"),
        sse_enabled=sse.boolean("SSEEnabled") if isinstance(sse, Props) else sse,
        sse_type=sse.string("SSEType") if isinstance(sse, Props) else sse,
        kms_key=kms,
        point_in_time_recovery=pitr,
    )


def stream(res: CfnResource) -> Iterable[Resource]:
    props = res.props
    encryption = props.child("StreamEncryption")
    yield Stream(
        **res.identity(name_property="Name"),
        encryption_type=encryption.string("EncryptionType")
        if isinstance(encryption, Props)
        else encryption,
        kms_key=encryption.link("KeyId") if isinstance(encryption, Props) else encryption,
    )


def secret(res: CfnResource) -> Iterable[Resource]:
    """A secret; a reference to it is its ARN (`Fn::GetAtt Secret.Id` too), and a schedule or
    policy may also name it by its name."""
    yield Secret(
        **res.identity(
            name_property="Name", ref_is_name=False, extra_aliases=(f"${{{res.id}.Id}}",)
        ),
        kms_key=res.props.link("KmsKeyId"),
    )


def secret_policy(res: CfnResource) -> Iterable[Resource]:
    props = res.props
    yield ResourcePolicy(
        **res.identity(),
        service=PolicyService.SECRETSMANAGER,
        targets=link_texts(props, "SecretId"),
        document=policy_document(props.raw("ResourcePolicy"), ("ResourcePolicy",)),
    )


def rotation_schedule(res: CfnResource) -> Iterable[Resource]:
    props = res.props
    rules = props.child("RotationRules")
    yield SecretRotation(
        **res.identity(),
        secret=link_text(props.link("SecretId"), "secret"),
        automatically_after_days=rules.integer("AutomaticallyAfterDays")
        if isinstance(rules, Props)
        else rules,
        schedule_expression=rules.string("ScheduleExpression")
        if isinstance(rules, Props)
        else rules,
    )


def _key_policy(res: CfnResource, ident: dict[str, Any]) -> ResourcePolicy:
    """A key's key policy (absent: AWS's default policy, in which the account administers the
    key)."""
    return ResourcePolicy(
        **{**ident, "at": ("KeyPolicy",)},
        service=PolicyService.KMS,
        targets=(f"${{{res.id}}}",),
        document=policy_document(res.props.raw("KeyPolicy"), ("KeyPolicy",)),
    )


def key(res: CfnResource) -> Iterable[Resource]:
    """A key, and its key policy."""
    props = res.props
    ident = res.identity(extra_aliases=(f"${{{res.id}.KeyId}}",))
    yield Key(
        **ident,
        rotation_enabled=props.boolean("EnableKeyRotation"),
        key_spec=props.string("KeySpec"),
        origin=props.string("Origin"),
    )
    yield _key_policy(res, ident)


def replica_key(res: CfnResource) -> Iterable[Resource]:
    """A multi-Region replica key's key policy (its key material, and so its rotation, is its
    primary key's)."""
    yield _key_policy(res, res.identity(extra_aliases=(f"${{{res.id}.KeyId}}",)))


EXTRACTORS: dict[str, Extractor] = {
    "AWS::DynamoDB::Table": table,
    "AWS::DynamoDB::GlobalTable": global_table,
    "AWS::Kinesis::Stream": stream,
    "AWS::SecretsManager::Secret": secret,
    "AWS::SecretsManager::ResourcePolicy": secret_policy,
    "AWS::SecretsManager::RotationSchedule": rotation_schedule,
    "AWS::KMS::Key": key,
    "AWS::KMS::ReplicaKey": replica_key,
}
