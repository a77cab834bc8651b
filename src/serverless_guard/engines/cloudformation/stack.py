"""A CloudFormation template as facts: parse, transform SAM, resolve intrinsics, extract.

The template is parsed once and each resource resolved once per condition variant (usually
one); extractors then read the resolved properties.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from serverless_guard.engines.cloudformation.extract import EXTRACTORS, CfnResource
from serverless_guard.engines.cloudformation.intrinsics import Resolver, Stack, assignments
from serverless_guard.engines.cloudformation.parse import LineDict, line_of, parse_text, read_text
from serverless_guard.errors import InputError
from serverless_guard.facts.base import ALWAYS, Resource
from serverless_guard.facts.value import Path, Unknown, Value
from serverless_guard.findings import Location, Suppression

METADATA_KEY = "serverless-guard"
CDK_PATH = "aws:cdk:path"


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a resource of the (transformed) template comes from in the user's file."""

    line: int | None = None
    source_resource: str | None = None
    construct_path: str | None = None


@dataclass(slots=True)
class LoadedStack:
    """The facts of one template and how to point back into its file."""

    file: str
    facts: list[Resource] = field(default_factory=list)
    origins: dict[str, Origin] = field(default_factory=dict)
    suppressions: dict[str, list[Suppression]] = field(default_factory=dict)

    def locate(self, resource_id: str, at: Path) -> Location:
        origin = self.origins.get(resource_id, Origin())
        return Location(
            file=self.file,
            line=origin.line,
            source_resource=origin.source_resource,
            construct_path=origin.construct_path,
        )


def is_sam(template: Mapping[str, Any]) -> bool:
    transform = template.get("Transform")
    names = transform if isinstance(transform, list) else [transform]
    return any(isinstance(n, str) and n.startswith("AWS::Serverless") for n in names)


def looks_like_template(data: Mapping[str, Any]) -> bool:
    return isinstance(data.get("Resources"), Mapping)


def _suppressions(metadata: object) -> list[Suppression]:
    if not isinstance(metadata, Mapping):
        return []
    block = metadata.get(METADATA_KEY)
    if not isinstance(block, Mapping):
        return []
    entries = block.get("suppress")
    if not isinstance(entries, list):
        return []
    out: list[Suppression] = []
    for entry in entries:
        if isinstance(entry, Mapping):
            out.append(Suppression(str(entry.get("id", "")), str(entry.get("reason") or "")))
    return out


def load_file(path: str, display_name: str | None = None) -> LoadedStack:
    name = display_name or path
    data = parse_text(read_text(path), name)
    return load_template(data, name)


def load_template(data: LineDict, name: str) -> LoadedStack:
    if "Resources" not in data:
        raise InputError("not a CloudFormation template (no Resources section)", file=name)
    if not looks_like_template(data):
        raise InputError(
            "Resources must be a mapping of logical ids to resources",
            file=name,
            line=line_of(data, "Resources"),
        )
    origins: dict[str, Origin] = {}
    if is_sam(data):
        from serverless_guard.engines.cloudformation.sam import transform

        data, origins = transform(data, name)
    return extract_stack(data, name, origins)


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
        loaded.origins[logical_id] = Origin(
            line=origin.line or line,
            source_resource=origin.source_resource,
            construct_path=cdk_path if isinstance(cdk_path, str) else origin.construct_path,
        )
        suppressions = _suppressions(metadata)
        if suppressions:
            loaded.suppressions[logical_id] = suppressions
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
                facts = (dataclasses.replace(fact, deployed=deployed) for fact in facts)
            loaded.facts.extend(facts)
    return loaded


def _mapping(node: object) -> Mapping[str, Any]:
    return node if isinstance(node, Mapping) else {}


def load_paths(paths: Sequence[str]) -> list[LoadedStack]:
    """Every template behind the given files and folders (cdk.out folders included)."""
    from serverless_guard.engines.cloudformation.discover import discover

    return [stack for source in discover(paths) for stack in source.load()]
