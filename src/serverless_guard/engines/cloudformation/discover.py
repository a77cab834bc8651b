"""Find the templates behind the paths a user names: files, folders and CDK cloud assemblies.

- A file the user names must be a template: anything else is an `InputError`. A file that does
  is not named as a template (`app.py`, `main.tf`) and does not parse is "not a CloudFormation
  template", unless its text says it is one; otherwise the parser's error tells what to fix.
- A folder is walked (hidden folders and files, dependency folders and SAM build folders are
  skipped); its YAML and JSON files that are not templates are skipped silently. A file found
  there that says it is a template (it declares `AWSTemplateFormatVersion`, or `Resources` with
  `AWS::` types) but cannot be read as one is an error, not a silent skip. A folder without any
  template is an `InputError`.
- A folder holding a CDK `manifest.json` is a cloud assembly (see `cdk_out`), whether it is
  named or found.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from serverless_guard.engines.cloudformation.cdk_out import CloudAssembly, is_cloud_assembly
from serverless_guard.engines.cloudformation.parse import parse_text, read_text
from serverless_guard.engines.cloudformation.stack import LoadedStack, load_template
from serverless_guard.errors import InputError

TEMPLATE_SUFFIXES = (".yaml", ".yml", ".json", ".template")
SKIPPED_FOLDERS = frozenset(
    {"node_modules", "__pycache__", ".venv", "venv", ".git", ".aws-sam", ".tox", ".terraform"}
)
_CLAIMS = re.compile(r"AWSTemplateFormatVersion|^[ \t{]*[\"']?Resources[\"']?\s*:", re.MULTILINE)


class Source(Protocol):
    def load(self) -> list[LoadedStack]: ...


@dataclass(frozen=True, slots=True)
class TemplateFile:
    """A file the user named: it must be a template."""

    path: str

    def load(self) -> list[LoadedStack]:
        text = read_text(self.path)
        try:
            data = parse_text(text, self.path)
        except InputError:
            if self.path.endswith(TEMPLATE_SUFFIXES) or claims_to_be_template(text):
                raise
            raise InputError(
                "not a CloudFormation template (neither YAML nor JSON)", file=self.path
            ) from None
        return [load_template(data, self.path)]


@dataclass(frozen=True, slots=True)
class FoundTemplate:
    """A file found in a folder: skipped unless it is (or says it is) a template."""

    path: str

    def load(self) -> list[LoadedStack]:
        try:
            text = read_text(self.path)
        except InputError:
            return []  # empty, binary, unreadable or huge: not a template to look at
        try:
            data = parse_text(text, self.path)
        except InputError:
            if claims_to_be_template(text):
                raise
            return []
        if "Resources" not in data and "AWSTemplateFormatVersion" not in data:
            return []
        return [load_template(data, self.path)]


@dataclass(frozen=True, slots=True)
class Folder:
    """A folder the user named: every template and cloud assembly in its tree."""

    path: str

    def load(self) -> list[LoadedStack]:
        stacks = [stack for source in _walk(self.path) for stack in source.load()]
        if not stacks:
            raise InputError("no CloudFormation templates found in this folder", file=self.path)
        return stacks


def claims_to_be_template(text: str) -> bool:
    """Text that says it is a CloudFormation template, even if it does not parse."""
    match = _CLAIMS.search(text)
    if match is None:
        return False
    return match.group(0) == "AWSTemplateFormatVersion" or "AWS::" in text


def _walk(folder: str) -> Iterator[Source]:
    for root, dirs, files in os.walk(folder):
        if is_cloud_assembly(root):
            dirs[:] = []
            yield CloudAssembly(root, named=False)
            continue
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_FOLDERS and not d.startswith("."))
        for name in sorted(files):
            if name.endswith(TEMPLATE_SUFFIXES) and not name.startswith("."):
                yield FoundTemplate(os.path.join(root, name))


def templates_among(paths: Sequence[str]) -> list[str]:
    """The paths a scan should look at when named files may be anything (a pre-commit hook is
    handed every changed YAML and JSON file): folders, and files that are templates, skipped
    or refused as a folder walk would (a file that says it is a template but cannot be read as
    one is an `InputError`). A path that does not exist is kept, for the scan to refuse."""
    return [p for p in paths if not os.path.isfile(p) or FoundTemplate(p).load()]


def discover(paths: Sequence[str]) -> list[Source]:
    """The sources behind the paths, in order; a path that does not exist is an `InputError`."""
    sources: list[Source] = []
    seen: set[tuple[str, str]] = set()
    for path in paths:
        source: Source
        if os.path.isdir(path):
            source = CloudAssembly(path) if is_cloud_assembly(path) else Folder(path)
        elif os.path.exists(path):
            source = TemplateFile(path)
        else:
            raise InputError("no such file or folder", file=path)
        key = (type(source).__name__, os.path.realpath(path))
        if key not in seen:
            seen.add(key)
            sources.append(source)
    return sources
