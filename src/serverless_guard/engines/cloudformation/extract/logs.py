"""AWS::Logs::LogGroup and CDK's Custom::LogRetention."""

from __future__ import annotations

from collections.abc import Iterable

from serverless_guard.engines.cloudformation.extract.base import CfnResource, Extractor
from serverless_guard.facts.base import Resource
from serverless_guard.facts.logs import LogGroup


def log_group(res: CfnResource) -> Iterable[Resource]:
    props = res.props
    yield LogGroup(
        **res.identity(name_property="LogGroupName"),
        log_group_name=props.link("LogGroupName"),
        retention_days=props.integer("RetentionInDays"),
        kms_key=props.link("KmsKeyId"),
    )


def log_retention(res: CfnResource) -> Iterable[Resource]:
    """CDK sets the retention of a log group it does not own through this custom resource."""
    props = res.props
    yield LogGroup(
        **res.identity(name_property="LogGroupName"),
        log_group_name=props.link("LogGroupName"),
        retention_days=props.integer("RetentionInDays"),
        retention_only=True,
    )


EXTRACTORS: dict[str, Extractor] = {
    "AWS::Logs::LogGroup": log_group,
    "Custom::LogRetention": log_retention,
}
