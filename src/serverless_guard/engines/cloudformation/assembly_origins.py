"""What a cloud assembly says about the resources of loaded stacks: their construct paths, and
which of them aws-cdk-lib created on its own.

A stack can be found in an assembly folder or named by its template file: either way, when its
folder is a cloud assembly, the assembly's manifest gives the construct paths the template lacks
(an app synthesized without path metadata) and its acknowledgements, and the app's construct
tree (`cdk_framework.py`) shows the resources aws-cdk-lib added."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable, Mapping

from serverless_guard.engines.cloudformation.assembly import (
    Acknowledgement,
    is_cloud_assembly,
    read_stack,
)
from serverless_guard.engines.cloudformation.cdk_framework import (
    ConstructTree,
    framework_of,
    tree_near,
)
from serverless_guard.engines.cloudformation.stack import LoadedStack


def read_assemblies(stacks: Iterable[LoadedStack]) -> dict[str, list[Acknowledgement]]:
    """What the cloud assemblies that hold the given stacks say about them, whether the stacks
    were found in an assembly folder or named one by one: each stack's construct paths and the
    resources aws-cdk-lib created (set on its origins), and the acknowledgements recorded in
    each assembly folder, by folder. Acknowledgements apply to the stacks of their folder only:
    a stack's nested stack templates lie beside it, and each CDK Stage has a folder (an
    assembly) of its own."""
    by_file = {stack.file: stack for stack in stacks}
    assemblies: dict[str, bool] = {}
    found: dict[str, list[Acknowledgement]] = {}
    for template in list(by_file):
        folder = os.path.dirname(template)
        if folder not in assemblies:
            assemblies[folder] = is_cloud_assembly(folder or os.curdir)
        if not assemblies[folder]:
            continue
        files = read_stack(template)
        tree = tree_near(folder or os.curdir)
        for file in (files.template, *files.nested_templates):
            if file in by_file:
                with_assembly_origins(by_file[file], files.construct_paths.get(file, {}), tree)
        found.setdefault(folder, []).extend(files.acknowledgements)
    return found


def with_assembly_origins(
    stack: LoadedStack, paths: Mapping[str, str], tree: ConstructTree | None
) -> LoadedStack:
    """The stack with the construct paths the assembly gives for resources whose template has
    none, and the aws-cdk-lib feature that created each resource the construct tree shows."""
    for logical_id, origin in stack.origins.items():
        construct_path = origin.construct_path or paths.get(logical_id)
        framework = framework_of(construct_path, tree) if construct_path and tree else None
        if construct_path != origin.construct_path or framework != origin.framework:
            stack.origins[logical_id] = dataclasses.replace(
                origin, construct_path=construct_path, framework=framework
            )
    return stack
