"""pulumi-aws (classic) CloudWatch Logs log groups."""

from __future__ import annotations

from collections.abc import Iterable

from serverless_guard.engines.pulumi.extract.base import Extractor, PulumiView
from serverless_guard.engines.pulumi.extract.classic.common import LOG_GROUP_TYPE
from serverless_guard.engines.pulumi.extract.classic.inputs import plain_identity, plain_inputs
from serverless_guard.engines.pulumi.extract.classic.lambda_ import function_log_group
from serverless_guard.facts.base import Resource
from serverless_guard.facts.logs import LogGroup
from serverless_guard.facts.value import Absent, Known, Unknown, Value


def _log_group_name(view: PulumiView) -> Value[str]:
    """The literal name; a name computed from other resources is only known at deployment."""
    name = plain_inputs(view).string("name")
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
    retention = plain_inputs(view).integer("retentionInDays")
    if isinstance(retention, Known) and retention.value == 0:
        retention = Absent(retention.at)
    ident = plain_identity(view, "name")
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


EXTRACTORS: dict[str, Extractor] = {LOG_GROUP_TYPE: log_group}
