"""How one engine spells one fact field: a property path, and how its value is written.

Tables write paths as text, `PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled` or
`MethodSettings[*].LoggingLevel` (`[*]`: an entry of the list), parsed once into segments.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from serverless_guard.catalog.fix import FixValue

ENTRY = "*"
"""An entry of a list (`[*]`): the one the finding's path names, else a new one."""
ANY_KEY = "{*}"
"""Any key of a map (a `*` name): the one the finding's path names."""
Segments = tuple[str | int, ...]
RenameSegment = Callable[[str], str]

_PART = re.compile(r"([^.\[\]]+)|\[(\*|\d+)\]")


def parse_path(text: str) -> Segments:
    """`A.B[*].C` -> `("A", "B", ENTRY, "C")`; `[0]` -> `0`; `A.*.B` -> `("A", ANY_KEY, "B")`."""
    out: list[str | int] = []
    for name, index in _PART.findall(text):
        if name:
            out.append(ANY_KEY if name == "*" else name)
        else:
            out.append(ENTRY if index == ENTRY else int(index))
    return tuple(out)


def path_text(segments: Segments) -> str:
    """`("A", "B", "*", "C")` -> `A.B[*].C`."""
    out = ""
    for part in segments:
        if isinstance(part, int) or part == ENTRY:
            out += f"[{part}]"
        else:
            name = "*" if part == ANY_KEY else part
            out += f".{name}" if out else name
    return out


@dataclass(frozen=True, slots=True)
class Code:
    """A value written as code in the engine's language (`lambda_.Tracing.ACTIVE`)."""

    text: str


@dataclass(frozen=True, slots=True)
class Spelling:
    """One field as one engine writes it.

    - `path`: property names from the resource's properties (`[*]`: an entry of a list, `*`:
      any key of a map; the entry or key is the one the finding's path names).
    - `resource`: set when the field belongs to another resource the user declares (pulumi-aws's
      `aws:s3/bucketServerSideEncryptionConfiguration:...` for a bucket's encryption): its type.
    - `companions`: settings that go with this one (`MethodSettings[*].HttpMethod` `*`).
    - `values`: the engine's value for an engine-neutral one (`Active` ->
      `Code("lambda_.Tracing.ACTIVE")`); the key `*` stands for any value.
    - `listed`: the property is a list of such values (`Types: [PRIVATE]`).
    - `document`: the index of the segment whose value is a free-form document (a redrive
      policy): the names after it are the document's keys, the same in every engine; `json`:
      the engine takes that document as a JSON string.
    - `structs`: code dialects: the class that builds the value of a segment (CDK
      `deploy_options` -> `apigateway.StageOptions`), instead of a dict.
    - `note`: advice added after the fix.
    - `instead`: the engine cannot set the field on this resource: what to do instead.
    """

    path: Segments
    resource: str | None = None
    companions: tuple[tuple[Segments, FixValue | Code], ...] = ()
    values: Mapping[str, FixValue | Code] = field(default_factory=dict)
    listed: bool = False
    document: int | None = None
    json: bool = False
    structs: Mapping[str, str] = field(default_factory=dict)
    note: str = ""
    instead: str = ""
    matches: Segments | None = None
    """For a spelling renamed from another engine's (Python names from the provider's, an L1's
    from CloudFormation's): the path in the names a finding's path is written in."""

    def renamed(self, rename: RenameSegment, resource: str | None = None) -> Spelling:
        """The same spelling in another engine's names: every segment up to the document
        renamed (`rename(segment)`), companions too; `resource` replaces the other resource."""

        def convert(path: Segments) -> Segments:
            return tuple(
                rename(part)
                if isinstance(part, str)
                and part not in (ENTRY, ANY_KEY)
                and (self.document is None or index <= self.document)
                else part
                for index, part in enumerate(path)
            )

        return replace(
            self,
            path=convert(self.path),
            companions=tuple((convert(path), value) for path, value in self.companions),
            resource=resource,
            matches=self.matches or self.path,
        )


def spell(
    path: str,
    *,
    resource: str | None = None,
    companions: Mapping[str, FixValue | Code] | None = None,
    values: Mapping[str, FixValue | Code] | None = None,
    listed: bool = False,
    document: str | None = None,
    json: bool = False,
    structs: Mapping[str, str] | None = None,
    note: str = "",
) -> Spelling:
    """A spelling from its text form; `document` names the segment holding a document."""
    segments = parse_path(path)
    return Spelling(
        path=segments,
        resource=resource,
        companions=tuple((parse_path(p), v) for p, v in (companions or {}).items()),
        values=dict(values or {}),
        listed=listed,
        document=segments.index(document) if document is not None else None,
        json=json,
        structs=dict(structs or {}),
        note=note,
    )


Table = Mapping[str, Mapping[str, Spelling | tuple[Spelling, ...]]]
"""Spellings by resource type and fact field (`Table.point_in_time_recovery`)."""


def lookup(table: Table, type_: str, key: str) -> tuple[Spelling, ...]:
    found = table.get(type_, {}).get(key)
    if found is None:
        return ()
    return found if isinstance(found, tuple) else (found,)


def cannot(instead: str, where: str = "") -> Spelling:
    """The engine has no such property on this resource: do `instead` (`where`: the finding's
    path this applies to, when another spelling applies elsewhere)."""
    return Spelling(path=parse_path(where), instead=instead)


# Casing rules of the engines' generated names.

_ACRONYM_END = re.compile(r"([A-Z]+)([A-Z][a-z])")
_WORD_END = re.compile(r"([a-z0-9])([A-Z])")


def snake_case(name: str) -> str:
    """`pointInTimeRecovery` -> `point_in_time_recovery`, `KMSMasterKeyID` ->
    `kms_master_key_id`: how Pulumi's Python SDKs and jsii's Python bindings name properties."""
    name = _ACRONYM_END.sub(r"\1_\2", name)
    return _WORD_END.sub(r"\1_\2", name).lower()
