"""Normalize an IAM policy document (a resolved node or a JSON string) into `PolicyDocument`."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from serverless_guard.engines.props import opaque_reason, scalar_text
from serverless_guard.facts.nodes import Opaque, Text
from serverless_guard.facts.policy import Condition, PolicyDocument, Principal, Statement
from serverless_guard.facts.value import Absent, Known, Path, Unknown, Value


def _strings(node: Any) -> tuple[str, ...]:
    if node is None:
        return ()
    items = node if isinstance(node, Sequence) and not isinstance(node, str) else [node]
    out: list[str] = []
    for item in items:
        text = scalar_text(item)
        out.append(text if text is not None else Opaque("structured value").render())
    return tuple(out)


def _principals(node: Any) -> tuple[Principal, ...]:
    if node is None:
        return ()
    if not isinstance(node, Mapping):
        text = scalar_text(node)
        return (Principal("*", text if text is not None else Opaque("principal").render()),)
    return tuple(
        Principal(str(kind), value) for kind, values in node.items() for value in _strings(values)
    )


def _conditions(node: Any) -> tuple[Condition, ...]:
    """Conditions as (operator, key, values). A condition block, or one operator's entries,
    only known at deployment is kept as a condition whose operator and key are that opaque
    value: it is a condition (a statement with it is not unconditional), but it matches no key."""
    if node is None:
        return ()
    if not isinstance(node, Mapping):
        opaque = Opaque(opaque_reason(node) or "condition").render()
        return (Condition(opaque, opaque, ()),)
    out: list[Condition] = []
    for operator, entries in node.items():
        if isinstance(entries, Mapping):
            out.extend(
                Condition(str(operator), str(key), _strings(values))
                for key, values in entries.items()
            )
        else:
            opaque = Opaque(opaque_reason(entries) or "condition").render()
            out.append(Condition(str(operator), opaque, ()))
    return tuple(out)


def _statement(node: Mapping[str, Any], at: Path) -> Statement:
    return Statement(
        effect=scalar_text(node.get("Effect")) or "",
        sid=scalar_text(node.get("Sid")) or "",
        actions=_strings(node.get("Action")),
        not_actions=_strings(node.get("NotAction")),
        resources=_strings(node.get("Resource")),
        not_resources=_strings(node.get("NotResource")),
        principals=_principals(node.get("Principal")),
        not_principals=_principals(node.get("NotPrincipal")),
        conditions=_conditions(node.get("Condition")),
        at=at,
    )


def _json_text(text: Text) -> Any:
    """A JSON document written as a string with parts that are references or only known at
    deployment (`!Sub '{"Statement": [{"Resource": "arn:aws:s3:::${Bucket}/*"}]}'`): parsed
    with each such part standing in a string as its rendered form (`${Bucket}`, `${?what}`), so
    that the known parts are read as they are. Raises ValueError (the document is unknown) when
    a part is not inside a string (a deploy-time number, a whole list)."""
    literal = "".join(p for p in text.parts if isinstance(p, str))
    serial = 0
    while f"\ue000{serial}" in literal:
        serial += 1
    marks: dict[str, str] = {}
    pieces: list[str] = []
    for part in text.parts:
        if isinstance(part, str):
            pieces.append(part)
        else:
            mark = f"\ue000{serial}.{len(marks)}\ue001"
            marks[mark] = part.render()
            pieces.append(mark)

    def restore(node: Any) -> Any:
        if isinstance(node, str):
            for mark, rendered in marks.items():
                node = node.replace(mark, rendered)
            return node
        if isinstance(node, dict):
            return {restore(key): restore(value) for key, value in node.items()}
        if isinstance(node, list):
            return [restore(item) for item in node]
        return node

    return restore(json.loads("".join(pieces)))


def policy_document(node: Any, at: Path) -> Value[PolicyDocument]:
    """A policy document from a mapping, a JSON string (whose parts may be references or only
    known at deployment, as `Fn::Sub` writes it), or an opaque node."""
    if node is None:
        return Absent(at)
    if isinstance(node, Text):
        try:
            node = _json_text(node)
        except ValueError:
            return Unknown(opaque_reason(node) or "policy document built at deployment", at)
    if isinstance(node, str):
        try:
            node = json.loads(node)
        except ValueError:
            return Unknown("policy document is not valid JSON", at)
    if isinstance(node, Opaque | Text):
        return Unknown(opaque_reason(node) or "policy document built at deployment", at)
    if not isinstance(node, Mapping):
        return Unknown("policy document is not a mapping", at)
    raw = node.get("Statement")
    if raw is None:
        return Known(PolicyDocument((), at), at)
    if isinstance(raw, Opaque):
        return Unknown(raw.what, (*at, "Statement"))
    items = [raw] if isinstance(raw, Mapping) else raw
    if not isinstance(items, Sequence) or isinstance(items, str):
        return Unknown("Statement is not a list", (*at, "Statement"))
    statements: list[Statement] = []
    for index, item in enumerate(items):
        where = (*at, "Statement", index)
        if isinstance(item, Mapping):
            statements.append(_statement(item, where))
        else:
            return Unknown(opaque_reason(item) or "statement is not a mapping", where)
    return Known(PolicyDocument(tuple(statements), at), at)
