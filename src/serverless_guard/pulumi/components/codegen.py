"""Generate `_wrapped.py`: the keyword arguments and the outputs of each wrapped pulumi-aws
resource, as the components take and forward them.

    python -m serverless_guard.pulumi.components.codegen [--check]

Each component takes the keyword arguments of the resource it wraps
(`SecureTable("orders", hash_key="id", attributes=[...])`) and has its outputs under the same
names (`table.arn`, `table.name`). Both are read from the installed pulumi-aws, from the source
of each resource class (its keyword constructor and its output getters), so mypy checks a
component's arguments and outputs as strictly as the resource's:

- `<Name>Kwargs`, a TypedDict of every keyword argument with the type pulumi-aws declares
  (forward references qualified, `Optional[X]` written `X | None`). All are optional here:
  pulumi-aws checks required ones when the resource is built, with its own message.
- `<Name>Outputs`, a mixin with one property per output of the resource (and `id`) that reads
  the wrapped resource's (`_wrapped`).

With `--check`, nothing is written and the exit status is 1 when the file differs from what
would be generated (after a pulumi-aws upgrade).
"""

from __future__ import annotations

import argparse
import ast
import importlib
import importlib.metadata
import inspect
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from serverless_guard.generated import write_or_check

TARGET = Path(__file__).with_name("_wrapped.py")


@dataclass(frozen=True, slots=True)
class Wrapped:
    name: str
    module: str
    cls: str


WRAPPED = (
    Wrapped("Key", "pulumi_aws.kms", "Key"),
    Wrapped("Role", "pulumi_aws.iam", "Role"),
    Wrapped("Bucket", "pulumi_aws.s3", "Bucket"),
    Wrapped("Function", "pulumi_aws.lambda_", "Function"),
    Wrapped("RestApi", "pulumi_aws.apigateway", "RestApi"),
    Wrapped("HttpApi", "pulumi_aws.apigatewayv2", "Api"),
    Wrapped("Table", "pulumi_aws.dynamodb", "Table"),
    Wrapped("Queue", "pulumi_aws.sqs", "Queue"),
    Wrapped("Topic", "pulumi_aws.sns", "Topic"),
    Wrapped("StateMachine", "pulumi_aws.sfn", "StateMachine"),
    Wrapped("EventBus", "pulumi_aws.cloudwatch", "EventBus"),
    Wrapped("GraphqlApi", "pulumi_aws.appsync", "GraphQLApi"),
    Wrapped("UserPool", "pulumi_aws.cognito", "UserPool"),
)

_SKIP_ARGS = ("__self__", "resource_name", "opts", "__props__")
# Outputs every resource has that a component has of its own (its URN, name and type).
_SKIP_OUTPUTS = ("urn", "pulumi_resource_name", "pulumi_resource_type")
_TYPING = ("Sequence", "Mapping", "Any")
_BUILTINS = ("str", "int", "float", "bool", "bytes", "object")


class _Qualifier(ast.NodeTransformer):
    """Rewrites an annotation of a pulumi-aws module into one that reads anywhere: names in
    strings (forward references) qualified by their public module, `_builtins.str` as `str`,
    `Optional[X]` as `X | None` and `Union[X, Y]` as `X | Y`."""

    def __init__(self, module: ModuleType) -> None:
        self.module = module
        self.package = module.__name__.rsplit(".", 1)[0]
        self.modules: set[str] = set()
        self.typing: set[str] = set()

    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        if not isinstance(node.value, str):
            return node
        return ast.parse(self._qualified(node.value), mode="eval").body

    def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
        if isinstance(node.value, ast.Name) and node.value.id == "_builtins":
            return ast.Name(node.attr)
        if isinstance(node.value, ast.Name) and node.value.id == "pulumi":
            return node
        raise TypeError(f"unsupported annotation {ast.unparse(node)}")

    def visit_Name(self, node: ast.Name) -> ast.AST:
        if node.id in _TYPING:
            self.typing.add(node.id)
            return node
        if node.id in ("Optional", "Union", "pulumi", *_BUILTINS):
            return node
        raise TypeError(f"unsupported annotation name {node.id}")

    def visit_Subscript(self, node: ast.Subscript) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.value, ast.Name) and node.value.id in ("Optional", "Union"):
            items = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            if node.value.id == "Optional":
                items = [*items, ast.Constant(None)]
            members = [m for item in items for m in _members(item)]
            unique = list({ast.unparse(m): m for m in members}.values())
            result = unique[0]
            for item in unique[1:]:
                result = ast.BinOp(result, ast.BitOr(), item)
            return result
        return node

    def _qualified(self, text: str) -> str:
        obj: object = self.module
        for part in text.split("."):
            obj = getattr(obj, part)
        name = getattr(obj, "__qualname__", None)
        if not isinstance(obj, type) or not isinstance(name, str):
            raise TypeError(f"forward reference {text} is not a class")
        package = importlib.import_module(self.package)
        if getattr(package, name, None) is obj:
            where = self.package
        elif text.startswith("outputs."):
            where = f"{self.package}.outputs"
        else:
            where = obj.__module__
        self.modules.add(where)
        return f"{where}.{name}"


def _members(node: ast.expr) -> list[ast.expr]:
    """The members of a union written with `|` (flattened), or the node itself."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return [*_members(node.left), *_members(node.right)]
    return [node]


def _annotation(node: ast.expr, qualifier: _Qualifier) -> str:
    rewritten = qualifier.visit(ast.parse(ast.unparse(node), mode="eval").body)
    return ast.unparse(rewritten)


def _function(obj: object) -> ast.FunctionDef:
    tree = ast.parse(textwrap.dedent(inspect.getsource(obj)))  # type: ignore[arg-type]
    node = tree.body[0]
    assert isinstance(node, ast.FunctionDef)
    return node


def _load(wrapped: Wrapped) -> tuple[type, ModuleType]:
    package = importlib.import_module(wrapped.module)
    cls = getattr(package, wrapped.cls)
    assert isinstance(cls, type)
    return cls, sys.modules[cls.__module__]


def kwargs_class(wrapped: Wrapped, qualifier: _Qualifier) -> list[str]:
    cls, _ = _load(wrapped)
    init = _function(cls._internal_init)  # type: ignore[attr-defined]
    fields = [
        f"    {arg.arg}: {_annotation(arg.annotation, qualifier)}"
        for arg in init.args.args
        if arg.arg not in _SKIP_ARGS and arg.annotation is not None
    ]
    qualified = f"{wrapped.module}.{wrapped.cls}"
    return [
        f"class {wrapped.name}Kwargs(TypedDict, total=False):",
        f'    """The keyword arguments of `{qualified}`."""',
        "",
        *fields,
    ]


def outputs_class(wrapped: Wrapped, qualifier: _Qualifier) -> list[str]:
    cls, _ = _load(wrapped)
    qualified = f"{wrapped.module}.{wrapped.cls}"
    lines = [
        f"class {wrapped.name}Outputs:",
        f'    """The outputs of `{qualified}`, read from the wrapped resource."""',
        "",
        f"    _wrapped: {qualified}",
        "",
        "    @property",
        "    def id(self) -> pulumi.Output[str]:",
        "        return self._wrapped.id",
    ]
    for name, member in cls.__dict__.items():
        if not isinstance(member, property) or name in _SKIP_OUTPUTS or member.fget is None:
            continue
        returns = _function(member.fget).returns
        assert returns is not None, name
        lines += [
            "",
            "    @property",
            f"    def {name}(self) -> {_annotation(returns, qualifier)}:",
            f"        return self._wrapped.{name}",
        ]
    return lines


def generate() -> str:
    classes: list[str] = []
    modules: set[str] = set()
    typing_names: set[str] = set()
    for wrapped in WRAPPED:
        _, module = _load(wrapped)
        qualifier = _Qualifier(module)
        classes += ["", "", *kwargs_class(wrapped, qualifier)]
        classes += ["", "", *outputs_class(wrapped, qualifier)]
        modules |= qualifier.modules | {wrapped.module}
        typing_names |= qualifier.typing
    version = importlib.metadata.version("pulumi-aws")
    abc_names = sorted(typing_names & {"Mapping", "Sequence"})
    other_typing = sorted(typing_names - {"Mapping", "Sequence"})
    head = [
        '"""Keyword arguments and outputs of the wrapped pulumi-aws resources',
        f"(pulumi-aws {version}).",
        "",
        "Generated by `python -m serverless_guard.pulumi.components.codegen`: do not edit.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        *([f"from collections.abc import {', '.join(abc_names)}"] if abc_names else []),
        f"from typing import {', '.join(['TYPE_CHECKING', *other_typing, 'TypedDict'])}",
        "",
        "import pulumi",
        "",
        "if TYPE_CHECKING:",
        *[f"    import {module}" for module in sorted(modules)],
    ]
    return _formatted("\n".join(head + classes) + "\n")


def _formatted(source: str) -> str:
    """The source as `ruff format` writes it (the project's formatter, a dev dependency)."""
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--stdin-filename", str(TARGET), "-"],
        input=source,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when the file is stale")
    args = parser.parse_args(argv)
    return write_or_check(
        {TARGET: generate()},
        check=args.check,
        command="python -m serverless_guard.pulumi.components.codegen",
    )


if __name__ == "__main__":
    sys.exit(main())
