"""Resolve CloudFormation intrinsic functions into engine-neutral nodes (see `facts.nodes`).

- `Ref` to a parameter gives its default (no default: opaque), except inside a condition, where
  a parameter is never decided by its default; to a resource, a `Ref` node;
  `AWS::NoValue` removes the property; other pseudo parameters are opaque.
- `Fn::GetAtt` to a resource gives a `Ref` node with the attribute.
- `Fn::Sub` and `Fn::Join` give strings, or `Text` when a part is a reference or opaque.
- `Fn::If` picks the branch that the current condition assignment selects. A resource whose
  properties use conditions is resolved once per assignment (its variants), so a rule sees every
  branch, and fails if any branch fails.
- `Fn::Select`, `Fn::Split`, `Fn::FindInMap` and `Fn::Base64` are computed when their inputs are
  literal; anything else (`Fn::ImportValue`, `Fn::GetAZs`, `Fn::Cidr`, ...) is opaque.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from serverless_guard.facts.nodes import INSIDE, Opaque, Ref, Text, text

MAX_CONDITIONS_PER_RESOURCE = 4
UNSEEN = "serverless-guard::Unseen"
"""`{UNSEEN: "what"}` marks a value the loader could not see (an item of a loop over a
collection known only at deployment, say): it resolves to an opaque value described by `what`."""

_NO_VALUE = object()
_SUB_VAR = re.compile(r"\$\{(" + INSIDE + r")\}")
_PSEUDO = {
    "AWS::AccountId",
    "AWS::NotificationARNs",
    "AWS::Partition",
    "AWS::Region",
    "AWS::StackId",
    "AWS::StackName",
    "AWS::URLSuffix",
}


@dataclass(frozen=True, slots=True)
class Stack:
    """The parts of a template that intrinsics read."""

    parameters: Mapping[str, Any]
    mappings: Mapping[str, Any]
    conditions: Mapping[str, Any]
    resources: Mapping[str, Any]


def conditions_used(node: Any, found: set[str] | None = None) -> set[str]:
    """Names of the conditions that `Fn::If` tests inside `node` (an iterative walk)."""
    found = set() if found is None else found
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            branch = item.get("Fn::If") if len(item) == 1 else None
            if isinstance(branch, list) and branch and isinstance(branch[0], str):
                found.add(branch[0])
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


class Resolver:
    """Resolves nodes of one template under one assignment of conditions."""

    def __init__(
        self, stack: Stack, assignment: Mapping[str, bool], *, defaults: bool = True
    ) -> None:
        self.stack = stack
        self.assignment = assignment
        self.defaults = defaults  # parameters resolve to their defaults (else: opaque)
        self._evaluating: set[str] = set()  # conditions being computed: cycles are undecided

    # -- public ------------------------------------------------------------------------------

    def resolve(self, node: Any) -> Any:
        value = self._resolve(node)
        return None if value is _NO_VALUE else value

    # -- conditions --------------------------------------------------------------------------

    def condition(self, name: str, depth: int = 0) -> bool | None:
        """The truth of a named condition: assigned, or computed from literals, else None."""
        if name in self.assignment:
            return self.assignment[name]
        if depth > 20 or name not in self.stack.conditions or name in self._evaluating:
            return None
        self._evaluating.add(name)
        try:
            return self._condition_expr(self.stack.conditions[name], depth + 1)
        finally:
            self._evaluating.discard(name)

    def _condition_expr(self, expr: Any, depth: int) -> bool | None:
        if not isinstance(expr, dict) or len(expr) != 1:
            return None
        ((fn, args),) = expr.items()
        if fn == "Condition" and isinstance(args, str):
            return self.condition(args, depth)
        if not isinstance(args, list):
            return None
        if fn == "Fn::Equals" and len(args) == 2:
            left, right = (self._literal_for_condition(a) for a in args)
            if left is None or right is None:
                return None
            return left == right
        values = [self._condition_expr(a, depth) for a in args]
        if fn == "Fn::Not" and len(values) == 1:
            return None if values[0] is None else not values[0]
        if fn == "Fn::And":
            if any(v is False for v in values):
                return False
            return None if any(v is None for v in values) else True
        if fn == "Fn::Or":
            if any(v is True for v in values):
                return True
            return None if any(v is None for v in values) else False
        return None

    def _literal_for_condition(self, node: Any) -> str | None:
        """A side of Fn::Equals as a literal, or None. Parameters can change at deployment: a
        condition that reads one, however indirectly (Fn::Sub, Fn::FindInMap, Fn::Select,
        Fn::Join of a Ref), is not decided by its default."""
        literal = (
            self if not self.defaults else Resolver(self.stack, self.assignment, defaults=False)
        )
        value = literal.resolve(node)
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, str | int | float):
            return str(value)
        return None

    # -- values ------------------------------------------------------------------------------

    def _resolve(self, node: Any) -> Any:
        if isinstance(node, dict):
            if len(node) == 1:
                ((key, arg),) = node.items()
                handler = _FUNCTIONS.get(key)
                if handler is not None:
                    return handler(self, arg)
            out: dict[str, Any] = {}
            for key, value in node.items():
                resolved = self._resolve(value)
                if resolved is not _NO_VALUE:
                    out[key] = resolved
            return out
        if isinstance(node, list):
            return [v for v in (self._resolve(item) for item in node) if v is not _NO_VALUE]
        return node

    def _ref(self, name: Any) -> Any:
        if not isinstance(name, str):
            return Opaque("Ref to a computed name")
        if name == "AWS::NoValue":
            return _NO_VALUE
        if name in _PSEUDO:
            return Opaque(name)
        if name in self.stack.parameters and not self.defaults:
            return Opaque(f"parameter {name}")
        if name in self.stack.parameters:
            param = self.stack.parameters[name]
            if isinstance(param, dict) and "Default" in param:
                default = param["Default"]
                kind = param.get("Type")
                if isinstance(kind, str) and kind.startswith("AWS::SSM"):
                    return Opaque(f"parameter {name} from SSM")
                if isinstance(kind, str) and _is_list_type(kind) and isinstance(default, str):
                    return [item.strip() for item in default.split(",")]
                return default
            return Opaque(f"parameter {name}")
        if name in self.stack.resources:
            return Ref(name)
        return Opaque(f"Ref {name}")

    def _getatt(self, arg: Any) -> Any:
        if isinstance(arg, str):
            arg = arg.split(".", 1)
        if isinstance(arg, list) and len(arg) == 2 and isinstance(arg[0], str):
            target, attribute = arg
            attribute = self._resolve(attribute)
            if target in self.stack.resources and isinstance(attribute, str):
                return Ref(target, attribute)
        return Opaque("Fn::GetAtt")

    def _sub(self, arg: Any) -> Any:
        variables: Mapping[str, Any] = {}
        if isinstance(arg, list) and len(arg) == 2 and isinstance(arg[1], dict):
            template, variables = arg[0], arg[1]
        else:
            template = arg
        if not isinstance(template, str):
            return Opaque("Fn::Sub with a computed template")
        parts: list[Any] = []
        position = 0
        for match in _SUB_VAR.finditer(template):
            parts.append(template[position : match.start()])
            position = match.end()
            name = match.group(1).strip()
            if name.startswith("!"):
                parts.append("${" + name[1:] + "}")
            elif name in variables:
                parts.extend(_flat(self._part(self._resolve(variables[name]))))
            elif "." in name and name.split(".", 1)[0] in self.stack.resources:
                target, attribute = name.split(".", 1)
                parts.append(Ref(target, attribute))
            else:
                parts.extend(_flat(self._part(self._ref(name))))
        parts.append(template[position:])
        return text(parts)

    def _part(self, value: Any) -> str | Ref | Opaque | Text:
        if value is _NO_VALUE:
            return ""
        if isinstance(value, str | Ref | Opaque | Text):
            return value
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float):
            return str(value)
        return Opaque("structured value in a string")

    def _join(self, arg: Any) -> Any:
        if not (isinstance(arg, list) and len(arg) == 2):
            return Opaque("Fn::Join")
        delimiter = self._resolve(arg[0])
        items = self._resolve(arg[1])
        if not isinstance(delimiter, str) or not isinstance(items, list):
            return Opaque("Fn::Join of a computed list")
        parts: list[str | Ref | Opaque] = []
        for index, item in enumerate(items):
            if index:
                parts.append(delimiter)
            parts.extend(_flat(self._part(item)))
        return text(parts)

    def _if(self, arg: Any) -> Any:
        if not (isinstance(arg, list) and len(arg) == 3 and isinstance(arg[0], str)):
            return Opaque("Fn::If")
        truth = self.condition(arg[0])
        if truth is None:
            return Opaque(f"condition {arg[0]}")
        return self._resolve(arg[1] if truth else arg[2])

    def _select(self, arg: Any) -> Any:
        if not (isinstance(arg, list) and len(arg) == 2):
            return Opaque("Fn::Select")
        index = self._resolve(arg[0])
        items = self._resolve(arg[1])
        try:
            position = int(index)
        except (TypeError, ValueError, OverflowError):
            return Opaque("Fn::Select with a computed index")
        if isinstance(items, list) and 0 <= position < len(items):
            return items[position]
        return Opaque("Fn::Select of a computed list")

    def _split(self, arg: Any) -> Any:
        if isinstance(arg, list) and len(arg) == 2:
            delimiter, source = self._resolve(arg[0]), self._resolve(arg[1])
            if isinstance(delimiter, str) and delimiter and isinstance(source, str):
                return source.split(delimiter)
        return Opaque("Fn::Split")

    def _find_in_map(self, arg: Any) -> Any:
        if isinstance(arg, list) and len(arg) >= 3:
            keys = [self._resolve(a) for a in arg[:3]]
            if all(isinstance(k, str) for k in keys):
                level: Any = self.stack.mappings
                for key in keys:
                    level = level.get(key) if isinstance(level, dict) else None
                # Mapping values are literals: strings, or lists of strings.
                if isinstance(level, str | int | float) or (
                    isinstance(level, list)
                    and all(isinstance(item, str | int | float) for item in level)
                ):
                    return level
        return Opaque("Fn::FindInMap")

    def _base64(self, arg: Any) -> Any:
        return self._resolve(arg)


def _is_list_type(kind: str) -> bool:
    return kind == "CommaDelimitedList" or kind.startswith("List<")


def _flat(part: str | Ref | Opaque | Text) -> tuple[str | Ref | Opaque, ...]:
    """The parts of a string piece: a Text's own parts, or the piece itself."""
    return part.parts if isinstance(part, Text) else (part,)


def _opaque(name: str) -> Any:
    return lambda _resolver, _arg: Opaque(name)


_FUNCTIONS: dict[str, Any] = {
    "Ref": Resolver._ref,
    "Fn::GetAtt": Resolver._getatt,
    "Fn::Sub": Resolver._sub,
    "Fn::Join": Resolver._join,
    "Fn::If": Resolver._if,
    "Fn::Select": Resolver._select,
    "Fn::Split": Resolver._split,
    "Fn::FindInMap": Resolver._find_in_map,
    "Fn::Base64": Resolver._base64,
    "Fn::ImportValue": _opaque("Fn::ImportValue"),
    "Fn::GetAZs": _opaque("Fn::GetAZs"),
    "Fn::Cidr": _opaque("Fn::Cidr"),
    "Fn::Length": _opaque("Fn::Length"),
    "Fn::ToJsonString": _opaque("Fn::ToJsonString"),
    "Fn::Transform": _opaque("Fn::Transform"),
    "Fn::GetStackOutput": _opaque("Fn::GetStackOutput"),
    UNSEEN: lambda _resolver, arg: Opaque(str(arg)),
}


def assignments(stack: Stack, node: Any, forced: Mapping[str, bool]) -> Iterator[dict[str, bool]]:
    """Every assignment of the conditions that `node` tests and literals cannot decide.

    `forced` holds what is already known (a resource's own condition is true wherever its
    properties are read). Past MAX_CONDITIONS_PER_RESOURCE free conditions, the rest stay
    unassigned and their `Fn::If` values are opaque.
    """
    base = Resolver(stack, forced)
    free = sorted(
        name
        for name in conditions_used(node)
        if name not in forced and base.condition(name) is None
    )[:MAX_CONDITIONS_PER_RESOURCE]
    for values in itertools.product((True, False), repeat=len(free)):
        yield {**forced, **dict(zip(free, values, strict=True))}
