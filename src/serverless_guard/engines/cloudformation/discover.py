"""Find the templates behind the paths a user names: files, folders and CDK cloud assemblies."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from serverless_guard.errors import InputError

TEMPLATE_SUFFIXES = (".yaml", ".yml", ".json", ".template")
SKIPPED_FOLDERS = {"node_modules", "__pycache__", ".venv", "venv", ".git", ".aws-sam"}


class Source(Protocol):
    def load(self) -> list[LoadedStack]: ...


@dataclass(frozen=True, slots=True)
class TemplateFile:
    """A file the user named: it must be a template."""

    path: str

    def load(self) -> list[LoadedStack]:
        return [load_file(self.path)]


@dataclass(frozen=True, slots=True)
class FoundTemplate:
    """A file found in a folder: skipped unless it is a template."""

    path: str

    def load(self) -> list[LoadedStack]:
        try:
            data = parse_text(read_text(self.path), self.path)
        except InputError:
            return []
        if not looks_like_template(data):
            return []
        return [load_template(data, self.path)]


def is_cloud_assembly(folder: str) -> bool:
    return os.path.isfile(os.path.join(folder, "manifest.json"))


def _walk(folder: str) -> Iterator[Source]:
    for root, dirs, files in os.walk(folder):
        if is_cloud_assembly(root):
            yield CloudAssembly(root)
            dirs[:] = []
            continue
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_FOLDERS and not d.startswith("."))
        for name in sorted(files):
            if name.endswith(TEMPLATE_SUFFIXES) and name != "manifest.json":
                yield FoundTemplate(os.path.join(root, name))


def discover(paths: Sequence[str]) -> list[Source]:
    sources: list[Source] = []
    for path in paths:
        if os.path.isdir(path):
            found = list(_walk(path))
            if not found:
                raise InputError("no CloudFormation templates found in this folder", file=path)
            sources.extend(found)
        elif os.path.exists(path):
            sources.append(TemplateFile(path))
        else:
            raise InputError("no such file or folder", file=path)
    return sources


from serverless_guard.engines.cloudformation.cdk_out import CloudAssembly  # noqa: E402
from serverless_guard.engines.cloudformation.parse import parse_text, read_text  # noqa: E402
from serverless_guard.engines.cloudformation.stack import (  # noqa: E402
    LoadedStack,
    load_file,
    load_template,
    looks_like_template,
)
