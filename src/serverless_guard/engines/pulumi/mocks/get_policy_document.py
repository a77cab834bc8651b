"""What `aws.iam.get_policy_document` answers: the IAM JSON document of its statements, merged
with its source and override documents as the provider merges them."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from serverless_guard.engines.pulumi.mocks.resource_context import Outputs, digest
from serverless_guard.engines.pulumi.mocks.wire import unwrap


def _strings(value: Any) -> list[str]:
    value = unwrap(value)
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [str(unwrap(v)) for v in value if unwrap(v) is not None]
    return []


def _one_or_many(values: list[str]) -> str | list[str]:
    unique = list(dict.fromkeys(values))
    return unique[0] if len(unique) == 1 else unique


def _principals(entries: Any) -> str | dict[str, Any]:
    grouped: dict[str, list[str]] = {}
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, Mapping):
            continue
        kind = str(unwrap(entry.get("type")) or "AWS")
        grouped.setdefault(kind, []).extend(_strings(entry.get("identifiers")))
    if set(grouped) == {"*"}:
        return "*"
    return {kind: _one_or_many(ids) for kind, ids in grouped.items()}


def _conditions(entries: Any) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, Mapping):
            continue
        test, variable = unwrap(entry.get("test")), unwrap(entry.get("variable"))
        values = _strings(entry.get("values"))
        out.setdefault(str(test), {})[str(variable)] = _one_or_many(values) if values else []
    return out


def _statement(raw: Mapping[str, Any]) -> dict[str, Any]:
    statement: dict[str, Any] = {}
    sid = unwrap(raw.get("sid"))
    if isinstance(sid, str) and sid:
        statement["Sid"] = sid
    statement["Effect"] = unwrap(raw.get("effect")) or "Allow"
    for key, field in (
        ("actions", "Action"),
        ("notActions", "NotAction"),
        ("resources", "Resource"),
        ("notResources", "NotResource"),
    ):
        values = _strings(raw.get(key))
        if values:
            statement[field] = _one_or_many(values)
    for key, field in (("principals", "Principal"), ("notPrincipals", "NotPrincipal")):
        if raw.get(key):
            statement[field] = _principals(raw.get(key))
    if raw.get("conditions"):
        statement["Condition"] = _conditions(raw.get("conditions"))
    return statement


def _document_statements(text: Any) -> list[dict[str, Any]]:
    try:
        document = json.loads(str(unwrap(text)))
    except ValueError:
        return []
    statements = document.get("Statement", []) if isinstance(document, dict) else []
    statements = [statements] if isinstance(statements, dict) else statements
    return [s for s in statements if isinstance(s, dict)]


def _merge(statements: list[dict[str, Any]], extra: list[dict[str, Any]]) -> None:
    """Add statements; one with the Sid of an existing statement replaces it."""
    for statement in extra:
        sid = statement.get("Sid")
        index = next((i for i, s in enumerate(statements) if sid and s.get("Sid") == sid), None)
        if index is None:
            statements.append(statement)
        else:
            statements[index] = statement


def policy_document(args: Mapping[str, Any]) -> Outputs:
    """What `aws.iam.get_policy_document` answers: the IAM JSON document of its statements."""
    statements: list[dict[str, Any]] = []
    for source in _strings(args.get("sourcePolicyDocuments")) + _strings(args.get("sourceJson")):
        _merge(statements, _document_statements(source))
    raw = unwrap(args.get("statements"))
    _merge(statements, [_statement(s) for s in raw or [] if isinstance(s, Mapping)])
    overrides = _strings(args.get("overridePolicyDocuments")) + _strings(args.get("overrideJson"))
    for override in overrides:
        _merge(statements, _document_statements(override))
    document: dict[str, Any] = {"Version": unwrap(args.get("version")) or "2012-10-17"}
    policy_id = unwrap(args.get("policyId"))
    if isinstance(policy_id, str) and policy_id:
        document["Id"] = policy_id
    document["Statement"] = statements
    minified = json.dumps(document, separators=(",", ":"))
    return {
        "json": json.dumps(document, indent=2),
        "minifiedJson": minified,
        "id": digest(minified)[:10],
    }
