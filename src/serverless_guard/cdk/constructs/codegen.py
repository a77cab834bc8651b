"""Generate `_props.py`: the keyword arguments of each wrapped CDK construct as TypedDicts.

    python -m serverless_guard.cdk.constructs.codegen [--check]

Each secure construct takes the same keyword arguments as the construct it wraps
(`SecureFunction(stack, "Fn", runtime=..., handler=..., code=...)`). Their types are read from
the installed aws-cdk-lib, so mypy checks a secure construct's arguments as strictly as the
wrapped construct's. Two differences: a struct argument must be the struct class (the
`dict` form that jsii also accepts is left out, as it is untyped), and every TypedDict comes in
two parts, `<Name>Options` (the optional keywords, which the constructs' defaults fill) and
`<Name>Kwargs` (adding the required ones). With `--check`, nothing is written and the exit
status is 1 when the file differs from what would be generated (after an aws-cdk-lib upgrade).
"""

from __future__ import annotations

import argparse
import collections.abc
import importlib.metadata
import inspect
import sys
import types
import typing
from dataclasses import dataclass
from pathlib import Path

TARGET = Path(__file__).with_name("_props.py")
LINE_LENGTH = 100


@dataclass(frozen=True, slots=True)
class Wrapped:
    name: str
    module: str
    cls: str


WRAPPED = (
    Wrapped("Key", "aws_cdk.aws_kms", "Key"),
    Wrapped("Role", "aws_cdk.aws_iam", "Role"),
    Wrapped("Bucket", "aws_cdk.aws_s3", "Bucket"),
    Wrapped("Function", "aws_cdk.aws_lambda", "Function"),
    Wrapped("RestApi", "aws_cdk.aws_apigateway", "RestApi"),
    Wrapped("HttpApi", "aws_cdk.aws_apigatewayv2", "HttpApi"),
    Wrapped("Table", "aws_cdk.aws_dynamodb", "Table"),
    Wrapped("Queue", "aws_cdk.aws_sqs", "Queue"),
    Wrapped("Topic", "aws_cdk.aws_sns", "Topic"),
    Wrapped("StateMachine", "aws_cdk.aws_stepfunctions", "StateMachine"),
    Wrapped("EventBus", "aws_cdk.aws_events", "EventBus"),
)

_SKIP = ("self", "scope", "id")


class _Renderer:
    def __init__(self) -> None:
        self.modules: set[str] = set()

    def render(self, tp: object) -> str:
        origin = typing.get_origin(tp)
        args = typing.get_args(tp)
        if origin in (typing.Union, types.UnionType):
            parts = [a for a in args if not _untyped_struct(a)]
            return " | ".join(dict.fromkeys(self.render(a) for a in parts))
        if tp is type(None):
            return "None"
        if origin in (collections.abc.Sequence, collections.abc.Mapping):
            inner = ", ".join(self.render(a) for a in args)
            return f"{origin.__name__}[{inner}]"
        if origin is not None or tp is typing.Any:
            raise TypeError(f"unsupported type hint {tp!r}")
        if not isinstance(tp, type):
            raise TypeError(f"unsupported type hint {tp!r}")
        if tp.__module__ == "builtins":
            return tp.__name__
        self.modules.add(tp.__module__)
        return f"{tp.__module__}.{tp.__qualname__}"


def _untyped_struct(tp: object) -> bool:
    """The `Dict[str, Any]` alternative that jsii offers for every struct argument."""
    return typing.get_origin(tp) is dict


def _load(wrapped: Wrapped) -> type:
    module = __import__(wrapped.module, fromlist=[wrapped.cls])
    cls = getattr(module, wrapped.cls)
    assert isinstance(cls, type)
    return cls


def _fields(cls: type, renderer: _Renderer) -> tuple[list[str], list[str]]:
    init = cls.__init__  # type: ignore[misc]
    hints = typing.get_type_hints(init)
    optional: list[str] = []
    required: list[str] = []
    for name, parameter in inspect.signature(init).parameters.items():
        if name in _SKIP:
            continue
        text = renderer.render(hints[name])
        if parameter.default is inspect.Parameter.empty:
            required.append(_field(name, f"Required[{text}]"))
        else:
            optional.append(_field(name, text))
    return optional, required


def _field(name: str, text: str) -> str:
    """A TypedDict field, wrapped as the formatter wraps long ones."""
    line = f"    {name}: {text}"
    return line if len(line) <= LINE_LENGTH else f"    {name}: (\n        {text}\n    )"


def generate() -> str:
    renderer = _Renderer()
    classes: list[str] = []
    for wrapped in WRAPPED:
        optional, required = _fields(_load(wrapped), renderer)
        qualified = f"{wrapped.module}.{wrapped.cls}"
        classes += [
            "",
            "",
            f"class {wrapped.name}Options(TypedDict, total=False):",
            f'    """The optional keyword arguments of `{qualified}`."""',
            "",
            *optional,
            "",
            "",
            f"class {wrapped.name}Kwargs({wrapped.name}Options, total=False):",
            f'    """The keyword arguments of `{qualified}`."""',
            *(["", *required] if required else []),
        ]
    version = importlib.metadata.version("aws-cdk-lib")
    imports = [f"    import {module}" for module in sorted(renderer.modules)]
    head = [
        f'"""Keyword arguments of the wrapped CDK constructs (aws-cdk-lib {version}).',
        "",
        "Generated by `python -m serverless_guard.cdk.constructs.codegen`: do not edit.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "from collections.abc import Mapping, Sequence",
        "from typing import TYPE_CHECKING, Required, TypedDict",
        "",
        "if TYPE_CHECKING:",
        *imports,
    ]
    return "\n".join(head + classes) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when the file is stale")
    args = parser.parse_args(argv)
    text = generate()
    current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
    if args.check:
        if current != text:
            print(f"{TARGET} is stale: run python -m serverless_guard.cdk.constructs.codegen")
            return 1
        return 0
    if current != text:
        TARGET.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
