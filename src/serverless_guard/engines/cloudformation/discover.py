"""Find the templates behind the paths a user names: files, folders and CDK cloud assemblies.

Discovery reads no template: it lists what the loader (`stack.load_all`) will read.

- A file the user names must be a template.
- A folder is walked (hidden folders and files, dependency folders and SAM build folders are
  skipped); its YAML and JSON files are candidates, read if they are templates (see
  `stack.load_all`). A folder holding a CDK `manifest.json` is a cloud assembly (see `cdk_out`),
  whether it is named or found.
- What a walk cannot read safely is skipped with a notice, never opened or followed: a FIFO, a
  socket or a device, a symbolic link that loops, dangles or leads to a folder, a `manifest.json`
  that is not a cloud assembly (the folder is then walked as any other), a `cdk.out` folder with
  no assembly in it.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from serverless_guard.engines.cloudformation.cdk_out import MANIFEST, is_cloud_assembly, templates
from serverless_guard.errors import InputError

TEMPLATE_SUFFIXES = (".yaml", ".yml", ".json", ".template")
SKIPPED_FOLDERS = frozenset(
    {"node_modules", "__pycache__", ".venv", "venv", ".git", ".aws-sam", ".tox", ".terraform"}
)
ASSEMBLY_FOLDER = "cdk.out"


@dataclass(frozen=True, slots=True)
class Template:
    """A template to load. `named`: the user named it, so it must be a template; `folder`: the
    named folder it was found in; `construct_paths`: logical ids to CDK construct paths, for a
    template of a cloud assembly (`in_assembly`)."""

    path: str
    named: bool = False
    folder: str | None = None
    in_assembly: bool = False
    construct_paths: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Skipped:
    """A path a folder walk left alone, and why (one line)."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass(slots=True)
class Discovery:
    templates: list[Template] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    named_folders: list[str] = field(default_factory=list)


def discover(paths: Sequence[str]) -> Discovery:
    """The templates behind the paths, in order; a path that does not exist, and a named cloud
    assembly that cannot be read or holds no stack, is an `InputError`."""
    for path in paths:
        if not os.path.exists(path):
            raise InputError("no such file or folder", file=path)
    found = Discovery()
    seen: set[str] = set()
    for path in paths:
        real = os.path.realpath(path)
        if real in seen:
            continue
        seen.add(real)
        if not os.path.isdir(path):
            found.templates.append(Template(path, named=True))
        elif is_cloud_assembly(path):
            listed = list(_assembly(path))
            if not listed:
                raise InputError("the cloud assembly holds no stack templates", file=path)
            found.templates.extend(listed)
        else:
            found.named_folders.append(path)
            _walk(path, found)
    return found


def _assembly(folder: str, named_folder: str | None = None) -> Iterator[Template]:
    for path, construct_paths in templates(folder):
        yield Template(path, folder=named_folder, in_assembly=True, construct_paths=construct_paths)


def _walk(folder: str, found: Discovery) -> None:
    for root, dirs, files in os.walk(folder):
        if root != folder and _walk_assembly(root, folder, dirs, found):
            continue
        kept = []
        for name in sorted(dirs):
            path = os.path.join(root, name)
            if name in SKIPPED_FOLDERS or name.startswith("."):
                continue
            if os.path.islink(path):
                found.skipped.append(Skipped(path, "symbolic link to a folder: not followed"))
                continue
            kept.append(name)
        dirs[:] = kept
        for name in sorted(files):
            if not name.endswith(TEMPLATE_SUFFIXES) or name.startswith("."):
                continue
            path = os.path.join(root, name)
            problem = _not_a_plain_file(path)
            if problem:
                found.skipped.append(Skipped(path, problem))
            else:
                found.templates.append(Template(path, folder=folder))


def _walk_assembly(root: str, folder: str, dirs: list[str], found: Discovery) -> bool:
    """A cloud assembly found in a walk: its stacks are listed and its folder is not walked
    (True). A bad or empty one is skipped with a notice; the folder is then walked as any other
    (False), or not at all when it is a `cdk.out` without an assembly (True)."""
    if not is_cloud_assembly(root):
        if os.path.basename(root) == ASSEMBLY_FOLDER:
            found.skipped.append(Skipped(root, "a cdk.out folder without a cloud assembly"))
            dirs[:] = []
            return True
        return False
    try:
        listed = list(_assembly(root, folder))
    except InputError as err:
        where = os.path.join(root, MANIFEST)
        found.skipped.append(
            Skipped(where, f"not a cloud assembly ({err.message}): the folder is read as files")
        )
        return False
    dirs[:] = []
    if not listed:
        found.skipped.append(Skipped(root, "a cloud assembly with no stack templates"))
    found.templates.extend(listed)
    return True


def _not_a_plain_file(path: str) -> str | None:
    """Why a path found in a walk is not read (a FIFO would block, a loop never resolves)."""
    try:
        mode = os.stat(path).st_mode
    except OSError as err:
        if os.path.islink(path):
            return f"symbolic link that cannot be followed ({err.strerror})"
        return f"cannot be read ({err.strerror})"
    if stat.S_ISREG(mode):
        return None
    for test, what in (
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a device"),
        (stat.S_ISBLK, "a device"),
        (stat.S_ISDIR, "a folder"),
    ):
        if test(mode):
            link = "symbolic link to " if os.path.islink(path) else ""
            return f"{link}{what}, not a file: not read"
    return "not a regular file: not read"


_CLAIMS = re.compile(r"AWSTemplateFormatVersion|^[ \t{]*[\"']?Resources[\"']?\s*:", re.MULTILINE)


def claims_to_be_template(text: str) -> bool:
    """Text that says it is a CloudFormation template, even if it does not parse."""
    match = _CLAIMS.search(text)
    if match is None:
        return False
    return match.group(0) == "AWSTemplateFormatVersion" or "AWS::" in text
