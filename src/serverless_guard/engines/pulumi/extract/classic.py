"""pulumi-aws (classic) resource types."""

from __future__ import annotations

from collections.abc import Iterable

from serverless_guard.engines.pulumi.extract.base import Extractor, PulumiView
from serverless_guard.facts.base import Resource
from serverless_guard.facts.logs import LogGroup


def log_group(view: PulumiView) -> Iterable[Resource]:
    props = view.props
    yield LogGroup(
        **view.identity(name_property="name"),
        log_group_name=props.link("name"),
        retention_days=props.integer("retentionInDays"),
        kms_key=props.link("kmsKeyId"),
    )


EXTRACTORS: dict[str, Extractor] = {
    "aws:cloudwatch/logGroup:LogGroup": log_group,
}
