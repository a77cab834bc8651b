"""A `Fix` in the words of one engine: property paths, or Python keyword arguments.

Path dialects (CloudFormation, SAM, `pulumi preview`) read "set TracingConfig.Mode to Active";
code dialects (Pulumi Python programs, the CDK) read `tracing_config={"mode": "Active"}`. Where
the finding's path points into a list entry, the fix names that entry; a list entry the user
adds is written with the settings that go with it (`MethodSettings` entries for all methods).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from serverless_guard.catalog.fix import AnyOf, Choice, Fix, FixValue, Setting
from serverless_guard.facts.base import Resource
from serverless_guard.facts.value import Path
from serverless_guard.naming.display import resource_name, to_python
from serverless_guard.naming.spelling import ANY_KEY, ENTRY, Code, Segments, Spelling, path_text
from serverless_guard.naming.wording import Dialect, Wording, spellings

CODE_DIALECTS = (Dialect.PULUMI_PYTHON, Dialect.CDK)


@dataclass(slots=True)
class _Clause:
    """Settings of one resource (None: the finding's), rendered together."""

    resource: str | None
    exists: bool = False
    """The other resource exists: the finding's path points into it."""
    items: list[tuple[Segments, FixValue | Code, Spelling]] = field(default_factory=list)


def fix_text(
    fix: Fix, wording: Wording, at: Path = (), words: Callable[[Resource], Wording] | None = None
) -> str:
    """The fix, in the wording's dialect: options joined by ", or " (each said once). Settings
    on another resource (`Setting.on`) are worded as that resource's author wrote it
    (`words`)."""
    if all(s.on is None for s in fix.settings):
        return _said(fix, wording, at)  # the same for every resource worded alike
    options = [_on_each(option, wording, at, words) for option in fix.options]
    return ", or ".join(dict.fromkeys(options))


@lru_cache(maxsize=4096)
def _said(fix: Fix, wording: Wording, at: Path) -> str:
    options = [_on_each(option, wording, at, None) for option in fix.options]
    return ", or ".join(dict.fromkeys(options))


def _on_each(
    option: Sequence[Setting],
    wording: Wording,
    at: Path,
    words: Callable[[Resource], Wording] | None,
) -> str:
    texts: list[str] = []
    targets: list[Resource | None] = []
    for setting in option:  # in order, each resource once (facts need not be hashable)
        if not any(setting.on is seen for seen in targets):
            targets.append(setting.on)
    for on in targets:
        settings = [s for s in option if s.on is on]
        if on is None:
            texts.append(_option(settings, wording, at))
            continue
        theirs = words(on) if words is not None else Wording(wording.dialect, on.type)
        text = _option(settings, theirs, ())
        written = theirs.sam.id if theirs.sam is not None and theirs.sam.id else on.name
        if wording.sam is not None and written == wording.sam.id:
            texts.append(text)  # generated from the same SAM resource: the user writes it there
        else:
            texts.append(f"in {written}, {text}")
    return " and ".join(texts)


def choose(
    candidates: Sequence[Spelling], at: Path, resources: Collection[str | None] = ()
) -> Spelling:
    """The spelling the finding's path points into (the longest match); between equals, one
    on a resource the fix's other settings are on (`resources`), else the first."""
    return max(
        candidates,
        key=lambda s: (
            _matching(_as_found(s), at),
            s.resource is not None and s.resource in resources,
        ),
    )


def _as_found(spelling: Spelling) -> Segments:
    """The spelling's path in the names the finding's path uses."""
    return spelling.matches or spelling.path


def _matching(path: Segments, at: Path) -> int:
    count = 0
    for mine, theirs in zip(path, at, strict=False):
        if mine in (theirs, ANY_KEY) or (mine == ENTRY and isinstance(theirs, int)):
            count += 1
        else:
            break
    return count


def resolve(spelling: Spelling, at: Path) -> Segments:
    """The spelling's path with the list entries (and map keys) the finding's path names."""
    out = list(spelling.path)
    for index, (mine, theirs) in enumerate(zip(_as_found(spelling), at, strict=False)):
        if mine in (ENTRY, ANY_KEY) and index < len(out):
            out[index] = theirs
        elif mine != theirs:
            break
    return tuple(out)


def _spellings(wording: Wording, setting: Setting) -> tuple[Spelling, ...]:
    found = spellings(wording, setting)
    if wording.dialect is Dialect.PULUMI_PYTHON:
        return tuple(to_python(s) for s in found)
    return found


def _option(option: Sequence[Setting], wording: Wording, at: Path) -> str:
    code = wording.dialect in CODE_DIALECTS
    clauses: list[_Clause] = []
    texts: list[str] = []
    notes: list[str] = []
    chosen: list[tuple[Setting, Spelling]] = []
    spelled = [(setting, _spellings(wording, setting)) for setting in option]
    # A setting with one way to write it decides the resource of those with several (a new
    # route's key and its authorization, on the route to declare rather than in a body).
    sure = {found[0].resource for _, found in spelled if len(found) == 1}
    for setting, candidates in spelled:
        if not candidates:
            texts.append(f"set {setting.field.replace('_', ' ')} to {_word(setting.value)}")
        elif (spelling := choose(candidates, at, sure)).instead:
            texts.append(spelling.instead)
        else:
            chosen.append((setting, spelling))
    # Another resource exists when the finding points at one of its fields.
    existing = {
        s.resource for _, s in chosen if s.resource and _matching(_as_found(s), at) == len(s.path)
    }
    for setting, spelling in chosen:
        if spelling.note and spelling.note not in notes:
            notes.append(spelling.note)
        resource = resource_name(spelling.resource, wording) if spelling.resource else None
        exists = spelling.resource in existing
        clause = next((c for c in clauses if c.resource == resource), None)
        if clause is None:
            clause = _Clause(resource, exists)
            clauses.append(clause)
        path = resolve(spelling, at) if resource is None or exists else spelling.path
        main = (path, _engine_value(spelling, setting.value), spelling)
        entry_named = resource is None and path != spelling.path
        companions = [
            (companion, value, spelling)
            for companion, value in spelling.companions
            # what makes a new entry or resource is not needed for an existing one
            if not exists and not (entry_named and ENTRY in companion)
        ]
        # What makes a new resource or list entry reads first: methodPath */*, then settings.
        first = (resource is not None and not exists) or ENTRY in path
        clause.items += [*companions, main] if first else [main, *companions]
    texts += [_code_clause(clause) if code else _path_clause(clause) for clause in clauses]
    text = " and ".join(texts)
    if code:
        text += "".join(_alternatives(clause) for clause in clauses)
    return text + "".join(f"; {note}" for note in notes)


def _engine_value(spelling: Spelling, value: FixValue) -> FixValue | Code:
    if isinstance(value, Choice):
        key = value.text
    elif isinstance(value, AnyOf):
        key = value.values[0]
    else:
        key = _word(value)
    found = spelling.values.get(key, spelling.values.get(ENTRY))
    return value if found is None else found


# Path dialects --------------------------------------------------------------------------------


def _word(value: FixValue | Code, listed: bool = False) -> str:
    """A value as a template or `pulumi preview` shows it."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, Choice | Code):
        return value.text
    elif isinstance(value, AnyOf):
        head, last = value.values[:-1], value.values[-1]
        return f"{', '.join(head)} or {last}" if head else last
    else:
        text = str(value) if value != "" else '""'
    return f"[{text}]" if listed else text


def _path_clause(clause: _Clause) -> str:
    plain: list[tuple[Segments, str]] = []
    entries: dict[Segments, list[str]] = {}
    for path, value, spelling in clause.items:
        shown = _word(value, spelling.listed and _same_field(path, spelling.path))
        if ENTRY in path and spelling.companions:
            cut = path.index(ENTRY)
            entries.setdefault(path[:cut], []).append(f"{path_text(path[cut + 1 :])} {shown}")
            continue
        plain.append((tuple(0 if p == ENTRY else p for p in path), shown))
    added = [
        f"an entry in {path_text(prefix)} with {_join(settings)}"
        for prefix, settings in entries.items()
    ]
    scope, plain = _factored(plain)
    if clause.resource is not None and not clause.exists:
        listed = [f"{path} set to {shown}" for path, shown in _settings(plain)] + added
        where = f" in {path_text(scope)}" if scope else ""
        return f"declare {_article(clause.resource)} {clause.resource} with {_join(listed)}{where}"
    settings = _join([f"{path} to {shown}" for path, shown in _settings(plain)])
    parts = (
        [f"in {path_text(scope)}, set {settings}" if scope else f"set {settings}"] if plain else []
    )
    parts += [f"add {entry}" for entry in added]
    text = " and ".join(parts)
    return f"in its {clause.resource}, {text}" if clause.resource else text


def _factored(plain: list[tuple[Segments, str]]) -> tuple[Segments, list[tuple[Segments, str]]]:
    """Several settings of one object to one value: the object, and each setting within it
    (`in PublicAccessBlockConfiguration, set BlockPublicAcls, ... to true`)."""
    if len(plain) < 2 or len({shown for _, shown in plain}) != 1:
        return (), plain
    scope: Segments = plain[0][0][:-1]
    for path, _ in plain[1:]:
        while scope and path[: len(scope)] != scope:
            scope = scope[:-1]
    if any(isinstance(part, int) for part in scope[-1:]):
        return (), plain
    return scope, [(path[len(scope) :], shown) for path, shown in plain]


def _settings(plain: list[tuple[Segments, str]]) -> list[tuple[str, str]]:
    """Settings to one value read `A, B and C to V`; others `A to V and B to W`."""
    if len(plain) > 1 and len({shown for _, shown in plain}) == 1:
        names = _join([path_text(path) for path, _ in plain])
        return [(names, plain[0][1])]
    return [(path_text(path), shown) for path, shown in plain]


def _same_field(path: Segments, spelled: Segments) -> bool:
    return len(path) == len(spelled) and all(
        a == b or b in (ENTRY, ANY_KEY) for a, b in zip(path, spelled, strict=True)
    )


def _join(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _article(name: str) -> str:
    return "an" if name[:1].lower() in "aeiou" else "a"


# Code dialects --------------------------------------------------------------------------------


def _literal(value: FixValue | Code, listed: bool = False) -> str:
    """A value as Python source."""
    if isinstance(value, Code):
        text = value.text
    elif isinstance(value, Choice):
        text = f"<{value.text}>"
    elif isinstance(value, AnyOf):
        text = json.dumps(value.values[0])
    elif isinstance(value, bool | int):
        text = repr(value)
    else:
        text = json.dumps(value)
    return f"[{text}]" if listed else text


@dataclass(slots=True)
class _Node:
    """A keyword's value being built: a leaf, a dict (or struct) of keywords, or a list of one."""

    leaf: str | None = None
    keys: dict[str | int, _Node] = field(default_factory=dict)
    struct: str | None = None
    json: bool = False

    def child(self, key: str | int) -> _Node:
        return self.keys.setdefault(key, _Node())

    def source(self) -> str:
        if self.leaf is not None:
            return self.leaf
        if ENTRY in self.keys:
            return f"[{self.keys[ENTRY].source()}]"
        if self.struct:
            inner = ", ".join(f"{k}={v.source()}" for k, v in self.keys.items())
            return f"{self.struct}({inner})"
        inner = ", ".join(f"{json.dumps(k)}: {v.source()}" for k, v in self.keys.items())
        text = "{" + inner + "}"
        return f"json.dumps({text})" if self.json else text


def _code_clause(clause: _Clause) -> str:
    scopes: dict[Segments, _Node] = {}
    for path, value, spelling in clause.items:
        cut = max((i for i, part in enumerate(path) if isinstance(part, int)), default=-1)
        scope, rest = path[: cut + 1], path[cut + 1 :]
        node = scopes.setdefault(scope, _Node())
        for index, part in enumerate(rest):
            node = node.child(part)
            if isinstance(part, str) and part in spelling.structs:
                node.struct = spelling.structs[part]
            absolute = cut + 1 + index
            if spelling.json and spelling.document == absolute:
                node.json = True
        node.leaf = _literal(value, spelling.listed and _same_field(path, spelling.path))
    parts: list[str] = []
    for scope, node in scopes.items():
        arguments = ", ".join(f"{k}={v.source()}" for k, v in node.keys.items())
        if clause.resource is not None and not clause.exists:
            parts.append(f"declare {clause.resource}({arguments})")
        elif scope:
            parts.append(f"in {path_text(scope)}, set {arguments}")
        else:
            parts.append(f"set {arguments}")
    text = " and ".join(parts)
    return f"in its {clause.resource}, {text}" if clause.exists else text


def _alternatives(clause: _Clause) -> str:
    """`(or "INFO")` for each value that may also be another."""
    out = ""
    for _, value, _ in clause.items:
        if isinstance(value, AnyOf) and len(value.values) > 1:
            out += f" (or {', '.join(json.dumps(v) for v in value.values[1:])})"
    return out
