"""Read a CloudFormation or SAM template (YAML with short-form tags, or JSON) with line numbers.

YAML goes through PyYAML's libyaml-backed loader (`CSafeLoader`): the C scanner and parser keep
large templates fast, and PyYAML is the reference YAML library for Python. The CloudFormation tags
(`!Ref`, `!Sub`, `!GetAtt` ...) become their long forms. Mappings are `LineDict`s that remember
the line of each key. JSON goes through the standard library's decoder, one top-level value (and
one resource) at a time, so the top-level keys and the resource ids get their lines too.

Hostile input stops early: libyaml refuses nesting deeper than 1,000 levels, the JSON decoder
hits the recursion limit, and `_check_shape` measures the document's expanded size (shared YAML
anchors counted once per use) and depth in time linear in its distinct nodes.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Mapping
from typing import Any, BinaryIO

import yaml

from serverless_guard.errors import InputError
from serverless_guard.strict_json import lone_surrogate, unique_keys

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
    """Keys written twice are an error; keys merged in with `<<` may be overridden."""
    explicit = {id(key) for key, _ in node.value if key.tag != "tag:yaml.org,2002:merge"}
    loader.flatten_mapping(node)
    out = LineDict()
    written: set[str] = set()
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            key = str(key)
        if id(key_node) in explicit:
            if key in written:
                raise InputError(f"duplicate key {key!r}", line=key_node.start_mark.line + 1)
            written.add(key)
        elif key in out:
            continue  # an earlier merged mapping wins over a later one
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


def _check_shape(data: object, shared: bool) -> None:
    """Bound the expanded size and the depth of a document before anything walks it.

    `shared` says the document may hold one object in several places (YAML anchors): then
    sizes and depths are computed once per distinct container, so an alias bomb is measured,
    not expanded. Otherwise a plain breadth-first walk is enough.
    """
    if shared:
        _check_shared_shape(data)
        return
    level: list[dict[str, Any] | list[Any]] = [data] if isinstance(data, dict | list) else []
    count = depth = 0
    while level:
        depth += 1
        if depth > MAX_DEPTH:
            raise InputError(f"document is nested more than {MAX_DEPTH} levels deep")
        below: list[dict[str, Any] | list[Any]] = []
        for node in level:
            children = node.values() if isinstance(node, dict) else node
            count += len(children)
            below.extend(c for c in children if isinstance(c, dict | list))
        if count > MAX_NODES:
            raise InputError(f"document has more than {MAX_NODES:,} values")
        level = below


def _check_shared_shape(data: object) -> None:
    sizes: dict[int, int] = {}
    depths: dict[int, int] = {}
    open_: set[int] = set()
    todo: list[tuple[object, bool]] = [(data, False)]
    while todo:
        node, finished = todo.pop()
        children = _children(node)
        if children is None:
            continue
        key = id(node)
        if finished:
            open_.discard(key)
            size, depth = 1, 0
            for child in children:
                size += sizes.get(id(child), 1)
                depth = max(depth, depths.get(id(child), 0))
            if size > MAX_NODES:
                raise InputError(
                    f"document expands to more than {MAX_NODES:,} values (a YAML alias bomb?)"
                )
            if depth + 1 > MAX_DEPTH:
                raise InputError(f"document is nested more than {MAX_DEPTH} levels deep")
            sizes[key], depths[key] = size, depth + 1
        elif key not in sizes:
            if key in open_:
                raise InputError("document refers to itself (a recursive YAML alias)")
            open_.add(key)
            todo.append((node, True))
            todo.extend(
                (c, False) for c in children if isinstance(c, dict | list) and id(c) not in sizes
            )


def _children(node: object) -> list[object] | None:
    if isinstance(node, dict):
        return list(node.values())
    if isinstance(node, list):
        return node
    return None


_WS = re.compile(r"[ \t\n\r]*")


def _skip(text: str, pos: int) -> int:
    """The offset of the first non-whitespace character at or after `pos`."""
    match = _WS.match(text, pos)
    return match.end() if match else pos


class _Lines:
    """Line numbers of increasing offsets in a text, counted incrementally."""

    __slots__ = ("line", "offset", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.offset = 0
        self.line = 1

    def at(self, offset: int) -> int:
        self.line += self.text.count("\n", self.offset, offset)
        self.offset = offset
        return self.line


_DECODER = json.JSONDecoder(object_pairs_hook=lambda pairs: unique_keys(pairs, LineDict))


def _json_object(text: str, pos: int, lines: _Lines, *, top: bool) -> tuple[LineDict, int]:
    """Decode the object at `text[pos] == "{"` key by key, recording each key's line.

    At the top level, the `Resources` object is decoded the same way so that every resource id
    gets its line; every other value goes to the C decoder whole.
    """
    out = LineDict()
    pos = _skip(text, pos + 1)
    if text.startswith("}", pos):
        return out, pos + 1
    while True:
        if not text.startswith('"', pos):
            raise json.JSONDecodeError(
                "Expecting property name enclosed in double quotes", text, pos
            )
        line = lines.at(pos)
        key, pos = json.decoder.scanstring(text, pos + 1)  # type: ignore[attr-defined]
        pos = _skip(text, pos)
        if not text.startswith(":", pos):
            raise json.JSONDecodeError("Expecting ':' delimiter", text, pos)
        pos = _skip(text, pos + 1)
        value: Any
        try:
            if top and key == "Resources" and text.startswith("{", pos):
                value, pos = _json_object(text, pos, lines, top=False)
            else:
                value, pos = _DECODER.raw_decode(text, pos)
        except InputError as err:
            raise InputError(err.message, line=err.line or line) from None
        except RecursionError:
            raise InputError(f"nested more than {MAX_DEPTH} levels deep", line=line) from None
        if key in out:
            raise InputError(f"duplicate key {key!r}", line=line)
        out[key] = value
        out.lines[key] = line
        pos = _skip(text, pos)
        if text.startswith(",", pos):
            pos = _skip(text, pos + 1)
        elif text.startswith("}", pos):
            return out, pos + 1
        else:
            raise json.JSONDecodeError("Expecting ',' delimiter", text, pos)


def _load_json(text: str) -> LineDict:
    pos = _skip(text, 0)
    data, pos = _json_object(text, pos, _Lines(text), top=True)
    pos = _skip(text, pos)
    if pos != len(text):
        raise json.JSONDecodeError("Extra data", text, pos)
    return data


def parse_text(text: str, filename: str) -> LineDict:
    """Parse template text; every failure is an `InputError` naming the file."""
    text = text.removeprefix("\ufeff")
    data: object
    is_json = text.lstrip(" \t\r\n").startswith("{")
    surrogate = lone_surrogate(text) if is_json else None
    if surrogate is not None:
        raise InputError(
            "invalid JSON: a lone surrogate escape is not a character",
            file=filename,
            line=text.count("\n", 0, surrogate) + 1,
        )
    try:
        data = _load_json(text) if is_json else yaml.load(text, Loader=_Loader)
    except InputError as err:
        raise InputError(err.message, file=filename, line=err.line) from None
    except json.JSONDecodeError as err:
        raise InputError(f"invalid JSON: {err.msg}", file=filename, line=err.lineno) from None
    except yaml.MarkedYAMLError as err:
        line = err.problem_mark.line + 1 if err.problem_mark else None
        problem = _one_line(err.problem or err.context or "syntax error")
        raise InputError(f"invalid YAML: {problem}", file=filename, line=line) from None
    except yaml.reader.ReaderError as err:
        line = text.count("\n", 0, err.position) + 1
        character = err.character
        shown = f"#x{character:04x}" if isinstance(character, int) else repr(character)
        problem = f"{err.reason} (character {shown})"
        raise InputError(f"invalid YAML: {problem}", file=filename, line=line) from None
    except yaml.YAMLError as err:
        raise InputError(f"invalid YAML: {_one_line(str(err))}", file=filename) from None
    except RecursionError:
        raise InputError(
            f"document is nested more than {MAX_DEPTH} levels deep", file=filename
        ) from None
    except UnicodeError:
        raise InputError("not UTF-8 text", file=filename) from None
    try:
        _check_shape(data, shared=not is_json and "&" in text)
    except InputError as err:
        raise InputError(err.message, file=filename) from None
    if not isinstance(data, LineDict):
        raise InputError(
            "not a CloudFormation template (the document is not a mapping)", file=filename
        )
    return data


def _one_line(message: str) -> str:
    return " ".join(message.split())


def read_text(path: str, *, regular_only: bool = False) -> str:
    """Read a file as UTF-8 text, refusing what is not text.

    `regular_only` refuses anything but a regular file (a FIFO, a socket, a device) without
    waiting on it: for files the scan found rather than files the user named."""
    try:
        with _open(path, regular_only) as handle:
            raw = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise InputError("no such file", file=path) from None
    except IsADirectoryError:
        raise InputError("is a directory", file=path) from None
    except _NotRegular:
        raise InputError("not a regular file", file=path) from None
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


class _NotRegular(Exception):
    """A path that is a FIFO, a socket or a device."""


def _open(path: str, regular_only: bool) -> BinaryIO:
    if not regular_only:
        return open(path, "rb")
    # O_NONBLOCK: opening a FIFO with no writer must not wait; a regular file ignores the flag.
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        raise _NotRegular
    return os.fdopen(descriptor, "rb")
