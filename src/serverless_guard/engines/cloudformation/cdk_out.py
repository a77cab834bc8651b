"""A CDK cloud assembly (`cdk.out`): every stack template, nested assemblies included.

`manifest.json` lists the artifacts of an assembly. Stacks (`aws:cloudformation:stack`) name
their template in `properties.templateFile`; CDK Stages are nested assemblies
(`cdk:cloud-assembly`) in the folder `properties.directoryName`, read the same way. Templates of
nested CloudFormation stacks (`*.nested.template.json`) are file assets rather than artifacts:
they are scanned too.

A resource's construct path comes from its `aws:cdk:path` metadata in the template (the CDK CLI
writes it). When an app was synthesized without path metadata, the path is taken from the
stack's artifact metadata (`aws:cdk:logicalId` entries, in the manifest or in the file named by
`additionalMetadataFile`).

File names are the folder as the user named it joined with the name in the manifest, e.g.
`cdk.out/MyStack.template.json` or `cdk.out/assembly-Prod/ProdApi1A2B3C4D.template.json`.

Rules acknowledged with `Validations.of(construct).acknowledge(...)` are recorded in the stack
artifacts' metadata (`aws:cdk:acknowledged-rules`, read by `serverless_guard.cdk.assembly`), for
the constructs inside each stack: the CDK writes none for the app or its stages.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from serverless_guard.cdk.assembly import Acknowledgement, read_stack
from serverless_guard.engines.cloudformation.parse import read_text
from serverless_guard.errors import InputError

MANIFEST = "manifest.json"
MARKER = "cdk.out"
STACK_ARTIFACT = "aws:cloudformation:stack"
ASSEMBLY_ARTIFACT = "cdk:cloud-assembly"
NESTED_STACK_SUFFIX = ".nested.template.json"
MAX_ASSEMBLY_DEPTH = 20


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


def acknowledgements_by_folder(
    template_paths: Iterable[str],
) -> dict[str, tuple[Acknowledgement, ...]]:
    """The acknowledgements recorded in each cloud assembly folder that holds one of the
    templates, by folder. They apply to the stacks of that folder only: a stack's nested stack
    templates lie beside it, and each CDK Stage has a folder (an assembly) of its own."""
    assemblies: dict[str, bool] = {}
    found: dict[str, dict[Acknowledgement, None]] = {}
    for template in template_paths:
        folder = os.path.dirname(template)
        if folder not in assemblies:
            assemblies[folder] = is_cloud_assembly(folder or os.curdir)
        if assemblies[folder]:
            acknowledged = read_stack(template).acknowledgements
            found.setdefault(folder, {}).update(dict.fromkeys(acknowledged))
    return {folder: tuple(acks) for folder, acks in found.items() if acks}


def templates(folder: str) -> Iterator[tuple[str, Mapping[str, str]]]:
    """Each stack template of the assembly in `folder`, with the construct paths of its resources
    by logical id as the artifact metadata gives them (often empty)."""
    yield from _assembly(folder, set(), 0)


def _assembly(folder: str, seen: set[str], depth: int) -> Iterator[tuple[str, Mapping[str, str]]]:
    real = os.path.realpath(folder)
    manifest = os.path.join(folder, MANIFEST)
    if real in seen or depth > MAX_ASSEMBLY_DEPTH:
        raise InputError("nested cloud assemblies form a cycle", file=manifest)
    seen.add(real)
    artifacts = _artifacts(manifest)
    listed: set[str] = set()
    for name, artifact in artifacts.items():
        kind = artifact.get("type")
        properties = artifact.get("properties")
        if kind not in (STACK_ARTIFACT, ASSEMBLY_ARTIFACT):
            continue
        if not isinstance(properties, Mapping):
            raise InputError(f"artifact {name!r} has no properties", file=manifest)
        if kind == ASSEMBLY_ARTIFACT:
            directory = _inside(properties, "directoryName", name, manifest)
            nested = folder if directory == os.curdir else os.path.join(folder, directory)
            yield from _assembly(nested, seen, depth + 1)
            continue
        template = _inside(properties, "templateFile", name, manifest)
        by_file = _logical_paths(folder, name, artifact, template, manifest)
        for file in (template, *sorted(set(by_file) - {template})):
            if file not in listed:
                listed.add(file)
                yield os.path.join(folder, file), by_file.get(file, {})
    for file in _nested_templates(folder):
        if file not in listed:
            listed.add(file)
            yield os.path.join(folder, file), {}


def _read_json(path: str) -> object:
    text = read_text(path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(f"invalid JSON: {err.msg}", file=path, line=err.lineno) from None
    except RecursionError:
        raise InputError("invalid JSON: nested too deep", file=path) from None


def _artifacts(manifest: str) -> dict[str, Mapping[str, Any]]:
    data = _read_json(manifest)
    if not isinstance(data, dict):
        raise InputError("not a cloud assembly manifest (not a JSON object)", file=manifest)
    artifacts = data.get("artifacts", {})
    if not isinstance(artifacts, dict):
        raise InputError("cloud assembly manifest: artifacts must be an object", file=manifest)
    for name, artifact in artifacts.items():
        if not isinstance(artifact, dict) or not isinstance(artifact.get("type"), str):
            raise InputError(f"artifact {name!r} has no type", file=manifest)
    return artifacts


def _inside(properties: Mapping[str, Any], key: str, artifact: str, manifest: str) -> str:
    """A relative path from the manifest that stays inside the assembly folder."""
    value = properties.get(key)
    if not isinstance(value, str) or not value:
        raise InputError(f"artifact {artifact!r} has no {key}", file=manifest)
    normal = _relative(value)
    if normal is None:
        raise InputError(
            f"artifact {artifact!r}: {key} {value!r} is outside the assembly folder", file=manifest
        )
    return normal


def _relative(value: str) -> str | None:
    normal = os.path.normpath(value)
    if os.path.isabs(value) or normal == ".." or normal.startswith(".." + os.sep):
        return None
    return normal


def _nested_templates(folder: str) -> list[str]:
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    return sorted(n for n in names if n.endswith(NESTED_STACK_SUFFIX))


def _logical_paths(
    folder: str, name: str, artifact: Mapping[str, Any], template: str, manifest: str
) -> dict[str, dict[str, str]]:
    """Construct paths by template file and logical id, from the artifact's metadata.

    Each `aws:cdk:logicalId` entry belongs to the deepest stack whose `aws:cdk:templateFile`
    entry's construct path contains it; without such entries, to the artifact's own template.
    """
    metadata: dict[str, Any] = {}
    inline = artifact.get("metadata")
    if isinstance(inline, Mapping):
        metadata.update(inline)
    extra = artifact.get("additionalMetadataFile")
    if isinstance(extra, str) and extra:
        path = os.path.join(folder, _inside(artifact, "additionalMetadataFile", name, manifest))
        data = _read_json(path)
        if isinstance(data, Mapping):
            metadata.update(data)
    files: dict[str, str] = {}
    ids: list[tuple[str, str]] = []
    for path, entries in metadata.items():
        if not isinstance(path, str) or not isinstance(entries, list):
            continue
        for entry in entries:
            if not isinstance(entry, Mapping) or not isinstance(entry.get("data"), str):
                continue
            file = _relative(entry["data"])
            if entry.get("type") == "aws:cdk:templateFile" and file is not None:
                files[path] = file
            elif entry.get("type") == "aws:cdk:logicalId":
                ids.append((path, entry["data"]))
    by_file: dict[str, dict[str, str]] = {template: {}}
    for path, logical_id in ids:
        owners = [p for p in files if path.startswith(p + "/")]
        file = files[max(owners, key=len)] if owners else template
        by_file.setdefault(file, {})[logical_id] = path.lstrip("/")
    return by_file
