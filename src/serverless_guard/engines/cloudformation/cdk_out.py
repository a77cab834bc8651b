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
artifacts' metadata (`aws:cdk:acknowledged-rules`, read by `assembly.py`), for the constructs
inside each stack: the CDK writes none for the app or its stages. `assembly_origins.py` sets what
the assembly says about each loaded stack's resources.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping

from serverless_guard.engines.cloudformation.assembly import (
    MANIFEST,
    MAX_ASSEMBLY_DEPTH,
    STACK_ARTIFACT,
    artifacts_of,
    is_cloud_assembly,
    read_json,
    relative_path,
    stack_files,
)
from serverless_guard.errors import InputError

ASSEMBLY_ARTIFACT = "cdk:cloud-assembly"
NESTED_STACK_SUFFIX = ".nested.template.json"

__all__ = ["MANIFEST", "is_cloud_assembly", "templates"]


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
    listed: set[str] = set()
    for name, artifact in artifacts_of(read_json(manifest), manifest).items():
        kind = artifact.get("type")
        if kind == ASSEMBLY_ARTIFACT:
            properties = artifact.get("properties")
            if not isinstance(properties, Mapping):
                raise InputError(f"artifact {name!r} has no properties", file=manifest)
            directory = relative_path(properties, "directoryName", name, manifest)
            nested = folder if directory == os.curdir else os.path.join(folder, directory)
            yield from _assembly(nested, seen, depth + 1)
        elif kind == STACK_ARTIFACT:
            stack = stack_files(folder, name, artifact, manifest)
            for file in (stack.template, *stack.nested_templates):
                if file not in listed:
                    listed.add(file)
                    yield file, stack.construct_paths.get(file, {})
    for file in _nested_templates(folder):
        path = os.path.join(folder, file)
        if path not in listed:
            listed.add(path)
            yield path, {}


def _nested_templates(folder: str) -> list[str]:
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    return sorted(n for n in names if n.endswith(NESTED_STACK_SUFFIX))
