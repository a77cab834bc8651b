"""`AWS::Include` and other macros named in a template, before any other transform.

CloudFormation runs the macros of `Fn::Transform` (from the most deeply nested outward) before
those of the `Transform` section, so includes are spliced in first:

- `{"Fn::Transform": {"Name": "AWS::Include", "Parameters": {"Location": ...}}}` as a value is
  replaced by the snippet; as a key beside others, the snippet's keys are merged into the mapping
  (the keys written beside it win). An `AWS::Include` in the `Transform` section merges the
  snippet into the template itself.
- A local `Location` is read relative to the template's folder, as `sam package` and
  `aws cloudformation package` resolve it. It must stay inside that folder's tree once `..` and
  symbolic links are resolved (an absolute path too), and be a regular file: anything else is
  refused with the reason, never read. A snippet may not include another (CloudFormation refuses
  that too).
- An S3 or HTTPS `Location`, a location computed at deployment, a missing file, and any other
  macro (`Fn::Transform` or a `Transform` name that the scan does not expand) leave that part
  unknown: a value becomes unknown, merged keys are missing, and each is reported as a `Gap`.

Keys merged from a snippet take the line of the `Fn::Transform` that brought them, so findings
point into the template the user wrote.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from typing import Any

from serverless_guard.engines.cloudformation.gaps import Gap
from serverless_guard.engines.cloudformation.intrinsics import UNSEEN, Resolver, Stack
from serverless_guard.engines.cloudformation.parse import (
    MAX_BYTES,
    LineDict,
    line_of,
    parse_text,
    read_text,
)
from serverless_guard.errors import InputError

INCLUDE = "AWS::Include"
TRANSFORM = "Fn::Transform"
MAX_INCLUDES = 100
# Transforms that a later stage of the loader expands.
EXPANDED = ("AWS::LanguageExtensions", "AWS::Serverless-2016-10-31")
_REMOTE = ("s3://", "https://", "http://")


def expand_includes(data: LineDict, path: str, name: str) -> tuple[LineDict, list[Gap]]:
    """The template with its includes spliced in, and what could not be."""
    splicer = _Splicer(path, name, data)
    out = splicer.walk(data, "", root=True)
    if not isinstance(out, LineDict):  # pragma: no cover - a mapping stays a mapping
        raise InputError("the template is not a mapping", file=name)
    out = splicer.top_level(out)
    return out, splicer.gaps


class _Splicer:
    def __init__(self, path: str, name: str, data: Mapping[str, Any]) -> None:
        self.folder = os.path.dirname(os.path.abspath(path))
        self.name = name
        self.gaps: list[Gap] = []
        self.included = 0
        self.bytes = 0
        self.resolver = Resolver(
            Stack(
                parameters=_mapping(data.get("Parameters")),
                mappings=_mapping(data.get("Mappings")),
                conditions=_mapping(data.get("Conditions")),
                resources=_mapping(data.get("Resources")),
            ),
            {},
        )

    # -- the Transform section ---------------------------------------------------------------

    def top_level(self, data: LineDict) -> LineDict:
        transform = data.get("Transform")
        if transform is None:
            return data
        line = line_of(data, "Transform")
        entries = transform if isinstance(transform, list) else [transform]
        kept: list[Any] = []
        for entry in entries:
            if isinstance(entry, Mapping) and entry.get("Name") == INCLUDE:
                snippet = self._include(entry, "", line, nested=False)
                if isinstance(snippet, Mapping):
                    data = _merged(data, snippet, line)
                continue
            if not (isinstance(entry, str) and entry in EXPANDED):
                self.gaps.append(
                    Gap(
                        f"the template is processed by the macro {_macro_name(entry)}, which the "
                        "scan does not run: what it adds or changes is not checked",
                        line=line,
                    )
                )
            kept.append(entry)
        data["Transform"] = kept
        return data

    # -- Fn::Transform anywhere --------------------------------------------------------------

    def walk(self, node: Any, resource: str, *, nested: bool = False, root: bool = False) -> Any:
        if isinstance(node, list):
            return [self.walk(item, resource, nested=nested) for item in node]
        if not isinstance(node, Mapping):
            return node
        line = line_of(node, TRANSFORM)
        if list(node) == [TRANSFORM]:
            return self._value(node[TRANSFORM], resource, line, nested)
        out = LineDict()
        for key, value in node.items():
            if key == TRANSFORM:
                continue
            if root and key == "Resources" and isinstance(value, Mapping):
                out[key] = self._resources(value, nested)
            else:
                out[key] = self.walk(value, resource, nested=nested)
                if key == "Properties" and _unseen(out[key]):
                    self._hides(resource)
            _copy_line(node, key, out)
        if TRANSFORM in node:
            snippet = self._spec(node[TRANSFORM], resource, line, nested)
            if isinstance(snippet, Mapping):
                out = _merged(out, snippet, line)
            else:
                self._hides(resource)
        return out

    def _hides(self, resource: str) -> None:
        """The last gap left keys of `resource` unseen: its missing values are unknown."""
        if resource and self.gaps and not self.gaps[-1].error:
            self.gaps[-1] = dataclasses.replace(self.gaps[-1], hides=True)

    def _resources(self, node: Mapping[str, Any], nested: bool) -> Any:
        """The Resources section: what is found inside a resource is reported on it; a resource
        (or the whole section) that could not be included is left out (and reported)."""
        out = LineDict()
        for key, value in node.items():
            if key == TRANSFORM:
                continue
            walked = self.walk(value, key, nested=nested)
            if _unseen(walked):
                continue
            out[key] = walked
            _copy_line(node, key, out)
        if TRANSFORM in node:
            line = line_of(node, TRANSFORM)
            snippet = self._spec(node[TRANSFORM], "", line, nested)
            if isinstance(snippet, Mapping):
                out = _merged(out, snippet, line)
        return out

    def _value(self, spec: Any, resource: str, line: int | None, nested: bool) -> Any:
        snippet = self._spec(spec, resource, line, nested)
        return snippet if snippet is not None else {UNSEEN: _describe(spec)}

    def _spec(self, spec: Any, resource: str, line: int | None, nested: bool) -> Any:
        """The snippet a `Fn::Transform` stands for, or None (reported) when it cannot be read."""
        if isinstance(spec, Mapping) and spec.get("Name") == INCLUDE:
            return self._include(spec, resource, line, nested=nested)
        self.gaps.append(
            Gap(
                f"{_describe(spec)} is a macro the scan does not run: this part is not checked",
                resource=resource,
                line=line,
            )
        )
        return None

    def _include(
        self, spec: Mapping[str, Any], resource: str, line: int | None, *, nested: bool
    ) -> Any:
        parameters = spec.get("Parameters")
        location = self.resolver.resolve(
            parameters.get("Location") if isinstance(parameters, Mapping) else None
        )

        def gap(message: str, *, error: bool = False) -> None:
            self.gaps.append(Gap(message, resource=resource, line=line, error=error))

        if nested:
            gap(
                "an included snippet includes another (CloudFormation refuses this): not read",
                error=True,
            )
            return None
        if not isinstance(location, str) or not location:
            gap(f"{INCLUDE} from a location known only at deployment: this part is not checked")
            return None
        if location.lower().startswith(_REMOTE):
            gap(f"{INCLUDE} of {location} cannot be read before deployment: not checked")
            return None
        self.included += 1
        if self.included > MAX_INCLUDES:
            gap(f"more than {MAX_INCLUDES} includes: {location} is not read", error=True)
            return None
        try:
            snippet, size = read_beside(self.folder, location, MAX_BYTES - self.bytes)
        except Unreadable as err:
            gap(f"{INCLUDE} of {err}", error=err.error)
            return None
        self.bytes += size
        before = len(self.gaps)
        walked = self.walk(snippet, resource, nested=True)
        for index in range(before, len(self.gaps)):  # point at the include, not into the snippet
            self.gaps[index] = dataclasses.replace(self.gaps[index], line=line)
        return walked


class Unreadable(Exception):
    """A local file that is refused (`error`) or missing (unknown), with the reason."""

    def __init__(self, message: str, *, error: bool) -> None:
        super().__init__(message)
        self.error = error


def local_path(folder: str, location: str) -> str:
    """The file at `location`, relative to `folder` (a template's): it must stay inside the
    folder's tree once `..` and symbolic links are resolved (an absolute path too), and exist.
    Raises `Unreadable` whose message starts with the location."""
    target = os.path.normpath(os.path.join(folder, location))
    real = os.path.realpath(target)
    home = os.path.realpath(folder)
    if os.path.commonpath([real, home]) != home:
        how = "a symbolic link leads" if real != os.path.abspath(target) else "it resolves"
        raise Unreadable(
            f"{location} is outside the template's folder ({how} to {real}): refused, not read",
            error=True,
        )
    if not os.path.lexists(target):
        raise Unreadable(f"{location}: no such file beside the template: not checked", error=False)
    return target


def read_beside(folder: str, location: str, budget: int = MAX_BYTES) -> tuple[LineDict, int]:
    """The document at `location` (see `local_path`), and its size; anything but a regular
    file, or more than `budget` characters, is refused (`Unreadable`)."""
    target = local_path(folder, location)
    try:
        text = read_text(target, regular_only=True)
        if len(text) > budget:
            raise InputError(f"included files larger than {MAX_BYTES // (1024 * 1024)} MB")
        return parse_text(text, location), len(text)
    except InputError as err:
        raise Unreadable(f"{location}: {err.message}", error=True) from None


def _merged(into: LineDict, snippet: Mapping[str, Any], line: int | None) -> LineDict:
    """`into` with the snippet's keys it does not have, each at the line of the include."""
    for key, value in snippet.items():
        if key not in into:
            into[key] = value
            if line is not None:
                into.lines[key] = line
    return into


def _unseen(node: object) -> bool:
    return isinstance(node, Mapping) and UNSEEN in node


def _copy_line(source: Mapping[str, Any], key: str, out: LineDict) -> None:
    line = line_of(source, key)
    if line is not None:
        out.lines[key] = line


def _macro_name(entry: object) -> str:
    if isinstance(entry, Mapping):
        return str(entry.get("Name"))
    return str(entry)


def _describe(spec: object) -> str:
    if isinstance(spec, Mapping):
        parameters = spec.get("Parameters")
        location = parameters.get("Location") if isinstance(parameters, Mapping) else None
        where = f" of {location}" if isinstance(location, str) else ""
        return f"Fn::Transform {spec.get('Name')}{where}"
    return "Fn::Transform"


def _mapping(node: object) -> Mapping[str, Any]:
    return node if isinstance(node, Mapping) else {}
