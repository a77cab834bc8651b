"""The construct tree a CDK synth writes (`tree.json`): each construct's id and class.

The CDK writes `tree.json` at the root of the cloud assembly before it runs validation plugins,
so the plugin and `scan cdk.out` both read it. Each node has its `id`, `path` and
`constructInfo.fqn` (`aws-cdk-lib.aws_lambda.Function`); a very large tree is split into
`trees-<n>.json` files, referenced by `fileName` and `treeId`. A Python subclass of an
aws-cdk-lib construct (`SecureFunction`) reports the class it extends.

A tree that is missing or cannot be read only costs the L2 names of messages: the fix is then
written with the L1's properties. Nothing here needs aws-cdk-lib.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

TREE = "tree.json"
MANIFEST = "manifest.json"
MAX_ASSEMBLY_DEPTH = 20
# Where a construct's chain of owners ends: the stack (or the app, for a stack's parents).
_SCOPES = frozenset(
    {"aws-cdk-lib.App", "aws-cdk-lib.Stage", "aws-cdk-lib.Stack", "aws-cdk-lib.NestedStack"}
)

Chain = tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class ConstructTree:
    """Constructs by path: `(id, fqn)`."""

    nodes: Mapping[str, tuple[str, str]]

    def chain(self, path: str) -> Chain:
        """`(id, fqn)` of the construct at `path` and of each scope above it, up to (not
        including) its stack; empty when the tree does not hold the path."""
        out: list[tuple[str, str]] = []
        while path and path in self.nodes:
            construct_id, fqn = self.nodes[path]
            if fqn in _SCOPES:
                break
            out.append((construct_id, fqn))
            path = path.rpartition("/")[0]
        return tuple(out)


def tree_near(template: str) -> ConstructTree | None:
    """The construct tree of the cloud assembly that holds `template`: in the template's folder
    or, for a CDK Stage's nested assembly, in a folder above it."""
    folder = os.path.dirname(os.path.abspath(template))
    for _ in range(MAX_ASSEMBLY_DEPTH):
        path = os.path.join(folder, TREE)
        if os.path.isfile(path):
            stat = os.stat(path)
            return _read(path, stat.st_mtime_ns, stat.st_size)
        parent = os.path.dirname(folder)
        if parent == folder or not os.path.isfile(os.path.join(parent, MANIFEST)):
            return None
        folder = parent
    return None


@lru_cache(maxsize=8)
def _read(path: str, _mtime: int, _size: int) -> ConstructTree | None:
    folder = os.path.dirname(path)
    try:
        with open(path, "rb") as handle:
            data = json.load(handle)
        root = data.get("tree") if isinstance(data, Mapping) else None
        nodes = {
            str(node["path"]): (str(node.get("id", "")), _fqn(node))
            for node in _walk(root, folder)
            if isinstance(node.get("path"), str)
        }
    except (OSError, ValueError, RecursionError):
        return None
    return ConstructTree(nodes)


def _fqn(node: Mapping[str, Any]) -> str:
    info = node.get("constructInfo")
    fqn = info.get("fqn") if isinstance(info, Mapping) else None
    return fqn if isinstance(fqn, str) else ""


def _walk(node: object, folder: str) -> Iterator[Mapping[str, Any]]:
    pending = [node]
    while pending:
        current = pending.pop()
        if not isinstance(current, Mapping):
            continue
        if "fileName" in current and "treeId" in current:
            current = _subtree(folder, str(current["fileName"]), str(current["treeId"]))
            if current is None:
                continue
        yield current
        children = current.get("children")
        if isinstance(children, Mapping):
            pending.extend(children.values())


def _subtree(folder: str, name: str, tree_id: str) -> Mapping[str, Any] | None:
    """A subtree written to a file of its own (`trees-1.json`), inside the assembly folder."""
    if os.path.basename(name) != name:
        return None
    with open(os.path.join(folder, name), "rb") as handle:
        data = json.load(handle)
    forest = data.get("forest") if isinstance(data, Mapping) else None
    found = forest.get(tree_id) if isinstance(forest, Mapping) else None
    return found if isinstance(found, Mapping) else None
