"""The mocks: answer every resource registration and invoke as AWS would, deterministically."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from pulumi.runtime import mocks as pulumi_mocks

from serverless_guard.engines.pulumi.mocks.invokes import invoke_result
from serverless_guard.engines.pulumi.mocks.naming import AUTONAME
from serverless_guard.engines.pulumi.mocks.outputs import resource_outputs
from serverless_guard.engines.pulumi.mocks.resource_context import Outputs
from serverless_guard.engines.pulumi.mocks.wire import input_text


def _has_unknown(value: Any) -> bool:
    if type(value).__name__ == "Unknown":
        return True
    if isinstance(value, Mapping):
        return any(_has_unknown(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_has_unknown(v) for v in value)
    return False


class CloudMocks(pulumi_mocks.Mocks):
    """Answers resource registrations and invokes as AWS would, deterministically."""

    def __init__(self, region: str) -> None:
        self.region = region
        self.names: dict[str, tuple[str, str]] = {}  # URN -> (autonamed input, physical name)
        self.provider_regions: dict[str, str] = {}  # explicit aws provider URN -> its region
        self._registering = threading.local()  # .urn: the URN being registered on this thread

    @contextmanager
    def registering(self, urn: str) -> Iterator[None]:
        """While the monitor registers `urn` on this thread: the resource it asks for is `urn`."""
        self._registering.urn = urn
        try:
            yield
        finally:
            self._registering.urn = None

    def region_of(self, provider: Any) -> str:
        """The region of the provider a resource or invoke uses (a reference `urn::id`)."""
        if isinstance(provider, str) and provider:
            return self.provider_regions.get(provider.rsplit("::", 1)[0], self.region)
        return self.region

    def new_resource(self, args: Any) -> tuple[str | None, Outputs]:
        typ, logical = str(args.typ), str(args.name)
        inputs: dict[str, Any] = dict(args.inputs or {})
        if args.custom is False and not args.resource_id:
            return None, {}
        urn = getattr(self._registering, "urn", None) or f"{typ}::{logical}"
        resource_id = str(args.resource_id) if args.resource_id else None
        region = self.region_of(args.provider)
        ident, outputs = resource_outputs(
            typ, logical, inputs, region=region, seed=urn, resource_id=resource_id
        )
        prop = AUTONAME.get(typ)
        if (
            prop is not None
            and prop in outputs
            and input_text(inputs, prop) is None
            and input_text(inputs, "namePrefix") is None
            and input_text(inputs, f"{prop}Prefix") is None
        ):
            self.names[urn] = (prop, outputs[prop])
        known = {k: v for k, v in inputs.items() if not _has_unknown(v)}
        return ident, {**outputs, **known}

    def call(self, args: Any) -> tuple[Outputs, list[tuple[str, str]]]:
        region = self.region_of(args.provider)
        return invoke_result(str(args.token), dict(args.args or {}), region=region), []
