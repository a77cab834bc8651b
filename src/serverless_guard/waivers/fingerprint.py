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
from collections.abc import Iterator, Mapping
from enum import Enum

from serverless_guard.facts.base import Resource
from serverless_guard.facts.value import Absent, Known, Path, Unknown

_RESOURCE_FIELDS = frozenset(f.name for f in dataclasses.fields(Resource))


def fingerprint(rule: str, resource: str, at: Path, outcome: str, evidence: str) -> str:
    path = ".".join(str(part) for part in at if not isinstance(part, int))
    text = json.dumps([rule, resource, path, outcome, evidence], ensure_ascii=True)
    return hashlib.sha256(text.encode("ascii")).hexdigest()[:32]


def evidence(fact: Resource, at: Path, message: str) -> str:
    """The offending value(s) of `fact` at `at` (or below it), as canonical JSON; the message
    when `at` is the resource itself or holds no value of the fact."""
    if at:
        found = [node for node in _nodes(fact) if _at(node) == at]
        if not found:
            found = [node for node in _nodes(fact) if _at(node)[: len(at)] == at]
        if found:
            return json.dumps(sorted(json.dumps(_canonical(n), sort_keys=True) for n in found))
    return json.dumps(message)


def _at(node: object) -> Path:
    at = getattr(node, "at", ())
    return at if isinstance(at, tuple) else ()


def _nodes(fact: Resource) -> Iterator[object]:
    """Every value of the fact that knows its path (values, statements, documents)."""
    todo: list[object] = [
        getattr(fact, f.name) for f in dataclasses.fields(fact) if f.name not in _RESOURCE_FIELDS
    ]
    while todo:
        node = todo.pop()
        if isinstance(node, Known | Absent | Unknown) or (
            dataclasses.is_dataclass(node) and hasattr(node, "at")
        ):
            yield node
        todo.extend(_children(node))


def _children(node: object) -> list[object]:
    if isinstance(node, Known):
        return [node.value]
    if isinstance(node, Mapping):
        return list(node.values())
    if isinstance(node, list | tuple | set | frozenset):
        return list(node)
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        return [getattr(node, f.name) for f in dataclasses.fields(node)]
    return []


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
        return {
            f.name: _canonical(getattr(node, f.name))
            for f in dataclasses.fields(node)
            if f.name != "at"
        }
    return repr(node)
