"""What every component shares: its type token, the arguments it was given, the options of its
children, the account, region and partition it deploys to, and the documents (policies) it
builds from them."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any, TypeVar

import pulumi
import pulumi_aws as aws

from serverless_guard.pulumi.components._check import Plan, warning_text
from serverless_guard.pulumi.components._inputs import LATER, known

TYPE_PREFIX = "serverless-guard:index:"
T = TypeVar("T")

# Options of the wrapped resource that only make sense on a resource with a provider; given to
# the component, they reach the resource it wraps, so that `opts` keeps its meaning.
_RESOURCE_OPTIONS = (
    "ignore_changes",
    "replace_on_changes",
    "delete_before_replace",
    "retain_on_delete",
    "custom_timeouts",
    "additional_secret_outputs",
    "import_",
    "depends_on",
)


def given(args: object | None, kwargs: Mapping[str, object]) -> dict[str, object]:
    """The arguments the user gave: the fields set on an `...Args` object, then the keyword
    arguments (where an explicit None is kept: it turns a default off)."""
    out: dict[str, object] = {}
    if args is not None:
        out.update({k: v for k, v in vars(args).items() if v is not None})
    out.update(kwargs)
    return out


def field_of(block: object, name: str) -> object:
    """A field of a nested argument given as a dict or as an `...Args` object (None when the
    block or the field is not set, or the block is only known later)."""
    if isinstance(block, Mapping):
        return block.get(name)
    if block is not None and not isinstance(block, pulumi.Output):
        return vars(block).get(name)
    return None


@dataclass(frozen=True, slots=True)
class Where:
    """The account, region and partition a component deploys to (its provider's)."""

    account: str
    region: str
    partition: str

    def arn(self, service: str, resource: str, *, regional: bool = True) -> str:
        region = self.region if regional else ""
        return f"arn:{self.partition}:{service}:{region}:{self.account}:{resource}"


STAND_IN = Where(account="123456789012", region="us-east-1", partition="aws")
"""Where the catalog check builds documents (the checks compare ARNs with each other, never
with the real account)."""


@dataclass(frozen=True, slots=True)
class Rendered:
    """A JSON document for a child's argument: `value` for the resource, `check` (the same
    document built from stand-in names, or `LATER` when it depends on a value the program only
    knows later) for the catalog check."""

    value: pulumi.Output[str]
    check: object


class SecureComponent(pulumi.ComponentResource):
    """A component of type `serverless-guard:index:<kind>` whose children it checks with the
    catalog before the program goes on."""

    def __init__(self, kind: str, resource_name: str, opts: pulumi.ResourceOptions | None) -> None:
        if opts is not None and opts.id is not None:
            raise TypeError(f"{kind} cannot read an existing resource (opts.id): use its .get()")
        super().__init__(f"{TYPE_PREFIX}{kind}", resource_name, None, opts)
        self._opts = opts or pulumi.ResourceOptions()
        self.plan = Plan(self)

    def child(self, *, depends_on: list[pulumi.Resource] | None = None) -> pulumi.ResourceOptions:
        """Options of a child the component adds."""
        return pulumi.ResourceOptions(parent=self, depends_on=depends_on)

    def wrapped(self, *, depends_on: list[pulumi.Resource] | None = None) -> pulumi.ResourceOptions:
        """Options of the resource the component wraps: the component's resource options, and an
        alias to the URN it would have without the component (same name, the component's
        parent), so that replacing `aws.dynamodb.Table("orders")` by `SecureTable("orders")`
        in a deployed stack moves the table instead of replacing it."""
        forwarded: dict[str, Any] = {name: getattr(self._opts, name) for name in _RESOURCE_OPTIONS}
        if depends_on:
            forwarded["depends_on"] = [*(_listed(forwarded["depends_on"])), *depends_on]
        previous = self._opts.parent
        if previous is None:
            previous = pulumi.ROOT_STACK_RESOURCE
        return pulumi.ResourceOptions(
            parent=self, aliases=[pulumi.Alias(parent=previous)], **forwarded
        )

    @cached_property
    def where(self) -> pulumi.Output[Where]:
        """The account, region and partition of the component's AWS provider (known during
        preview: they are provider functions, not resource outputs)."""
        invoke = pulumi.InvokeOutputOptions(parent=self)
        return pulumi.Output.all(
            aws.get_caller_identity_output(opts=invoke).account_id,
            aws.get_region_output(opts=invoke).region,
            aws.get_partition_output(opts=invoke).partition,
        ).apply(lambda v: Where(account=v[0], region=v[1], partition=v[2]))

    def render(
        self, build: Callable[..., Mapping[str, object]], *parts: tuple[object, object]
    ) -> Rendered:
        """A JSON document `build(where, *values)`. Each part is (value for the resource, value
        for the check): the resource's document is built when the values are known, the
        check's from `STAND_IN` and the check values, unless one of them is not known."""
        values = [value for value, _ in parts]
        document = pulumi.Output.all(self.where, *values).apply(
            lambda v: json.dumps(build(*v), separators=(",", ":"))
        )
        checks = [check for _, check in parts]
        check: object = LATER
        if all(known(c) for c in checks):
            check = json.dumps(build(STAND_IN, *checks), separators=(",", ":"))
        return Rendered(document, check)

    def warn(self, rule_id: str, message: str) -> None:
        """A warning on the component that names the catalog rule a setting breaks."""
        pulumi.log.warn(warning_text(rule_id, message), resource=self)


def _listed(value: object) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]
