"""Templates into stacks of facts, top-down, in the order CloudFormation itself works:

    discover (files, folders, cloud assemblies)      discover.py, cdk_out.py
    -> load a document                               parse.py
    -> expand: includes and other macros             include.py
               language extensions                   language_extensions.py
               local SAM definition files            sam_files.py
    -> SAM transform                                 sam.py
    -> facts of the stack                            stack_facts.py
    -> nested stacks from local templates, each loaded the same way, with the parameters the
       parent passes (remote ones and cycles reported)

What cannot be seen or read on the way is kept as a `Gap` on its stack. `load_all` scans on
past a file that cannot be read (it is returned as an error for the caller to report), except
when the user named one file only.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from serverless_guard.engines.cloudformation.discover import (
    TEMPLATE_SUFFIXES,
    Skipped,
    Template,
    claims_to_be_template,
    discover,
)
from serverless_guard.engines.cloudformation.gaps import Gap
from serverless_guard.engines.cloudformation.include import Unreadable, expand_includes, local_path
from serverless_guard.engines.cloudformation.intrinsics import Resolver, Stack
from serverless_guard.engines.cloudformation.language_extensions import (
    expand as expand_language_extensions,
)
from serverless_guard.engines.cloudformation.parse import LineDict, parse_text, read_text
from serverless_guard.engines.cloudformation.sam import ARTIFACT_BUCKET, transform
from serverless_guard.engines.cloudformation.sam_files import read_definitions
from serverless_guard.engines.cloudformation.stack_facts import (
    CDK_PATH,
    METADATA_KEY,
    LoadedStack,
    Origin,
    check_template,
    extract_stack,
    is_sam,
    looks_like_template,
    waiver_metadata,
)
from serverless_guard.errors import InputError
from serverless_guard.facts.nodes import Opaque, Ref, Text, render

__all__ = [
    "CDK_PATH",
    "METADATA_KEY",
    "Loaded",
    "LoadedStack",
    "Origin",
    "extract_stack",
    "is_sam",
    "load_all",
    "load_file",
    "load_paths",
    "load_template",
    "looks_like_template",
]

NESTED_STACK = "AWS::CloudFormation::Stack"
SAM_APPLICATION = "AWS::Serverless::Application"
MAX_NESTING = 10
_CDK_ASSET = "aws:asset:path"
_REMOTE = ("s3://", "https://", "http://")


@dataclass(slots=True)
class Loaded:
    """Every stack behind the paths; the files that could not be read; what a walk skipped."""

    stacks: list[LoadedStack] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def load_file(path: str, display_name: str | None = None, *, nested: bool = True) -> LoadedStack:
    """One template file and (with `nested`) the local nested stacks it deploys."""
    name = display_name or path
    return load_template(parse_text(read_text(path), name), name, path=path, nested=nested)


def load_template(
    data: LineDict,
    name: str,
    *,
    path: str | None = None,
    nested: bool = True,
    parent: str | None = None,
    ancestors: tuple[str, ...] = (),
) -> LoadedStack:
    """A parsed template as a stack of facts: expanded, SAM transformed, extracted."""
    check_template(data, name)
    path = path or name
    data, gaps = expand_includes(data, path, name)
    data, more = expand_language_extensions(data, name)
    gaps += more
    written = waiver_metadata(data["Resources"])
    origins: dict[str, Origin] = {}
    if is_sam(data):
        gaps += read_definitions(data, path)
        gaps += _repository_applications(data)
        data, origins = transform(data, name, gaps)
    loaded = extract_stack(data, name, origins)
    loaded.gaps, loaded.parent, loaded.path = gaps, parent, path
    loaded.waiver_metadata = written
    if nested:
        _Nested(data, loaded, (*ancestors, os.path.realpath(path))).load()
    return loaded


def load_paths(paths: Sequence[str]) -> list[LoadedStack]:
    """Every stack behind the given files and folders; the first file that cannot be read is
    raised (`load_all` reports it and goes on)."""
    loaded = load_all(paths)
    if loaded.errors:
        raise loaded.errors[0]
    return loaded.stacks


def load_all(paths: Sequence[str]) -> Loaded:
    """Every stack behind the given files and folders (cdk.out folders included), nested
    stacks after their parent. A path that does not exist, and a single named file that cannot
    be read, raise `InputError`; other unreadable files are returned in `errors`."""
    found = discover(paths)
    out = Loaded(skipped=found.skipped)
    alone = len(paths) == 1
    read: dict[str | None, int] = {}  # templates read, or reported, by named folder
    for template in found.templates:
        try:
            stacks = _load(template)
        except InputError as err:
            if template.named and alone:
                raise
            out.errors.append(err)
            read[template.folder] = read.get(template.folder, 0) + 1
            continue
        read[template.folder] = read.get(template.folder, 0) + len(stacks)
        out.stacks.extend(stacks)
    for folder in found.named_folders:
        if not read.get(folder) and not any(
            s.path.startswith(os.path.join(folder, "")) for s in found.skipped
        ):
            raise InputError("no CloudFormation templates found in this folder", file=folder)
    return _without_duplicates(out)


def _load(template: Template) -> list[LoadedStack]:
    if template.named:
        return _flatten(load_template(_read_named(template.path), template.path))
    if template.in_assembly:
        loaded = load_file(template.path, nested=False)
        return [_with_construct_paths(loaded, template.construct_paths)]
    data = _read_found(template.path)
    return [] if data is None else _flatten(load_template(data, template.path))


def _read_named(path: str) -> LineDict:
    """A file the user named: it must be a template. One that is not named as a template
    (`app.py`, `main.tf`) and does not parse is "not a CloudFormation template", unless its text
    says it is one; otherwise the parser's error tells what to fix."""
    text = read_text(path)
    try:
        return parse_text(text, path)
    except InputError:
        if path.endswith(TEMPLATE_SUFFIXES) or claims_to_be_template(text):
            raise
        raise InputError(
            "not a CloudFormation template (neither YAML nor JSON)", file=path
        ) from None


def _read_found(path: str) -> LineDict | None:
    """A file found in a folder: None unless it is (or says it is) a template; one that says it
    is a template but cannot be read as one is an `InputError`."""
    try:
        text = read_text(path, regular_only=True)
    except InputError:
        return None  # empty, binary or huge: not a template to look at
    try:
        data = parse_text(text, path)
    except InputError:
        if claims_to_be_template(text):
            raise
        return None
    if "Resources" not in data and "AWSTemplateFormatVersion" not in data:
        return None
    return data


def templates_among(paths: Sequence[str]) -> list[str]:
    """The paths a scan should look at when named files may be anything (a pre-commit hook is
    handed every changed YAML and JSON file): folders, and files that are templates, skipped
    or refused as a folder walk would (a file that says it is a template but cannot be read as
    one is an `InputError`). A path that does not exist is kept, for the scan to refuse."""
    return [p for p in paths if not os.path.isfile(p) or _read_found(p) is not None]


def _flatten(stack: LoadedStack) -> list[LoadedStack]:
    out = [stack]
    for child in stack.nested:
        out.extend(_flatten(child))
    return out


def _without_duplicates(loaded: Loaded) -> Loaded:
    """A template found in a folder and also deployed as a nested stack is kept once: as the
    nested stack, which has the parameters its parent passes."""
    as_nested = {os.path.realpath(s.path) for s in loaded.stacks if s.parent and s.path}
    loaded.stacks = [
        s
        for s in loaded.stacks
        if s.parent or not s.path or os.path.realpath(s.path) not in as_nested
    ]
    return loaded


def _with_construct_paths(stack: LoadedStack, paths: Mapping[str, str]) -> LoadedStack:
    for logical_id, origin in stack.origins.items():
        if origin.construct_path is None and logical_id in paths:
            stack.origins[logical_id] = dataclasses.replace(
                origin, construct_path=paths[logical_id]
            )
    return stack


def _repository_applications(data: Mapping[str, Any]) -> list[Gap]:
    """SAM applications of the Serverless Application Repository: fetched at deployment."""
    gaps: list[Gap] = []
    resources = data.get("Resources")
    for logical_id, body in resources.items() if isinstance(resources, Mapping) else ():
        if not isinstance(body, Mapping) or body.get("Type") != SAM_APPLICATION:
            continue
        properties = body.get("Properties")
        location = properties.get("Location") if isinstance(properties, Mapping) else None
        if isinstance(location, Mapping):
            application = location.get("ApplicationId")
            gaps.append(
                Gap(
                    f"application {render(application)} of the Serverless Application "
                    "Repository is fetched at deployment: its resources are not checked",
                    resource=logical_id,
                    line=getattr(resources, "lines", {}).get(logical_id),
                )
            )
    return gaps


class _Nested:
    """The local templates that a stack's `AWS::CloudFormation::Stack` resources deploy."""

    def __init__(self, data: Mapping[str, Any], loaded: LoadedStack, ancestors: tuple[str, ...]):
        resources = data.get("Resources")
        self.resources: Mapping[str, Any] = resources if isinstance(resources, Mapping) else {}
        self.loaded = loaded
        self.ancestors = ancestors
        self.resolver = Resolver(
            Stack(
                parameters=_mapping(data.get("Parameters")),
                mappings=_mapping(data.get("Mappings")),
                conditions=_mapping(data.get("Conditions")),
                resources=self.resources,
            ),
            {},
        )

    def load(self) -> None:
        for logical_id, body in self.resources.items():
            if not isinstance(body, Mapping) or body.get("Type") != NESTED_STACK:
                continue
            metadata = body.get("Metadata")
            if isinstance(metadata, Mapping) and _CDK_ASSET in metadata:
                continue  # a CDK nested stack: its template is a file of the cloud assembly
            properties = _mapping(body.get("Properties"))
            self._stack(logical_id, properties)

    def _gap(self, logical_id: str, message: str, *, error: bool = False) -> None:
        line = self.loaded.origins.get(logical_id, Origin()).line
        self.loaded.gaps.append(Gap(message, resource=logical_id, line=line, error=error))

    def _stack(self, logical_id: str, properties: Mapping[str, Any]) -> None:
        url = self.resolver.resolve(properties.get("TemplateURL"))
        if not isinstance(url, str) or not url:
            self._gap(
                logical_id,
                f"the nested stack's template ({render(url)}) is known only at deployment: "
                "its resources are not checked",
            )
            return
        if url.startswith(f"https://{ARTIFACT_BUCKET}."):
            return  # a repository application, reported before the SAM transform
        if url.lower().startswith(_REMOTE):
            self._gap(
                logical_id,
                f"the nested stack's template {url} cannot be read before deployment: "
                "its resources are not checked",
            )
            return
        folder = os.path.dirname(os.path.abspath(self.loaded.path or self.loaded.file))
        try:
            path = local_path(folder, url)
        except Unreadable as err:
            self._gap(logical_id, f"nested stack {err}", error=err.error)
            return
        if os.path.realpath(path) in self.ancestors:
            self._gap(
                logical_id,
                f"nested stack {url} deploys a template that deploys it (a cycle): not followed",
                error=True,
            )
            return
        if len(self.ancestors) > MAX_NESTING:
            message = f"nested stacks deeper than {MAX_NESTING}: {url} is not read"
            self._gap(logical_id, message, error=True)
            return
        name = os.path.normpath(os.path.join(os.path.dirname(self.loaded.file), url))
        try:
            data = parse_text(read_text(path, regular_only=True), name)
            _pass_parameters(data, self._parameters(properties))
            child = load_template(
                data,
                name,
                path=path,
                parent=f"{self.loaded.file}:{logical_id}",
                ancestors=self.ancestors,
            )
        except InputError as err:
            self._gap(logical_id, f"nested stack {url}: {err}", error=True)
            return
        self.loaded.nested.append(child)

    def _parameters(self, properties: Mapping[str, Any]) -> dict[str, Any]:
        """The values the parent passes, resolved; None for one known only at deployment."""
        given = _mapping(properties.get("Parameters"))
        return {key: _literal(self.resolver.resolve(value)) for key, value in given.items()}


def _pass_parameters(data: LineDict, values: Mapping[str, Any]) -> None:
    """The child's parameters take the values the parent passes, as their defaults (the scan
    reads parameters by their defaults); a value known only at deployment has none."""
    parameters = data.get("Parameters")
    if not isinstance(parameters, dict):
        return
    for key, value in values.items():
        declared = parameters.get(key)
        if not isinstance(declared, dict):
            continue
        if value is None:
            declared.pop("Default", None)
        else:
            declared["Default"] = value


def _literal(value: object) -> Any:
    if isinstance(value, Ref | Opaque | Text):
        return None
    if isinstance(value, list):
        items = [_literal(item) for item in value]
        return None if any(item is None for item in items) else ",".join(map(str, items))
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str | int | float) else None


def _mapping(node: object) -> Mapping[str, Any]:
    return node if isinstance(node, Mapping) else {}
