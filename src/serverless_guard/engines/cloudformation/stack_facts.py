"""One plain CloudFormation template (expanded, SAM transformed) as a stack of facts.

Each resource is resolved once per condition variant (usually one); extractors then read the
resolved properties. Where each resource comes from in the user's file is kept (`Origin`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from serverless_guard.engines.cloudformation.extract import EXTRACTORS, CfnResource
from serverless_guard.engines.cloudformation.gaps import Gap
from serverless_guard.engines.cloudformation.intrinsics import Resolver, Stack, assignments
from serverless_guard.engines.cloudformation.parse import LineDict, line_of
from serverless_guard.errors import InputError
from serverless_guard.facts.base import ALWAYS, Resource
from serverless_guard.facts.value import Path, Unknown, Value
from serverless_guard.findings import Location

METADATA_KEY = "serverless-guard"
CDK_PATH = "aws:cdk:path"


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a resource of the (transformed) template comes from in the user's file.

    `sources` are the resources the user wrote that it was generated from: one for most, every
    contributing function for a resource SAM shares between them (the implicit API); empty for a
    resource the user wrote. `framework` names the aws-cdk-lib feature that created it, if any.
    For a resource generated from a SAM resource, `source_type` is that resource's type,
    `source_properties` the properties it sets and `global_properties` those the template's
    `Globals` set for its kind."""

    line: int | None = None
    source_resource: str | None = None
    construct_path: str | None = None
    source_type: str | None = None
    source_properties: frozenset[str] = frozenset()
    global_properties: frozenset[str] = frozenset()
    sources: tuple[str, ...] = ()
    framework: str | None = None


@dataclass(frozen=True, slots=True)
class WaiverMetadata:
    """The `serverless-guard` metadata of a resource as the user wrote it, and its line."""

    block: object
    line: int | None = None


@dataclass(slots=True)
class LoadedStack:
    """The facts of one template and how to point back into its file."""

    file: str
    facts: list[Resource] = field(default_factory=list)
    origins: dict[str, Origin] = field(default_factory=dict)
    waiver_metadata: dict[str, WaiverMetadata] = field(default_factory=dict)
    """The `serverless-guard` metadata by the logical id the user wrote (a SAM resource's,
    before the transform), for `serverless_guard.waivers` to judge."""
    gaps: list[Gap] = field(default_factory=list)
    parent: str | None = None
    """For a nested stack: the resource that deploys it, as `file:LogicalId`."""
    path: str | None = None
    """Where the template is on disk (`file` is the name reports use)."""
    nested: list[LoadedStack] = field(default_factory=list)
    """The stacks that this one deploys from local templates (`AWS::CloudFormation::Stack`)."""

    def locate(self, resource_id: str, at: Path) -> Location:
        origin = self.origins.get(resource_id, Origin())
        return Location(
            file=self.file,
            line=origin.line,
            source_resource=origin.source_resource,
            construct_path=origin.construct_path,
            sources=origin.sources,
            framework=origin.framework,
            parent=self.parent,
        )


def is_sam(template: Mapping[str, Any]) -> bool:
    transform = template.get("Transform")
    names = transform if isinstance(transform, list) else [transform]
    return any(isinstance(n, str) and n.startswith("AWS::Serverless") for n in names)


def looks_like_template(data: Mapping[str, Any]) -> bool:
    return isinstance(data.get("Resources"), Mapping)


def waiver_metadata(resources: Mapping[str, Any]) -> dict[str, WaiverMetadata]:
    """The `serverless-guard` metadata of each resource that has some."""
    out: dict[str, WaiverMetadata] = {}
    for logical_id, body in resources.items():
        metadata = body.get("Metadata") if isinstance(body, Mapping) else None
        if isinstance(metadata, Mapping) and METADATA_KEY in metadata:
            out[logical_id] = WaiverMetadata(metadata[METADATA_KEY], line_of(resources, logical_id))
    return out


def check_template(data: LineDict, name: str) -> None:
    """A document that is a template: it has a mapping of resources."""
    if "Resources" not in data:
        raise InputError("not a CloudFormation template (no Resources section)", file=name)
    if not looks_like_template(data):
        raise InputError(
            "Resources must be a mapping of logical ids to resources",
            file=name,
            line=line_of(data, "Resources"),
        )


def extract_stack(data: LineDict, name: str, origins: Mapping[str, Origin]) -> LoadedStack:
    resources = data["Resources"]
    stack = Stack(
        parameters=_mapping(data.get("Parameters")),
        mappings=_mapping(data.get("Mappings")),
        conditions=_mapping(data.get("Conditions")),
        resources=resources,
    )
    loaded = LoadedStack(file=name)
    base = Resolver(stack, {})
    for logical_id, body in resources.items():
        line = line_of(resources, logical_id)
        if not isinstance(body, Mapping):
            raise InputError(f"resource {logical_id} is not a mapping", file=name, line=line)
        kind = body.get("Type")
        if not isinstance(kind, str) or not kind:
            problem = "has no Type" if kind in (None, "") else "has a Type that is not a string"
            raise InputError(f"resource {logical_id} {problem}", file=name, line=line)
        metadata = body.get("Metadata")
        cdk_path = metadata.get(CDK_PATH) if isinstance(metadata, Mapping) else None
        origin = origins.get(logical_id, Origin())
        loaded.origins[logical_id] = dataclasses.replace(
            origin,
            line=origin.line or line,
            construct_path=cdk_path if isinstance(cdk_path, str) else origin.construct_path,
        )
        extractor = EXTRACTORS.get(kind)
        if extractor is None:
            continue
        condition = body.get("Condition")
        forced: dict[str, bool] = {}
        deployed: Value[bool] = ALWAYS
        if isinstance(condition, str):
            truth = base.condition(condition)
            if truth is False:
                continue  # never deployed
            if truth is None:
                deployed = Unknown(f"it exists only when condition {condition} is true", ())
            forced[condition] = True
        properties = body.get("Properties")
        properties = properties if isinstance(properties, Mapping) else {}
        for assignment in assignments(stack, properties, forced):
            resolved = Resolver(stack, assignment).resolve(properties)
            resource = CfnResource(logical_id, kind, resolved if isinstance(resolved, dict) else {})
            facts = extractor(resource)
            if deployed is not ALWAYS:
                facts = [dataclasses.replace(fact, deployed=deployed) for fact in facts]
            loaded.facts.extend(facts)
    return loaded


def _mapping(node: object) -> Mapping[str, Any]:
    return node if isinstance(node, Mapping) else {}
