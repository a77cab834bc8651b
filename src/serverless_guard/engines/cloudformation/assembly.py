"""What a CDK cloud assembly says about its stacks: templates, construct paths, acknowledgements.

`manifest.json` lists an assembly's artifacts. A stack artifact (`aws:cloudformation:stack`) names
its template (`properties.templateFile`) and carries the metadata of every construct inside the
stack (inline, or in the file named by `additionalMetadataFile`):

- `aws:cdk:templateFile` on a (nested) stack's construct: the template it is synthesized to, so
  the templates of nested CloudFormation stacks, which have no artifact of their own, are found;
- `aws:cdk:logicalId` on a resource's construct: its logical id, so a resource's construct path
  is known even when the template has no `aws:cdk:path` metadata (an app synthesized without the
  CDK CLI);
- `aws:cdk:acknowledged-rules` on a construct: the rules acknowledged there with
  `Validations.of(construct).acknowledge(...)`, `{"<plugin>::<rule>": "<reason>"}`. The CDK writes
  none for the app or its stages (a validation plugin reads those from the construct tree).

Reading them here costs one file per stack; asking the construct tree for the same metadata
costs a round trip to the CDK's JavaScript runtime per construct. Nothing here needs aws-cdk-lib.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from serverless_guard.engines.cloudformation.parse import read_text
from serverless_guard.errors import InputError

MANIFEST = "manifest.json"
MARKER = "cdk.out"
STACK_ARTIFACT = "aws:cloudformation:stack"
TEMPLATE_FILE = "aws:cdk:templateFile"
LOGICAL_ID = "aws:cdk:logicalId"
ACKNOWLEDGED_RULES = "aws:cdk:acknowledged-rules"
MAX_ASSEMBLY_DEPTH = 20


@dataclass(frozen=True, slots=True)
class Acknowledgement:
    """One acknowledged rule id (`plugin::rule`) on the construct at `path` (`""`: the app), with
    the reason as recorded (text, normally; judged by `serverless_guard.waivers`)."""

    path: str
    id: str
    reason: object


@dataclass(frozen=True, slots=True)
class StackFiles:
    """A stack template and what the assembly says about it. `construct_paths` gives, for the
    stack's template and each nested one, the construct path of each logical id."""

    template: str
    construct_path: str | None = None
    nested_templates: tuple[str, ...] = ()
    acknowledgements: tuple[Acknowledgement, ...] = ()
    construct_paths: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


def acknowledgements_in(path: str, entries: object) -> Iterator[Acknowledgement]:
    """The acknowledgements among one construct's metadata entries (objects or JSON-like)."""
    if not isinstance(entries, list):
        return
    for entry in entries:
        if not isinstance(entry, Mapping) or entry.get("type") != ACKNOWLEDGED_RULES:
            continue
        yield from acknowledgements_of(path, entry.get("data"))


def acknowledgements_of(path: str, data: object) -> Iterator[Acknowledgement]:
    """The acknowledgements in the data of one `aws:cdk:acknowledged-rules` entry."""
    if isinstance(data, Mapping):
        for rule_id, reason in data.items():
            yield Acknowledgement(path, str(rule_id), reason)


def is_cloud_assembly(folder: str) -> bool:
    """A folder with a `manifest.json` that CDK wrote (a `cdk.out` marker beside it, or artifacts
    in it). Other tools' `manifest.json` files (web apps, browser extensions) do not count."""
    manifest = os.path.join(folder, MANIFEST)
    if not os.path.isfile(manifest):
        return False
    if os.path.isfile(os.path.join(folder, MARKER)):
        return True
    try:
        with open(manifest, "rb") as handle:
            head = handle.read(64 * 1024)
    except OSError:
        return False
    return b'"artifacts"' in head


def read_stack(template: str) -> StackFiles:
    """The stack whose template is `template`, from the manifest beside it. A template that no
    manifest describes is a stack without construct path, nested stacks or acknowledgements."""
    folder = os.path.dirname(template) or os.curdir
    name = os.path.basename(template)
    manifest = os.path.join(folder, MANIFEST)
    if not os.path.isfile(manifest):
        return StackFiles(template=template, construct_paths={template: {}})
    for artifact_name, artifact in artifacts_of(read_json(manifest), manifest).items():
        properties = artifact.get("properties")
        if (
            artifact.get("type") == STACK_ARTIFACT
            and isinstance(properties, Mapping)
            and properties.get("templateFile") == name
        ):
            return stack_files(os.path.dirname(template), artifact_name, artifact, manifest)
    return StackFiles(template=template, construct_paths={template: {}})


def stack_files(folder: str, name: str, artifact: Mapping[str, Any], manifest: str) -> StackFiles:
    """A stack artifact of the manifest in `folder` (file names are joined to `folder` as
    given), its nested stacks' templates, its construct paths and acknowledgements.

    Each `aws:cdk:logicalId` entry belongs to the deepest (nested) stack whose
    `aws:cdk:templateFile` entry's construct path contains it; else to the artifact's template."""
    properties = artifact.get("properties")
    if not isinstance(properties, Mapping):
        raise InputError(f"artifact {name!r} has no properties", file=manifest)
    template_name = relative_path(properties, "templateFile", name, manifest)
    template = os.path.join(folder, template_name)
    display_name = artifact.get("displayName")
    construct_path = display_name if isinstance(display_name, str) else None
    files: dict[str, str] = {}  # construct path of a stack (or nested stack) -> its template
    logical_ids: list[tuple[str, str]] = []
    acknowledged: list[Acknowledgement] = []
    for key, entries in _metadata(folder, name, artifact, manifest).items():
        if not isinstance(key, str) or not isinstance(entries, list):
            continue
        path = key.lstrip("/")
        acknowledged.extend(acknowledgements_in(path, entries))
        for entry in entries:
            if not isinstance(entry, Mapping) or not isinstance(entry.get("data"), str):
                continue
            data = entry["data"]
            if entry.get("type") == LOGICAL_ID:
                logical_ids.append((path, data))
            elif entry.get("type") == TEMPLATE_FILE:
                relative = inside(data)
                if relative == template_name:
                    construct_path = path
                    files[path] = template
                elif relative is not None:
                    files[path] = os.path.join(folder, relative)
    construct_paths: dict[str, dict[str, str]] = {template: {}}
    for path, logical_id in logical_ids:
        owners = [p for p in files if path.startswith(p + "/")]
        file = files[max(owners, key=len)] if owners else template
        construct_paths.setdefault(file, {})[logical_id] = path
    return StackFiles(
        template=template,
        construct_path=construct_path,
        nested_templates=tuple(sorted(set(files.values()) - {template})),
        acknowledgements=tuple(acknowledged),
        construct_paths=construct_paths,
    )


def artifacts_of(data: object, manifest: str) -> dict[str, Mapping[str, Any]]:
    """The artifacts of a manifest's data, each an object with a type."""
    if not isinstance(data, dict):
        raise InputError("not a cloud assembly manifest (not a JSON object)", file=manifest)
    artifacts = data.get("artifacts", {})
    if not isinstance(artifacts, dict):
        raise InputError("cloud assembly manifest: artifacts must be an object", file=manifest)
    for name, artifact in artifacts.items():
        if not isinstance(artifact, dict) or not isinstance(artifact.get("type"), str):
            raise InputError(f"artifact {name!r} has no type", file=manifest)
    return artifacts


def read_json(path: str) -> object:
    text = read_text(path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(f"invalid JSON: {err.msg}", file=path, line=err.lineno) from None
    except RecursionError:
        raise InputError("invalid JSON: nested too deep", file=path) from None


def inside(relative: str) -> str | None:
    """A path relative to the assembly folder that stays inside it, else None."""
    normal = os.path.normpath(relative)
    if os.path.isabs(relative) or normal == os.pardir or normal.startswith(os.pardir + os.sep):
        return None
    return normal


def relative_path(properties: Mapping[str, Any], key: str, artifact: str, manifest: str) -> str:
    """A path given by an artifact's `key` that stays inside the assembly folder."""
    value = properties.get(key)
    if not isinstance(value, str) or not value:
        raise InputError(f"artifact {artifact!r} has no {key}", file=manifest)
    normal = inside(value)
    if normal is None:
        raise InputError(
            f"artifact {artifact!r}: {key} {value!r} is outside the assembly folder", file=manifest
        )
    return normal


def _metadata(folder: str, name: str, artifact: Mapping[str, Any], manifest: str) -> dict[str, Any]:
    """The artifact's construct metadata: inline, and in its `additionalMetadataFile`."""
    metadata: dict[str, Any] = {}
    inline = artifact.get("metadata")
    if isinstance(inline, Mapping):
        metadata.update(inline)
    if artifact.get("additionalMetadataFile"):
        extra = relative_path(artifact, "additionalMetadataFile", name, manifest)
        more = read_json(os.path.join(folder, extra))
        if isinstance(more, Mapping):
            metadata.update(more)
    return metadata
