"""A finding's fingerprint: what identifies it in a baseline, whatever moves around it.

The fingerprint is a digest of the rule id, the resource id, the property path without list
positions (`Policies.PolicyDocument.Statement.Action`), the verdict, and the evidence: the
offending value as the resource's facts hold it at that path (a statement, a runtime, an absent
setting), or the finding's message when the finding points at the resource as a whole. Lines,
files, other resources and other properties of the same resource are not part of it, so moving
or editing them does not disturb a baseline; fixing the finding and writing it again differently
(another runtime, another wildcard action) gives another fingerprint, and it blocks again.
List positions are left out so that removing an earlier statement does not make a later one
new; two identical findings on one resource are told apart by counting, not by position.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Mapping, Sequence
from enum import Enum

from serverless_guard.facts.base import Resource
from serverless_guard.facts.value import Absent, Known, Path, Unknown

_RESOURCE_FIELDS = frozenset(f.name for f in dataclasses.fields(Resource))
_AT = frozenset({"at"})


def fingerprint(rule: str, resource: str, at: Path, outcome: str, evidence: str) -> str:
    path = ".".join(str(part) for part in at if not isinstance(part, int))
    text = json.dumps([rule, resource, path, outcome, evidence], ensure_ascii=True)
    return hashlib.sha256(text.encode("ascii")).hexdigest()[:32]


def evidence(located: Sequence[tuple[Path, object]], at: Path, message: str) -> str:
    """The offending value(s) at `at` (or below it) among a fact's `located` values, as
    canonical JSON; the message when `at` is the resource itself or holds no value of the fact."""
    if at:
        found = [node for where, node in located if where == at]
        if not found:
            found = [node for where, node in located if where[: len(at)] == at]
        if found:
            return json.dumps(sorted(json.dumps(_canonical(n), sort_keys=True) for n in found))
    return json.dumps(message)


def located(fact: object) -> list[tuple[Path, object]]:
    """Every value of the fact that knows its path (values, statements, documents), with it."""
    out: list[tuple[Path, object]] = []
    todo: list[object] = [getattr(fact, name) for name in _fields(type(fact), _RESOURCE_FIELDS)]
    while todo:
        node = todo.pop()
        if isinstance(node, str | int | float | bool) or node is None:
            continue
        if isinstance(node, Known):
            out.append((node.at, node))
            todo.append(node.value)
        elif isinstance(node, Absent | Unknown):
            out.append((node.at, node))
        elif isinstance(node, Mapping):
            todo.extend(node.values())
        elif isinstance(node, list | tuple | set | frozenset):
            todo.extend(node)
        elif dataclasses.is_dataclass(node) and not isinstance(node, type):
            at = getattr(node, "at", None)
            if isinstance(at, tuple):
                out.append((at, node))
            todo.extend(getattr(node, name) for name in _fields(type(node)))
    return out


_FIELDS: dict[tuple[type, frozenset[str]], tuple[str, ...]] = {}


def _fields(kind: type, skip: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """The names of a dataclass's fields but `skip` (computed once per class)."""
    key = (kind, skip)
    if key not in _FIELDS:
        _FIELDS[key] = tuple(f.name for f in dataclasses.fields(kind) if f.name not in skip)
    return _FIELDS[key]


def _canonical(node: object) -> object:
    """A JSON value that depends only on the content (never on a path or an ordering)."""
    if isinstance(node, Known):
        return {"known": _canonical(node.value)}
    if isinstance(node, Absent):
        return "absent"
    if isinstance(node, Unknown):
        return {"unknown": node.reason}
    if isinstance(node, Enum):
        return str(node.value)
    if isinstance(node, str | int | float | bool) or node is None:
        return node
    if isinstance(node, Mapping):
        return {str(key): _canonical(value) for key, value in node.items()}
    if isinstance(node, list | tuple):
        return [_canonical(item) for item in node]
    if isinstance(node, set | frozenset):
        return sorted(json.dumps(_canonical(item), sort_keys=True) for item in node)
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        return {name: _canonical(getattr(node, name)) for name in _fields(type(node), _AT)}
    return repr(node)
