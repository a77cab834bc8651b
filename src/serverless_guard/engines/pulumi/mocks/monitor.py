"""The monitor: records each registration as the engine would hand it to a policy pack (URN,
type, name, plain camelCase inputs, property dependencies, dependencies, parent), with URNs
built by the engine's rules (no stack type in the type chain), and where the program declared
the resource (`source`)."""

from __future__ import annotations

import importlib
import threading
from pathlib import Path
from typing import Any

from pulumi.runtime import mocks as pulumi_mocks

from serverless_guard.engines.pulumi.mocks.cloud import CloudMocks
from serverless_guard.engines.pulumi.mocks.source import declared_at
from serverless_guard.engines.pulumi.mocks.wire import plain

# protobuf ships no type information: its JSON conversion is reached through an untyped handle.
_json_format: Any = importlib.import_module("google.protobuf.json_format")

STACK_TYPE = "pulumi:pulumi:Stack"


class DuplicateUrnError(Exception):
    pass


class RecordingMonitor(pulumi_mocks.MockMonitor):
    """The SDK's mock monitor, with the engine's URNs, recording every registration."""

    def __init__(self, mocks: CloudMocks, project: str, stack: str, root: Path) -> None:
        super().__init__(mocks)
        self.cloud = mocks
        self.project = project
        self.stack = stack
        self.root = root
        self.records: dict[str, dict[str, Any]] = {}
        self.lock = threading.Lock()

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        qualified = type_
        if parent:
            parent_type = parent.split("::")[2]
            if parent_type != STACK_TYPE:
                qualified = f"{parent_type}${type_}"
        return f"urn:pulumi:{self.stack}::{self.project}::{qualified}::{name}"

    def RegisterResource(self, request: Any) -> Any:
        urn = self.make_urn(request.parent, request.type, request.name)
        record: dict[str, Any] = {
            "urn": urn,
            "type": request.type,
            "name": request.name,
            "custom": bool(request.custom),
            "props": plain(_json_format.MessageToDict(request.object)),
            "propertyDependencies": {
                key: sorted(set(deps.urns)) for key, deps in request.propertyDependencies.items()
            },
            "dependencies": sorted(set(request.dependencies)),
            "parent": request.parent or None,
            "source": declared_at(request, self.root),
        }
        with self.lock:
            if urn in self.records:
                raise DuplicateUrnError(
                    f"duplicate resource URN '{urn}': give each resource a unique name"
                )
            self.records[urn] = record
            region = record["props"].get("region")
            if request.type == "pulumi:providers:aws" and isinstance(region, str) and region:
                self.cloud.provider_regions[urn] = region
        try:
            with self.cloud.registering(urn):
                return super().RegisterResource(request)  # type: ignore[no-untyped-call]
        finally:
            with self.lock:
                named = self.cloud.names.get(urn)
                if named is not None and named[0] not in record["props"]:
                    record["props"][named[0]] = named[1]

    def recorded(self) -> list[dict[str, Any]]:
        with self.lock:
            records = list(self.records.values())
        return sorted(records, key=lambda r: (r["type"] != STACK_TYPE, r["urn"]))
