"""Resources that aws-cdk-lib adds on its own, recognised in the construct tree.

Several CDK features add resources the user never wrote: the Lambda function and role behind
`auto_delete_objects`, bucket notifications, `log_retention`, `AwsCustomResource`, the
custom-resource `Provider` framework and `BucketDeployment`. Their settings are aws-cdk-lib's
(its own handler code, no tracing, no dead-letter queue), so findings on them are noise for the
user. They are recognised here by evidence the synthesized assembly holds, never by a name alone:
the construct path and the construct's class as `tree.json` records it (`constructInfo.fqn`).

- aws-cdk-lib's own custom-resource providers (auto-delete-objects, default security group
  restriction, cross-region references, ...) are constructs of class `CustomResourceProviderBase`
  directly under a stack, named `...CustomResourceProvider`. A provider the user makes with the
  public `CustomResourceProvider` class records that class instead, and is not recognised.
- The log-retention function and the bucket-notifications handler are plain constructs with a
  fixed id directly under a stack, whose function is a raw `CfnResource` (a user's function is a
  `CfnFunction`), in a stack that uses the feature (a `LogRetention`; a bucket's
  `Notifications`).
- The `AwsCustomResource` and `BucketDeployment` handlers are singleton functions with a fixed id
  directly under a stack that holds an `AwsCustomResource` (a `BucketDeployment`).
- The custom-resource `Provider` framework's functions and waiter state machine are children of
  a construct of class `custom_resources.Provider`.

Without `tree.json` (an app synthesized with tree metadata switched off, a template copied out
of its assembly) nothing is recognised: every resource is judged.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from serverless_guard.engines.cloudformation.assembly import (
    MANIFEST,
    MAX_ASSEMBLY_DEPTH,
    artifacts_of,
    inside,
    read_json,
)

TREE_ARTIFACT = "cdk:tree"

STACKS = frozenset({"aws-cdk-lib.Stack", "aws-cdk-lib.NestedStack"})
CONSTRUCT = "constructs.Construct"
RAW_RESOURCE = "aws-cdk-lib.CfnResource"
FUNCTION = "aws-cdk-lib.aws_lambda.Function"
PROVIDER_BASE = "aws-cdk-lib.CustomResourceProviderBase"
PROVIDER_FRAMEWORK = "aws-cdk-lib.custom_resources.Provider"
PROVIDER_FRAMEWORK_PARTS = frozenset(
    {"framework-onEvent", "framework-isComplete", "framework-onTimeout", "waiter-state-machine"}
)


@dataclass(frozen=True, slots=True)
class ConstructTree:
    """The class (`fqn`) of every construct of an app, by construct path."""

    fqns: Mapping[str, str]

    def fqn(self, path: str) -> str | None:
        return self.fqns.get(path)

    def holds(self, scope: str, wanted: Callable[[str, str], bool]) -> bool:
        """Whether a construct below `scope` satisfies `wanted(path, fqn)`."""
        prefix = scope + "/"
        return any(p.startswith(prefix) and wanted(p, f) for p, f in self.fqns.items())


@dataclass(frozen=True, slots=True)
class _Kind:
    name: str
    owner: re.Pattern[str]
    fqn: str
    evidence: Callable[[ConstructTree, str, str], bool]  # (tree, owner path, stack path)


def _raw_function(tree: ConstructTree, owner: str, _stack: str) -> bool:
    return tree.fqn(owner + "/Resource") == RAW_RESOURCE


def _stack_holds(fqn: str) -> Callable[[ConstructTree, str, str], bool]:
    return lambda tree, _owner, stack: tree.holds(stack, lambda _p, f: f == fqn)


def _log_retention(tree: ConstructTree, owner: str, stack: str) -> bool:
    return _raw_function(tree, owner, stack) and _stack_holds("aws-cdk-lib.aws_logs.LogRetention")(
        tree, owner, stack
    )


def _bucket_notifications(tree: ConstructTree, owner: str, stack: str) -> bool:
    def notifications(path: str, fqn: str) -> bool:
        parent = tree.fqn(path.rpartition("/")[0]) or ""
        return path.endswith("/Notifications") and fqn == CONSTRUCT and "aws_s3." in parent

    return _raw_function(tree, owner, stack) and tree.holds(stack, notifications)


_KINDS = (
    _Kind(
        "auto-delete-objects provider",
        re.compile(r"Custom::S3AutoDeleteObjectsCustomResourceProvider"),
        PROVIDER_BASE,
        lambda *_: True,
    ),
    _Kind(
        "custom-resource provider",
        re.compile(r".+CustomResourceProvider"),
        PROVIDER_BASE,
        lambda *_: True,
    ),
    _Kind(
        "log-retention function",
        re.compile(r"LogRetentionaae0aa3c5b4d4f87b02d85b201efdd8a"),
        CONSTRUCT,
        _log_retention,
    ),
    _Kind(
        "bucket-notifications handler",
        re.compile(r"BucketNotificationsHandler050a0587b7544547bf325f094a3db834"),
        CONSTRUCT,
        _bucket_notifications,
    ),
    _Kind(
        "AwsCustomResource provider",
        re.compile(r"AWS679f53fac002430cb0da5b7982bd2287"),
        FUNCTION,
        _stack_holds("aws-cdk-lib.custom_resources.AwsCustomResource"),
    ),
    _Kind(
        "BucketDeployment handler",
        re.compile(r"Custom::CDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756C[0-9A-Za-z]*"),
        FUNCTION,
        _stack_holds("aws-cdk-lib.aws_s3_deployment.BucketDeployment"),
    ),
)


def framework_of(construct_path: str, tree: ConstructTree) -> str | None:
    """The aws-cdk-lib feature that created the resource at `construct_path`, or None when the
    tree does not show that aws-cdk-lib made it."""
    parts = construct_path.split("/")
    for end in range(1, len(parts)):
        parent, owner = "/".join(parts[:end]), "/".join(parts[: end + 1])
        name, fqn, parent_fqn = parts[end], tree.fqn(owner), tree.fqn(parent)
        if parent_fqn == PROVIDER_FRAMEWORK and name in PROVIDER_FRAMEWORK_PARTS:
            return "custom-resource Provider framework"
        if parent_fqn not in STACKS:
            continue
        for kind in _KINDS:
            if (
                fqn == kind.fqn
                and kind.owner.fullmatch(name)
                and kind.evidence(tree, owner, parent)
            ):
                return kind.name
    return None


def tree_near(folder: str) -> ConstructTree | None:
    """The construct tree of the app whose cloud assembly holds `folder`: the `cdk:tree`
    artifact of the folder's manifest or of an enclosing assembly's (CDK Stages are nested
    assemblies; the tree is written once, at the top)."""
    current = os.path.abspath(folder)
    for _ in range(MAX_ASSEMBLY_DEPTH):
        manifest = os.path.join(current, MANIFEST)
        if not os.path.isfile(manifest):
            return None
        tree_file = _tree_file(manifest)
        if tree_file is not None:
            path = os.path.join(current, tree_file)
            try:
                stat = os.stat(path)
            except OSError:
                return None
            return _read_tree(path, stat.st_mtime_ns, stat.st_size)
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent
    return None


def _tree_file(manifest: str) -> str | None:
    for artifact in artifacts_of(read_json(manifest), manifest).values():
        properties = artifact.get("properties")
        file = properties.get("file") if isinstance(properties, Mapping) else None
        if artifact.get("type") == TREE_ARTIFACT and isinstance(file, str):
            return inside(file)
    return None


@lru_cache(maxsize=8)
def _read_tree(path: str, _mtime: int, _size: int) -> ConstructTree:
    """Every construct's class, following the subtrees CDK writes to separate forest files."""
    folder = os.path.dirname(path)
    root = read_json(path)
    fqns: dict[str, str] = {}
    forests: dict[str, Mapping[str, Any]] = {}
    todo: list[object] = [root.get("tree") if isinstance(root, Mapping) else None]
    while todo:
        node = todo.pop()
        if not isinstance(node, Mapping):
            continue
        file, tree_id = node.get("fileName"), node.get("treeId")
        if "constructInfo" not in node and isinstance(file, str) and isinstance(tree_id, str):
            relative = inside(file)
            if relative is not None and relative not in forests:
                forest = read_json(os.path.join(folder, relative))
                inner = forest.get("forest") if isinstance(forest, Mapping) else None
                forests[relative] = inner if isinstance(inner, Mapping) else {}
            todo.append(forests.get(relative or "", {}).get(tree_id))
            continue
        info, node_path = node.get("constructInfo"), node.get("path")
        fqn = info.get("fqn") if isinstance(info, Mapping) else None
        if isinstance(fqn, str) and isinstance(node_path, str):
            fqns[node_path] = fqn
        children = node.get("children")
        if isinstance(children, Mapping):
            todo.extend(children.values())
    return ConstructTree(fqns)
