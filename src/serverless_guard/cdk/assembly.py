"""What the CDK wrote beside a stack template, as the validation plugin needs it.

A validation plugin is given the templates of the stacks it validates. The cloud assembly's
`manifest.json`, in the same folder, describes each stack: its construct path, the templates of
its nested stacks (CloudFormation stacks inside it, which have no artifact of their own and are
not handed to plugins), and the metadata of every construct inside it, including the rules
acknowledged with `Validations.of(construct).acknowledge(...)` (entries of type
`aws:cdk:acknowledged-rules`, `{"<plugin>::<rule>": "<reason>"}`). Reading them here costs one
file per stack; asking the construct tree for the same metadata costs a round trip to the CDK's
JavaScript runtime per construct.

Nothing here needs aws-cdk-lib.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from serverless_guard.errors import InputError

MANIFEST = "manifest.json"
STACK_ARTIFACT = "aws:cloudformation:stack"
TEMPLATE_FILE = "aws:cdk:templateFile"
LOGICAL_ID = "aws:cdk:logicalId"
ACKNOWLEDGED_RULES = "aws:cdk:acknowledged-rules"


@dataclass(frozen=True, slots=True)
class Acknowledgement:
    """One acknowledged rule id (`plugin::rule`) on the construct at `path` (`""`: the app)."""

    path: str
    id: str
    reason: str


@dataclass(frozen=True, slots=True)
class StackFiles:
    """A stack template and what the assembly says about it. `construct_paths` gives, for the
    stack's template and each nested one, the construct path of each logical id (templates
    synthesized outside the CDK CLI have no `aws:cdk:path` metadata)."""

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
            yield Acknowledgement(path, str(rule_id), reason if isinstance(reason, str) else "")


def read_stack(template: str) -> StackFiles:
    """The stack whose template is `template`, from the manifest beside it. A template that no
    manifest describes is a stack without construct path, nested stacks or acknowledgements."""
    folder = os.path.dirname(template) or os.curdir
    name = os.path.basename(template)
    artifact = _stack_artifact(folder, name)
    metadata = _metadata(folder, artifact)
    display_name = artifact.get("displayName")
    construct_path = display_name if isinstance(display_name, str) else None
    files: dict[str, str] = {}  # construct path of a stack (or nested stack) -> its template
    logical_ids: list[tuple[str, str]] = []
    acknowledged: list[Acknowledgement] = []
    for key, entries in metadata.items():
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
                relative = _inside(data)
                if data == name:
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


def _stack_artifact(folder: str, template_name: str) -> Mapping[str, Any]:
    """The manifest's stack artifact for the template (empty without one)."""
    manifest = os.path.join(folder, MANIFEST)
    if not os.path.isfile(manifest):
        return {}
    data = _read_json(manifest)
    artifacts = data.get("artifacts") if isinstance(data, Mapping) else None
    if not isinstance(artifacts, Mapping):
        return {}
    for artifact in artifacts.values():
        if not isinstance(artifact, Mapping) or artifact.get("type") != STACK_ARTIFACT:
            continue
        properties = artifact.get("properties")
        if isinstance(properties, Mapping) and properties.get("templateFile") == template_name:
            return artifact
    return {}


def _metadata(folder: str, artifact: Mapping[str, Any]) -> dict[str, Any]:
    """The artifact's construct metadata: inline, and in its `additionalMetadataFile`."""
    metadata: dict[str, Any] = {}
    inline = artifact.get("metadata")
    if isinstance(inline, Mapping):
        metadata.update(inline)
    extra = artifact.get("additionalMetadataFile")
    if isinstance(extra, str) and _inside(extra) is not None:
        more = _read_json(os.path.join(folder, extra))
        if isinstance(more, Mapping):
            metadata.update(more)
    return metadata


def _inside(relative: str) -> str | None:
    """A path relative to the assembly folder that stays inside it, else None."""
    normal = os.path.normpath(relative)
    if os.path.isabs(relative) or normal == os.pardir or normal.startswith(os.pardir + os.sep):
        return None
    return normal


def _read_json(path: str) -> object:
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"cannot read: {err}", file=path) from None
    except json.JSONDecodeError as err:
        raise InputError(f"invalid JSON: {err.msg}", file=path, line=err.lineno) from None
