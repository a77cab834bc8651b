"""pulumi-aws (classic) data and messaging resources: S3, SQS, SNS, EventBridge, DynamoDB,
Kinesis, Secrets Manager, KMS and CloudWatch Logs.

The facts carry the values the CloudFormation extractors give for the same situation. Where
pulumi-aws declares a part of a resource as a resource of its own (a bucket's encryption, public
access block or policy; a queue's, topic's or event bus's policy), the part links to its owner
through the input that names it (`bucket`, `queueUrl`, `arn`, `eventBusName`): by property
dependency (`${urn}`, an alias of every fact of the owner) or by the owner's literal name, URL
or ARN.

Two readers per resource: `view.props` (resolved nodes) for inputs that link to another
resource (a KMS key, a bucket), where a value computed from one resource is a reference to it;
`_inputs(view)` (the plain inputs) for everything else, where a known value stays that value
whatever it was computed from (a bucket policy built from the bucket's ARN is a policy, a
setting computed from a config output is that setting).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from serverless_guard.engines.policy_document import policy_document
from serverless_guard.engines.props import Props, first_child
from serverless_guard.engines.pulumi.extract.base import Extractor, PulumiView
from serverless_guard.engines.pulumi.extract.classic_compute import function_log_group
from serverless_guard.engines.pulumi.resolve import plain
from serverless_guard.facts.base import Resource
from serverless_guard.facts.data import Key, Secret, Stream, Table
from serverless_guard.facts.logs import LogGroup
from serverless_guard.facts.messaging import EventBus, Queue, QueueRedrive, Topic
from serverless_guard.facts.nodes import Opaque, Ref
from serverless_guard.facts.resource_policy import PolicyService, ResourcePolicy
from serverless_guard.facts.s3 import Bucket, BucketEncryption, PublicAccessBlock
from serverless_guard.facts.value import Absent, Known, Unknown, Value

T = TypeVar("T")
Block = Props | Unknown | Absent

_SQS_URL = re.compile(r"^https://[^/]+/\d{12}/([^/]+)/?$")
_ARN = re.compile(r"^arn:[^:]*:(?P<service>[^:]*):[^:]*:[^:]*:(?P<resource>.+)$")


# -- shared -----------------------------------------------------------------------------------


def _inputs(view: PulumiView) -> Props:
    """The resource's inputs as plain data (unknown values as opaque nodes, no references)."""
    data: dict[str, Any] = plain(view.resource.props)
    return Props(data)


def _identity(
    view: PulumiView, name_key: str | None = None, *, arn: Callable[[str], str] | None = None
) -> dict[str, Any]:
    """The resource's identity. A known physical name, and the ARN built from it, are aliases,
    and the name is what a reference to the resource stands for."""
    ident = view.identity()
    name = _inputs(view).string(name_key) if name_key is not None else None
    if isinstance(name, Known) and name.value:
        aliases = {*ident["aliases"], name.value}
        if arn is not None:
            aliases.add(arn(name.value))
        ident["aliases"] = frozenset(aliases)
        ident["ref_value"] = name.value
    return ident


def _document(view: PulumiView, key: str) -> Value[Any]:
    """A policy document input: a JSON string, a PolicyDocument object, or unknown. The
    provider treats an empty string as no policy."""
    raw = _inputs(view).raw(key)
    return policy_document(None if raw == "" else raw, (key,))


def _names_in(text: str) -> tuple[str, ...]:
    """The resource name in a literal queue URL or SQS, SNS or EventBridge bus ARN."""
    if "${" in text:
        return ()
    url = _SQS_URL.match(text)
    if url is not None:
        return (url.group(1),)
    arn = _ARN.match(text)
    if arn is None:
        return ()
    service, resource = arn.group("service"), arn.group("resource")
    if service == "events" and resource.startswith("event-bus/"):
        return (resource[len("event-bus/") :],)
    if service in ("sqs", "sns"):
        return (resource,)
    return ()


def _target(view: PulumiView, key: str, default: str | None = None) -> tuple[str, ...]:
    """Links from a policy's input to the resource it is attached to. A literal URL or ARN
    also links by the name in it; a target only known at deployment stays opaque (it may be
    any resource of its kind, which rules take into account)."""
    match view.props.link(key):
        case Known(value=text):
            return (text, *_names_in(text))
        case Unknown(reason=reason):
            return (Opaque(reason).render(),)
    return (default,) if default is not None else ()


def _link(view: PulumiView, key: str) -> str:
    """One link from a part's input to its owner (opaque when only known at deployment)."""
    targets = _target(view, key)
    return targets[0] if targets else Opaque(f"no {key}").render()


def _inline_policy(
    view: PulumiView, ident: dict[str, Any], service: PolicyService
) -> Iterable[Resource]:
    """A resource's own `policy` input, as a policy attached to it."""
    if _inputs(view).raw("policy") not in (None, ""):
        yield ResourcePolicy(
            **{**ident, "at": ("policy",)},
            service=service,
            targets=(f"${{{view.urn}}}",),
            document=_document(view, "policy"),
        )


def _policy(
    view: PulumiView, service: PolicyService, target_key: str, default: str | None = None
) -> Iterable[Resource]:
    """A policy resource attached to the resource its `target_key` input names."""
    yield ResourcePolicy(
        **view.identity(),
        service=service,
        targets=_target(view, target_key, default),
        document=_document(view, "policy"),
    )


def _read(block: Block, read: Callable[[Props], Value[T]]) -> Value[T]:
    """A value inside a block that may itself be absent or unknown."""
    return read(block) if isinstance(block, Props) else block


def _items(props: Props, key: str) -> list[Props | Unknown]:
    """The items of a list input; an item (or the list) only known at deployment is unknown."""
    node = props.raw(key)
    if isinstance(node, Opaque):
        return [Unknown(node.what, props.path(key))]
    if not isinstance(node, list):
        return []
    out: list[Props | Unknown] = []
    for index, item in enumerate(node):
        at = props.path(key, index)
        if isinstance(item, Mapping):
            out.append(Props(item, at))
        elif isinstance(item, Opaque):
            out.append(Unknown(item.what, at))
    return out


def _first(block: Block, key: str) -> Block:
    """The first item of a list input (S3 applies the first encryption rule; BucketV2 gives
    single blocks as lists of one)."""
    if not isinstance(block, Props):
        return block
    items = _items(block, key)
    return items[0] if items else Absent(block.path(key))


def _weakest(values: list[Value[T]], good: Callable[[Value[T]], bool]) -> Value[T]:
    """The first value that does not pass `good`, else the first value (of at least one)."""
    return next((value for value in values if not good(value)), values[0])


# -- S3 ---------------------------------------------------------------------------------------


def _s3_arn(name: str) -> str:
    return f"arn:aws:s3:::{name}"


def _encryption(ident: dict[str, Any], bucket: str, default: Block) -> BucketEncryption:
    """A bucket's default encryption from an `applyServerSideEncryptionByDefault` block."""
    return BucketEncryption(
        **{**ident, "at": default.at},
        bucket=bucket,
        algorithm=_read(default, lambda d: d.string("sseAlgorithm")),
        kms_key=_read(default, lambda d: d.link("kmsMasterKeyId")),
    )


def bucket(view: PulumiView) -> Iterable[Resource]:
    """`s3.Bucket`. pulumi-aws 7 declares encryption, public access block and policy as
    resources of their own; the deprecated inline blocks still count when set."""
    ident = _identity(view, "bucket", arn=_s3_arn)
    yield Bucket(**ident)
    config = _inputs(view).child("serverSideEncryptionConfiguration")
    if not isinstance(config, Absent):  # not set: SSE-S3, unless a separate configuration
        default = first_child(first_child(config, "rule"), "applyServerSideEncryptionByDefault")
        yield _encryption(ident, f"${{{view.urn}}}", default)
    yield from _inline_policy(view, ident, PolicyService.S3)


def bucket_v2(view: PulumiView) -> Iterable[Resource]:
    """`s3.BucketV2` (deprecated in pulumi-aws 7): its inline blocks are lists of one."""
    ident = _identity(view, "bucket", arn=_s3_arn)
    yield Bucket(**ident)
    inputs = _inputs(view)
    if "serverSideEncryptionConfigurations" in inputs:
        rule = _first(_first(inputs, "serverSideEncryptionConfigurations"), "rules")
        default = _first(rule, "applyServerSideEncryptionByDefaults")
        yield _encryption(ident, f"${{{view.urn}}}", default)
    yield from _inline_policy(view, ident, PolicyService.S3)


def bucket_encryption(view: PulumiView) -> Iterable[Resource]:
    """`s3.BucketServerSideEncryptionConfiguration` (and its V2 alias)."""
    rule = _first(_inputs(view), "rules")
    default = first_child(rule, "applyServerSideEncryptionByDefault")
    yield _encryption(view.identity(), _link(view, "bucket"), default)


def public_access_block(view: PulumiView) -> Iterable[Resource]:
    """`s3.BucketPublicAccessBlock`: a setting left out is false."""
    inputs = _inputs(view)
    yield PublicAccessBlock(
        **view.identity(),
        bucket=_link(view, "bucket"),
        block_public_acls=inputs.boolean("blockPublicAcls"),
        ignore_public_acls=inputs.boolean("ignorePublicAcls"),
        block_public_policy=inputs.boolean("blockPublicPolicy"),
        restrict_public_buckets=inputs.boolean("restrictPublicBuckets"),
    )


def bucket_policy(view: PulumiView) -> Iterable[Resource]:
    return _policy(view, PolicyService.S3, "bucket")


# -- SQS, SNS, EventBridge --------------------------------------------------------------------


def _json_field(view: PulumiView, key: str, field: str, *, computed_is_link: bool) -> Value[str]:
    """A field of a JSON document input (a queue's redrive or redrive allow policy).

    A document only known at deployment that is computed from exactly one other resource
    denotes that resource when `computed_is_link`: a redrive policy built from one queue's ARN
    names that queue as the dead-letter queue."""
    at = (key,)
    raw = _inputs(view).raw(key)
    if raw is None or raw == "":
        return Absent(at)
    if isinstance(raw, Opaque):
        node = view.properties.get(key)
        if computed_is_link and isinstance(node, Ref):
            return Known(node.render(), at)
        return Unknown(raw.what, at)
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            return Unknown(f"{key} is not JSON", at)
    if not isinstance(raw, Mapping):
        return Unknown(f"{key} is not a JSON object", at)
    return Props(raw, at).link(field)


def queue(view: PulumiView) -> Iterable[Resource]:
    ident = _identity(view, "name")
    yield Queue(
        **ident,
        kms_key=view.props.link("kmsMasterKeyId"),
        sqs_managed_sse=_inputs(view).boolean("sqsManagedSseEnabled"),
        dead_letter_target=_json_field(
            view, "redrivePolicy", "deadLetterTargetArn", computed_is_link=True
        ),
        redrive_permission=_json_field(
            view, "redriveAllowPolicy", "redrivePermission", computed_is_link=False
        ),
    )
    yield from _inline_policy(view, ident, PolicyService.SQS)


def queue_policy(view: PulumiView) -> Iterable[Resource]:
    return _policy(view, PolicyService.SQS, "queueUrl")


def redrive_policy(view: PulumiView) -> Iterable[Resource]:
    """`sqs.RedrivePolicy`: a queue's redrive policy as a resource of its own."""
    yield QueueRedrive(
        **view.identity(),
        queue=_link(view, "queueUrl"),
        dead_letter_target=_json_field(
            view, "redrivePolicy", "deadLetterTargetArn", computed_is_link=True
        ),
    )


def redrive_allow_policy(view: PulumiView) -> Iterable[Resource]:
    """`sqs.RedriveAllowPolicy`: a queue's redrive allow policy as a resource of its own."""
    yield QueueRedrive(
        **view.identity(),
        queue=_link(view, "queueUrl"),
        redrive_permission=_json_field(
            view, "redriveAllowPolicy", "redrivePermission", computed_is_link=False
        ),
    )


def topic(view: PulumiView) -> Iterable[Resource]:
    ident = _identity(view, "name")
    yield Topic(**ident, kms_key=view.props.link("kmsMasterKeyId"))
    yield from _inline_policy(view, ident, PolicyService.SNS)


def topic_policy(view: PulumiView) -> Iterable[Resource]:
    return _policy(view, PolicyService.SNS, "arn")


def event_bus(view: PulumiView) -> Iterable[Resource]:
    yield EventBus(**_identity(view, "name"), kms_key=view.props.link("kmsKeyIdentifier"))


def event_bus_policy(view: PulumiView) -> Iterable[Resource]:
    """`cloudwatch.EventBusPolicy`: the whole policy of a bus (the default bus when unnamed)."""
    return _policy(view, PolicyService.EVENTS, "eventBusName", default="default")


def event_permission(view: PulumiView) -> Iterable[Resource]:
    """`cloudwatch.EventPermission`: one statement of a bus's policy, given by its parts."""
    inputs = _inputs(view)
    principal = inputs.raw("principal")
    if isinstance(principal, Opaque):  # computed from one resource: a reference to it
        principal = view.properties.get("principal")
    statement: dict[str, Any] = {
        "Effect": "Allow",
        "Action": inputs.raw("action") or "events:PutEvents",
        "Principal": "*" if principal == "*" else {"AWS": principal},
        "Resource": "*",
    }
    condition = inputs.child("condition")
    if isinstance(condition, Props):
        statement["Condition"] = {
            str(condition.raw("type") or "StringEquals"): {
                str(condition.raw("key") or ""): condition.raw("value")
            }
        }
    yield ResourcePolicy(
        **view.identity(),
        service=PolicyService.EVENTS,
        targets=_target(view, "eventBusName", default="default"),
        document=condition  # a condition only known at deployment may limit the callers
        if isinstance(condition, Unknown)
        else policy_document({"Statement": [statement]}, ()),
    )


# -- DynamoDB, Kinesis, Secrets Manager, KMS --------------------------------------------------


def table(view: PulumiView) -> Iterable[Resource]:
    """`dynamodb.Table`. `serverSideEncryption.enabled` encrypts with a KMS key (the
    AWS-managed key unless `kmsKeyArn`); each replica has its own key and point-in-time
    recovery, and every region must pass."""
    inputs = _inputs(view)
    sse = inputs.child("serverSideEncryption")
    pitr = inputs.child("pointInTimeRecovery")
    keys: list[Value[str]] = [_read(sse, lambda s: s.link("kmsKeyArn"))]
    recoveries: list[Value[bool]] = [_read(pitr, lambda p: p.boolean("enabled"))]
    for replica in _items(inputs, "replicas"):
        keys.append(_read(replica, lambda r: r.link("kmsKeyArn")))
        recoveries.append(_read(replica, lambda r: r.boolean("pointInTimeRecovery")))
    yield Table(
        **_identity(view, "name"),
        sse_enabled=_read(sse, lambda s: s.boolean("enabled")),
        kms_key=_weakest(keys, lambda v: isinstance(v, Known)),
        point_in_time_recovery=_weakest(
            recoveries, lambda v: isinstance(v, Known) and v.value is True
        ),
    )


def stream(view: PulumiView) -> Iterable[Resource]:
    yield Stream(
        **_identity(view, "name"),
        encryption_type=_inputs(view).string("encryptionType"),
        kms_key=view.props.link("kmsKeyId"),
    )


def secret(view: PulumiView) -> Iterable[Resource]:
    yield Secret(**_identity(view, "name"), kms_key=view.props.link("kmsKeyId"))


def _key_origin(inputs: Props) -> Value[str]:
    """Keys in a custom key store (CloudHSM or external) have no key material to rotate."""
    if "xksKeyId" in inputs:
        return Known("EXTERNAL_KEY_STORE", inputs.path("xksKeyId"))
    if "customKeyStoreId" in inputs:
        return Known("AWS_CLOUDHSM", inputs.path("customKeyStoreId"))
    return Absent(inputs.path("customKeyStoreId"))


def key(view: PulumiView) -> Iterable[Resource]:
    inputs = _inputs(view)
    yield Key(
        **view.identity(),
        rotation_enabled=inputs.boolean("enableKeyRotation"),
        key_spec=inputs.string("customerMasterKeySpec"),
        origin=_key_origin(inputs),
    )


def external_key(view: PulumiView) -> Iterable[Resource]:
    """`kms.ExternalKey`: a key whose material is imported (it cannot rotate automatically)."""
    yield Key(**view.identity(), key_spec=_inputs(view).string("keySpec"), origin=Known("EXTERNAL"))


# -- CloudWatch Logs --------------------------------------------------------------------------


def _log_group_name(view: PulumiView) -> Value[str]:
    """The literal name; a name computed from other resources is only known at deployment."""
    name = _inputs(view).string("name")
    if isinstance(name, Known):
        return name
    link = view.props.link("name")
    if isinstance(link, Known):  # a reference: the name is computed from that resource
        source = link.value.strip("${}").rsplit("::", 1)[-1]
        return Unknown(f"name computed from {source}", link.at)
    return link


def log_group(view: PulumiView) -> Iterable[Resource]:
    """`cloudwatch.LogGroup`. A retention of 0 days (the provider's default) keeps logs
    forever, as when no retention is set."""
    retention = _inputs(view).integer("retentionInDays")
    if isinstance(retention, Known) and retention.value == 0:
        retention = Absent(retention.at)
    ident = _identity(view, "name")
    name = _log_group_name(view)
    of_function = function_log_group(view)  # a function's default log group, by its URN
    if of_function is not None:
        ident["aliases"] = frozenset({*ident["aliases"], of_function})
        name = name if isinstance(name, Known) else Known(of_function, ("name",))
    yield LogGroup(
        **ident,
        log_group_name=name,
        retention_days=retention,
        kms_key=view.props.link("kmsKeyId"),
    )


_S3 = "aws:s3/"
EXTRACTORS: dict[str, Extractor] = {
    f"{_S3}bucket:Bucket": bucket,
    f"{_S3}bucketV2:BucketV2": bucket_v2,
    f"{_S3}bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": (
        bucket_encryption
    ),
    f"{_S3}bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2": (
        bucket_encryption
    ),
    f"{_S3}bucketPublicAccessBlock:BucketPublicAccessBlock": public_access_block,
    f"{_S3}bucketPolicy:BucketPolicy": bucket_policy,
    "aws:sqs/queue:Queue": queue,
    "aws:sqs/queuePolicy:QueuePolicy": queue_policy,
    "aws:sqs/redrivePolicy:RedrivePolicy": redrive_policy,
    "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy": redrive_allow_policy,
    "aws:sns/topic:Topic": topic,
    "aws:sns/topicPolicy:TopicPolicy": topic_policy,
    "aws:cloudwatch/eventBus:EventBus": event_bus,
    "aws:cloudwatch/eventBusPolicy:EventBusPolicy": event_bus_policy,
    "aws:cloudwatch/eventPermission:EventPermission": event_permission,
    "aws:dynamodb/table:Table": table,
    "aws:kinesis/stream:Stream": stream,
    "aws:secretsmanager/secret:Secret": secret,
    "aws:kms/key:Key": key,
    "aws:kms/externalKey:ExternalKey": external_key,
    "aws:cloudwatch/logGroup:LogGroup": log_group,
}
