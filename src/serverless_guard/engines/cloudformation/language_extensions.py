"""`AWS::LanguageExtensions`, expanded as CloudFormation expands it, before SAM and the rules.

A template that declares the transform may use, in its `Conditions`, `Resources` (properties
included) and `Outputs`:

- `Fn::ForEach::<Loop>: [Identifier, Collection, {OutputKey: OutputValue}]`: the fragment is
  repeated for each item of the collection (a list, or anything that resolves to one: a `Ref` to a
  `CommaDelimitedList` parameter, `Fn::Split`, `Fn::FindInMap` ...) and merged into the mapping
  that holds the loop. In each output key `${Identifier}` becomes the item and `&{Identifier}` the
  item without its non-alphanumeric characters; in the values `Ref: Identifier` becomes the item,
  and so does `${Identifier}` inside `Fn::Sub` (where `${!Identifier}` stays literal). Only the
  top-level keys of the fragment are renamed. A `Ref` or `Fn::GetAtt` whose target is an
  `Fn::Sub` names a resource once its identifiers are replaced. Loops nest.
- `Fn::Length` of a list, `Fn::ToJsonString` of an object or a list (compact JSON; a value only
  known at deployment stays an intrinsic inside the string, through `Fn::Join`), and
  `Fn::FindInMap` with intrinsic keys and a `DefaultValue`.
- Intrinsic `DeletionPolicy`, `UpdateReplacePolicy` and resource `Condition` values, resolved
  where the template decides them (parameters take their defaults, as everywhere in the scan);
  a policy decided only at deployment is dropped (no rule reads it).

A collection only known at deployment (a parameter without default, a pseudo parameter) is
expanded once, with an item that is unknown: the fragment's keys keep their `${Identifier}`, its
values read the item as unknown, so every rule still judges what does not depend on the item,
and the loop is reported (a `Gap`). Loops are bounded: past `MAX_KEYS` generated keys or
`MAX_NODES` copied values in one template, the loop is reported as an error and dropped
(CloudFormation itself allows 500 resources in a stack).

Every generated key gets the line of the `Fn::ForEach` that made it, so findings on generated
resources point into the user's file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from serverless_guard.engines.cloudformation.gaps import Gap
from serverless_guard.engines.cloudformation.intrinsics import UNSEEN, Resolver, Stack
from serverless_guard.engines.cloudformation.parse import LineDict, line_of
from serverless_guard.errors import InputError
from serverless_guard.facts.nodes import Opaque, Ref, Text, render

TRANSFORM = "AWS::LanguageExtensions"
FOR_EACH = "Fn::ForEach::"
SECTIONS = ("Conditions", "Resources", "Outputs")
MAX_KEYS = 2_000
MAX_NODES = 1_000_000
_POLICIES = ("DeletionPolicy", "UpdateReplacePolicy")
_NOT_ALPHANUMERIC = re.compile(r"[^0-9A-Za-z]")
_SUB_NAME = re.compile(r"\$\{([^}!][^}]*)\}")


@dataclass(frozen=True, slots=True)
class _Unknown:
    """The item of a loop whose collection is only known at deployment."""

    loop: str
    identifier: str

    def marker(self) -> dict[str, str]:
        return {UNSEEN: f"{self.identifier}, an item of {self.loop}"}


Item = str | _Unknown


class _Overflow(Exception):
    """The loops of the template went past their bound."""


class _Invalid(Exception):
    """A loop CloudFormation would refuse."""


def declares(data: Mapping[str, Any]) -> bool:
    transform = data.get("Transform")
    names = transform if isinstance(transform, list) else [transform]
    return TRANSFORM in names


def expand(data: LineDict, name: str) -> tuple[LineDict, list[Gap]]:
    """The template with its language extensions expanded, and what could not be."""
    if not declares(data):
        _refuse_loops(data, name)
        return data, []
    expander = _Expander(data)
    out = LineDict()
    for key, value in data.items():
        if key in SECTIONS and isinstance(value, Mapping):
            value = expander.section(key, value)
        elif key == "Transform":
            value = [t for t in value if t != TRANSFORM] if isinstance(value, list) else None
            if not value:
                continue
        out[key] = value
        if key in data.lines:
            out.lines[key] = data.lines[key]
    return out, expander.gaps


def _refuse_loops(data: LineDict, name: str) -> None:
    for section in SECTIONS:
        body = _mapping(data.get(section))
        for key in body:
            if key.startswith(FOR_EACH):
                raise InputError(
                    f"{key} needs `Transform: {TRANSFORM}`", file=name, line=line_of(body, key)
                )


class _Expander:
    def __init__(self, data: Mapping[str, Any]) -> None:
        resources = data.get("Resources")
        self.stack = Stack(
            parameters=_mapping(data.get("Parameters")),
            mappings=_mapping(data.get("Mappings")),
            conditions=_mapping(data.get("Conditions")),
            resources=resources if isinstance(resources, Mapping) else {},
        )
        self.resolver = Resolver(self.stack, {})
        self.gaps: list[Gap] = []
        self.keys = 0
        self.nodes = 0

    # -- sections ----------------------------------------------------------------------------

    def section(self, section: str, body: Mapping[str, Any]) -> LineDict:
        out = LineDict()
        for key, value in body.items():
            line = line_of(body, key)
            spent = (self.keys, self.nodes)
            try:
                if key.startswith(FOR_EACH):
                    made = list(self._loop(key, value, {}, line))
                else:
                    made = [(key, self._walk(value, {}), line)]
            except _Overflow:
                self.keys, self.nodes = spent
                self.gaps.append(
                    Gap(
                        f"{key} expands to more than {MAX_KEYS:,} keys or {MAX_NODES:,} values "
                        "(CloudFormation allows 500 resources in a stack): not expanded, not "
                        "checked",
                        resource=key,
                        line=line,
                        error=True,
                    )
                )
                continue
            except _Invalid as err:
                self.gaps.append(Gap(str(err), resource=key, line=line, error=True))
                continue
            for made_key, made_value, made_line in made:
                if made_key in out:
                    self.gaps.append(
                        Gap(
                            f"{key} makes {made_key!r} twice (CloudFormation refuses the "
                            "template): the second one is not checked",
                            resource=made_key,
                            line=made_line,
                            error=True,
                        )
                    )
                    continue
                if section == "Resources" and isinstance(made_value, dict):
                    made_value = self._attributes(made_value)
                out[made_key] = made_value
                if made_line is not None:
                    out.lines[made_key] = made_line
        return out

    def _attributes(self, body: dict[str, Any]) -> dict[str, Any]:
        """Resource attributes that the transform resolves: policies and `Condition`."""
        for attribute in (*_POLICIES, "Condition"):
            value = body.get(attribute)
            if not isinstance(value, Mapping):
                continue
            resolved = self.resolver.resolve(value)
            if isinstance(resolved, str):
                body[attribute] = resolved
            elif resolved is None or attribute in _POLICIES:
                del body[attribute]  # AWS::NoValue, or a policy decided at deployment
        return body

    # -- loops -------------------------------------------------------------------------------

    def _loop(
        self, key: str, value: Any, env: Mapping[str, Item], line: int | None
    ) -> Iterator[tuple[str, Any, int | None]]:
        """The (key, value, line) pairs that one loop merges into the mapping holding it."""
        if not (
            isinstance(value, list)
            and len(value) == 3
            and isinstance(value[0], str)
            and value[0]
            and isinstance(value[2], Mapping)
        ):
            raise _Invalid(f"{key} must be [Identifier, Collection, {{OutputKey: OutputValue}}]")
        identifier, collection, fragment = value
        for item in self._collection(key, identifier, collection, env, line):
            inner = {**env, identifier: item}
            for fragment_key, fragment_value in fragment.items():
                if fragment_key.startswith(FOR_EACH):
                    yield from self._loop(
                        fragment_key, fragment_value, inner, line_of(fragment, fragment_key)
                    )
                    continue
                self.keys += 1
                if self.keys > MAX_KEYS:
                    raise _Overflow
                yield _output_key(fragment_key, inner), self._walk(fragment_value, inner), line

    def _collection(
        self,
        key: str,
        identifier: str,
        collection: Any,
        env: Mapping[str, Item],
        line: int | None,
    ) -> list[Item]:
        resolved = self.resolver.resolve(self._walk(collection, env))
        if isinstance(resolved, list) and all(_is_scalar(item) for item in resolved):
            return [render(item) for item in resolved]
        if isinstance(resolved, list | Opaque | Text | Ref) and not (
            isinstance(resolved, list) and any(_is_structured(item) for item in resolved)
        ):
            what = _describe(resolved)
            self.gaps.append(
                Gap(
                    f"{key} loops over {what}, only known at deployment: the fragment is checked "
                    f"once with {identifier} unknown",
                    resource=key,
                    line=line,
                )
            )
            return [_Unknown(key, identifier)]
        raise _Invalid(f"{key}: the collection must be a list of strings")

    # -- values ------------------------------------------------------------------------------

    def _walk(self, node: Any, env: Mapping[str, Item]) -> Any:
        if env:
            self.nodes += 1
            if self.nodes > MAX_NODES:
                raise _Overflow
        if isinstance(node, list):
            return [self._walk(item, env) for item in node]
        if not isinstance(node, Mapping):
            return node
        if len(node) == 1:
            ((function, arg),) = node.items()
            handler = _FUNCTIONS.get(function)
            if handler is not None:
                return handler(self, arg, env)
        out = LineDict()
        for key, value in node.items():
            if key.startswith(FOR_EACH):
                for made_key, made_value, _ in self._loop(key, value, env, line_of(node, key)):
                    if made_key in node or made_key in out:
                        raise _Invalid(f"{key} makes {made_key!r}, which is already there")
                    out[made_key] = made_value
                    _copy_line(node, key, out, made_key)
                continue
            out[key] = self._walk(value, env)
            _copy_line(node, key, out, key)
        return out

    def _ref(self, arg: Any, env: Mapping[str, Item]) -> Any:
        target = self._target(arg, env)
        if isinstance(target, str) and target in env:
            item = env[target]
            return item.marker() if isinstance(item, _Unknown) else item
        return {"Ref": target}

    def _getatt(self, arg: Any, env: Mapping[str, Item]) -> Any:
        if isinstance(arg, list) and arg:
            return {"Fn::GetAtt": [self._target(arg[0], env), *self._walk(arg[1:], env)]}
        return {"Fn::GetAtt": self._walk(arg, env)}

    def _target(self, node: Any, env: Mapping[str, Item]) -> Any:
        """A `Ref`/`Fn::GetAtt` target: an `Fn::Sub` of identifiers becomes the name it spells
        (an unknown item stays `${Identifier}`, as in the keys of the loop's fragment)."""
        if isinstance(node, Mapping) and list(node) == ["Fn::Sub"]:
            template = node["Fn::Sub"]
            if isinstance(template, str):
                spelled = _substitute(template, env)
                if all(name in env for name in _SUB_NAME.findall(spelled)):
                    return spelled
        return self._walk(node, env)

    def _sub(self, arg: Any, env: Mapping[str, Item]) -> Any:
        if isinstance(arg, str):
            template, variables = arg, {}
        elif isinstance(arg, list) and len(arg) == 2 and isinstance(arg[0], str):
            template, variables = arg[0], self._walk(arg[1], env)
        else:
            return {"Fn::Sub": self._walk(arg, env)}
        if not isinstance(variables, dict):
            return {"Fn::Sub": [template, variables]}
        own = {k: v for k, v in env.items() if k not in variables}
        template = _substitute(template, own)
        unknown = {
            name: item.marker()
            for name, item in own.items()
            if isinstance(item, _Unknown) and "${" + name + "}" in template
        }
        variables = {**variables, **unknown}
        if variables:
            return {"Fn::Sub": [template, variables]}
        return template if "${" not in template else {"Fn::Sub": template}

    def _if(self, arg: Any, env: Mapping[str, Item]) -> Any:
        if isinstance(arg, list) and len(arg) == 3:
            return {"Fn::If": [arg[0], self._walk(arg[1], env), self._walk(arg[2], env)]}
        return {"Fn::If": self._walk(arg, env)}

    def _length(self, arg: Any, env: Mapping[str, Item]) -> Any:
        walked = self._walk(arg, env)
        if isinstance(walked, list):
            return len(walked)
        resolved = self.resolver.resolve(walked)
        return len(resolved) if isinstance(resolved, list) else {"Fn::Length": walked}

    def _find_in_map(self, arg: Any, env: Mapping[str, Item]) -> Any:
        walked = self._walk(arg, env)
        if not (
            isinstance(walked, list)
            and len(walked) == 4
            and isinstance(walked[3], Mapping)
            and "DefaultValue" in walked[3]
        ):
            return {"Fn::FindInMap": walked}
        keys = [self.resolver.resolve(k) for k in walked[:3]]
        if not all(isinstance(k, str) for k in keys):
            return {"Fn::FindInMap": walked[:3]}  # keys known at deployment: the value too
        level: Any = self.stack.mappings
        for key in keys:
            level = level.get(key) if isinstance(level, Mapping) else None
        return walked[3]["DefaultValue"] if level is None else level

    def _to_json(self, arg: Any, env: Mapping[str, Item]) -> Any:
        walked = self._walk(arg, env)
        if not isinstance(walked, Mapping | list):
            return {"Fn::ToJsonString": walked}
        parts: list[Any] = []
        self._json_parts(walked, parts)
        merged: list[Any] = []
        for part in parts:
            if isinstance(part, str) and merged and isinstance(merged[-1], str):
                merged[-1] += part
            else:
                merged.append(part)
        if len(merged) == 1 and isinstance(merged[0], str):
            return merged[0]
        return {"Fn::Join": ["", merged]}

    def _json_parts(self, node: Any, parts: list[Any]) -> None:
        """Compact JSON text of `node`; a value only known at deployment stays an intrinsic,
        inside quotes (CloudFormation writes strings there)."""
        resolved = self.resolver.resolve(node)
        if _is_literal(resolved):
            parts.append(json.dumps(resolved, separators=(",", ":"), ensure_ascii=False))
            return
        if isinstance(node, Mapping) and not (len(node) == 1 and _is_function(next(iter(node)))):
            parts.append("{")
            for index, (key, value) in enumerate(node.items()):
                parts.append(("," if index else "") + json.dumps(key) + ":")
                self._json_parts(value, parts)
            parts.append("}")
        elif isinstance(node, list):
            parts.append("[")
            for index, value in enumerate(node):
                if index:
                    parts.append(",")
                self._json_parts(value, parts)
            parts.append("]")
        else:
            parts.extend(('"', node, '"'))


_FUNCTIONS: dict[str, Any] = {
    "Ref": _Expander._ref,
    "Fn::GetAtt": _Expander._getatt,
    "Fn::Sub": _Expander._sub,
    "Fn::If": _Expander._if,
    "Fn::Length": _Expander._length,
    "Fn::FindInMap": _Expander._find_in_map,
    "Fn::ToJsonString": _Expander._to_json,
}


def _output_key(key: str, env: Mapping[str, Item]) -> str:
    """An output key with the loop's identifiers replaced (`&{}`: alphanumerics only)."""
    for name, item in env.items():
        if isinstance(item, str):
            key = key.replace("${" + name + "}", item)
            key = key.replace("&{" + name + "}", _NOT_ALPHANUMERIC.sub("", item))
    return key


def _substitute(template: str, env: Mapping[str, Item]) -> str:
    """`${Identifier}` of known items replaced in an `Fn::Sub` template (`${!x}` is literal)."""

    def replace(match: re.Match[str]) -> str:
        item = env.get(match.group(1))
        return item if isinstance(item, str) else match.group(0)

    return _SUB_NAME.sub(replace, template)


def _copy_line(source: Mapping[str, Any], key: str, out: LineDict, made: str) -> None:
    line = line_of(source, key)
    if line is not None:
        out.lines[made] = line


def _mapping(node: object) -> Mapping[str, Any]:
    return node if isinstance(node, Mapping) else {}


def _is_function(key: str) -> bool:
    return key == "Ref" or key.startswith("Fn::") or key == UNSEEN


def _is_scalar(value: object) -> bool:
    return isinstance(value, str | int | float)


def _is_structured(value: object) -> bool:
    return isinstance(value, Mapping | list)


def _is_literal(value: object) -> bool:
    if isinstance(value, Ref | Opaque | Text):
        return False
    if isinstance(value, Mapping):
        return all(_is_literal(v) for v in value.values())
    if isinstance(value, list):
        return all(_is_literal(v) for v in value)
    return True


def _describe(value: object) -> str:
    if isinstance(value, Opaque):
        return value.what
    if isinstance(value, Ref | Text):
        return value.render()
    return "a list with items known only at deployment"
