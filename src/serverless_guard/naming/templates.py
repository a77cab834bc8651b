"""How the author of each resource of a loaded template wrote it: SAM for a resource generated
from a SAM resource, the CDK for a resource with a construct path (with the constructs that
made it, from the app's construct tree), else CloudFormation."""

from __future__ import annotations

import os

from serverless_guard.engines.cloudformation.cdk_framework import ConstructTree, tree_near
from serverless_guard.engines.cloudformation.stack_facts import LoadedStack, Origin
from serverless_guard.facts.base import Resource
from serverless_guard.naming.wording import Dialect, SamSource, Wording

# Where the chain of constructs that made a resource ends.
SCOPES = frozenset(
    {"aws-cdk-lib.App", "aws-cdk-lib.Stage", "aws-cdk-lib.Stack", "aws-cdk-lib.NestedStack"}
)


def constructs_of(path: str, tree: ConstructTree) -> tuple[tuple[str, str], ...]:
    """`(id, fqn)` of the construct at `path` and of each scope above it, up to (not
    including) its stack; empty when the tree does not hold the path."""
    out: list[tuple[str, str]] = []
    while path:
        fqn = tree.fqn(path)
        if fqn is None or fqn in SCOPES:
            break
        out.append((path.rpartition("/")[2], fqn))
        path = path.rpartition("/")[0]
    return tuple(out)


class TemplateWords:
    """The words of a loaded template's resources (its assembly's tree read once)."""

    def __init__(self, stack: LoadedStack) -> None:
        self.stack = stack
        self._tree: ConstructTree | None = None
        self._tree_read = False

    def tree(self) -> ConstructTree | None:
        if not self._tree_read:
            self._tree_read = True
            path = self.stack.path
            self._tree = tree_near(os.path.dirname(os.path.abspath(path))) if path else None
        return self._tree

    def __call__(self, fact: Resource) -> Wording:
        origin = self.stack.origins.get(fact.id, Origin())
        if origin.source_type is not None:
            sam = SamSource(
                origin.source_type,
                origin.source_properties,
                origin.global_properties,
                origin.source_resource or "",
            )
            return Wording(Dialect.SAM, fact.type, sam=sam)
        if origin.construct_path is not None:
            tree = self.tree()
            chain = constructs_of(origin.construct_path, tree) if tree is not None else ()
            return Wording(Dialect.CDK, fact.type, constructs=chain)
        return Wording(Dialect.CLOUDFORMATION, fact.type)
