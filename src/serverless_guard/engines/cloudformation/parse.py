"""Read a CloudFormation or SAM template (YAML with short-form tags, or JSON) with line numbers.

YAML goes through PyYAML's libyaml-backed loader (`CSafeLoader`): the C scanner and parser keep
large templates fast, and PyYAML is the reference YAML library for Python. The CloudFormation tags
(`!Ref`, `!Sub`, `!GetAtt` ...) become their long forms. Mappings are `LineDict`s that remember
the line of each key. JSON goes through the standard library; its keys' lines are found by a
single scan of the text for the keys of the resource section.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

import yaml

from serverless_guard.errors import InputError

MAX_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 200
MAX_NODES = 5_000_000


class LineDict(dict[str, Any]):
    """A mapping that remembers the 1-based line of each key."""

    __slots__ = ("lines",)

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[str, int] = {}


def line_of(mapping: Mapping[str, Any], key: str) -> int | None:
    return mapping.lines.get(key) if isinstance(mapping, LineDict) else None


_TAGS = {
    "!And": "Fn::And",
    "!Base64": "Fn::Base64",
    "!Cidr": "Fn::Cidr",
    "!Condition": "Condition",
    "!Equals": "Fn::Equals",
    "!FindInMap": "Fn::FindInMap",
    "!GetAZs": "Fn::GetAZs",
    "!If": "Fn::If",
    "!ImportValue": "Fn::ImportValue",
    "!Join": "Fn::Join",
    "!Length": "Fn::Length",
    "!Not": "Fn::Not",
    "!Or": "Fn::Or",
    "!Ref": "Ref",
    "!Select": "Fn::Select",
    "!Split": "Fn::Split",
    "!Sub": "Fn::Sub",
    "!ToJsonString": "Fn::ToJsonString",
    "!Transform": "Fn::Transform",
}


class _Loader(yaml.CSafeLoader):
    """libyaml parsing, CloudFormation tags, duplicate keys rejected, dates kept as text."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    out = LineDict()
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            key = str(key)
        if key in out:
            raise InputError(f"duplicate key {key!r}", line=key_node.start_mark.line + 1)
        out[key] = loader.construct_object(value_node, deep=True)
        out.lines[key] = key_node.start_mark.line + 1
    return out


def _construct_tag(loader: _Loader, tag_suffix: str, node: yaml.Node) -> LineDict:
    tag = node.tag
    name = _TAGS.get(tag)
    if name is None:
        raise InputError(f"unknown tag {tag}", line=node.start_mark.line + 1)
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
        if name == "Fn::GetAtt" and isinstance(value, str):
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = _construct_mapping(loader, node)  # type: ignore[arg-type]
    out = LineDict()
    out[name] = value
    out.lines[name] = node.start_mark.line + 1
    return out


def _construct_getatt(loader: _Loader, node: yaml.Node) -> LineDict:
    out = LineDict()
    if isinstance(node, yaml.ScalarNode):
        text = loader.construct_scalar(node)
        out["Fn::GetAtt"] = str(text).split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        out["Fn::GetAtt"] = loader.construct_sequence(node, deep=True)
    else:
        raise InputError("!GetAtt takes a string or a list", line=node.start_mark.line + 1)
    out.lines["Fn::GetAtt"] = node.start_mark.line + 1
    return out


def _construct_text(loader: _Loader, node: yaml.ScalarNode) -> str:
    return str(loader.construct_scalar(node))


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_text)
_Loader.add_constructor("!GetAtt", _construct_getatt)
_Loader.add_multi_constructor("!", _construct_tag)


def _check_shape(data: object) -> None:
    """Bound depth and size before any walk: alias bombs and deep nesting stop here."""
    stack: list[tuple[object, int]] = [(data, 0)]
    seen = 0
    while stack:
        node, depth = stack.pop()
        seen += 1
        if seen > MAX_NODES:
            raise InputError(
                f"document expands to more than {MAX_NODES:,} values (a YAML alias bomb?)"
            )
        if depth > MAX_DEPTH:
            raise InputError(f"document is nested more than {MAX_DEPTH} levels deep")
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)


def _json_lines(text: str, data: LineDict) -> None:
    """Give the JSON template's resource ids their lines (first occurrence after "Resources")."""
    resources = data.get("Resources")
    start = text.find('"Resources"')
    if start >= 0:
        data.lines["Resources"] = text.count("\n", 0, start) + 1
    if not isinstance(resources, LineDict) or start < 0:
        return
    for match in re.finditer(r'"((?:[^"\\]|\\.)+)"\s*:', text[start:]):
        key = match.group(1)
        if key in resources and key not in resources.lines:
            resources.lines[key] = text.count("\n", 0, start + match.start()) + 1


def _json_pairs(pairs: list[tuple[str, Any]]) -> LineDict:
    out = LineDict()
    for key, value in pairs:
        if key in out:
            raise InputError(f"duplicate key {key!r}")
        out[key] = value
    return out


def parse_text(text: str, filename: str) -> LineDict:
    """Parse template text; every failure is an `InputError` naming the file."""
    stripped = text.lstrip()
    try:
        if stripped.startswith("{"):
            data = json.loads(text, object_pairs_hook=_json_pairs)
            if isinstance(data, LineDict):
                _json_lines(text, data)
        else:
            data = yaml.load(text, Loader=_Loader)
    except InputError as err:
        raise InputError(err.message, file=filename, line=err.line) from None
    except json.JSONDecodeError as err:
        raise InputError(f"invalid JSON: {err.msg}", file=filename, line=err.lineno) from None
    except yaml.MarkedYAMLError as err:
        line = err.problem_mark.line + 1 if err.problem_mark else None
        problem = err.problem or err.context or "syntax error"
        raise InputError(f"invalid YAML: {problem}", file=filename, line=line) from None
    except yaml.YAMLError as err:
        raise InputError(f"invalid YAML: {err}", file=filename) from None
    except RecursionError:
        raise InputError(
            f"document is nested more than {MAX_DEPTH} levels deep", file=filename
        ) from None
    try:
        _check_shape(data)
    except InputError as err:
        raise InputError(err.message, file=filename) from None
    if not isinstance(data, LineDict):
        raise InputError(
            "not a CloudFormation template (the document is not a mapping)", file=filename
        )
    return data


def read_text(path: str) -> str:
    """Read a file as UTF-8 text, refusing what is not text."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise InputError("no such file", file=path) from None
    except IsADirectoryError:
        raise InputError("is a directory", file=path) from None
    except OSError as err:
        raise InputError(f"cannot read: {err.strerror}", file=path) from None
    if len(raw) > MAX_BYTES:
        raise InputError(f"larger than {MAX_BYTES // (1024 * 1024)} MB", file=path)
    if not raw.strip():
        raise InputError("empty file", file=path)
    if b"\x00" in raw[:8192]:
        raise InputError("not a text file", file=path)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text", file=path) from None
