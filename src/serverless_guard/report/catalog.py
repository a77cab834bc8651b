"""The catalog as text and JSON: `serverless-guard rules` and `serverless-guard explain`."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from serverless_guard import __version__
from serverless_guard.catalog import CATALOG
from serverless_guard.catalog.params import NoParams, schema
from serverless_guard.catalog.rule import Domain, Rule
from serverless_guard.naming.engines import ENGINE_TITLES, fixes_in
from serverless_guard.report.common import RuleInfo, domain_title, info_of_rule

WIDTH = 100
ENGINES = (("cdk", "AWS CDK"), ("pulumi", "Pulumi"), ("cloudformation", "CloudFormation"))
# The hand-written remediation that speaks for each engine of `explain --engine`.
REMEDIATION_OF = {
    "cdk": "cdk",
    "pulumi": "pulumi",
    "cloudformation": "cloudformation",
    "sam": "cloudformation",
}
ANCHOR_TOOLS = (
    ("fsbp", "AWS Security Hub (FSBP)"),
    ("cdk_nag", "cdk-nag"),
    ("checkov", "checkov"),
)


@dataclass(frozen=True, slots=True)
class ParamRow:
    name: str
    type: str
    default: str
    doc: str


def _type_text(entry: dict[str, object]) -> str:
    kinds = entry.get("type")
    names = kinds if isinstance(kinds, list) else [kinds]
    words = []
    for kind in names:
        if kind == "array":
            words.append("list of strings")
        else:
            words.append(str(kind))
    return " or ".join(words)


def param_rows(rule: Rule) -> list[ParamRow]:
    """A rule's parameters: name, type, default (as JSON) and documentation."""
    if rule.params is NoParams:
        return []
    rows = []
    for name, entry in schema(rule.params).items():
        rows.append(
            ParamRow(
                name=name,
                type=_type_text(entry),
                default=json.dumps(entry.get("default")),
                doc=str(entry.get("description", "")),
            )
        )
    return rows


def in_catalog_order(rules: Iterable[Rule]) -> list[Rule]:
    """Grouped by domain (in the catalog's domain order), by id within a domain."""
    order = {domain: i for i, domain in enumerate(Domain)}
    return sorted(rules, key=lambda r: (order[r.domain], r.id))


def anchors_of(rule: Rule) -> list[tuple[str, tuple[str, ...]]]:
    """(tool name, control ids) for each tool with a matching control."""
    found = []
    for field, label in ANCHOR_TOOLS:
        ids: tuple[str, ...] = getattr(rule.anchors, field)
        if ids:
            found.append((label, ids))
    return found


def config_example(info: RuleInfo) -> str:
    settings: dict[str, object] = {"enforcementLevel": "mandatory"}
    if info.rule is not None:
        for row in param_rows(info.rule):
            settings[row.name] = json.loads(row.default)
    return json.dumps({info.id: settings})


def suppression_example(rule_id: str) -> str:
    return (
        "Metadata:\n"
        "  serverless-guard:\n"
        "    suppress:\n"
        f"      - id: {rule_id}\n"
        "        reason: <why this resource is an exception, at least 10 characters>"
    )


# --- rules -----------------------------------------------------------------------------------


def rules_text(rules: Sequence[Rule] = CATALOG) -> str:
    ordered = in_catalog_order(rules)
    header = ("RULE", "SEVERITY", "DEFAULT", "DOMAIN", "TITLE")
    rows = [
        (r.id, r.severity.value, r.default_enforcement.value, r.domain.value, r.title)
        for r in ordered
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(4)]
    lines = []
    for row in [header, *rows]:
        cells = [row[i].ljust(widths[i]) for i in range(4)]
        lines.append("  ".join([*cells, row[4]]))
    lines.append("")
    lines.append(
        f"{len(ordered)} rules. `serverless-guard explain <rule>` shows a rule's rationale, "
        "remediation and parameters."
    )
    return "\n".join(lines) + "\n"


def engine_fixes(info: RuleInfo, engine: str | None = None) -> dict[str, list[dict[str, str]]]:
    """The rule's fixes in each engine's words (or one engine's), by resource type; for Pulumi
    with the provider's input names as `pulumi preview` shows them (`preview`)."""
    out: dict[str, list[dict[str, str]]] = {}
    for name in ENGINE_TITLES if engine is None else (engine,):
        fixes = fixes_in(info.rule.fixes, name) if info.rule is not None else []
        out[name] = [
            {"resource": f.resource, "fix": f.text, **({"preview": f.also} if f.also else {})}
            for f in fixes
        ]
    return out


def rule_object(info: RuleInfo, engine: str | None = None) -> dict[str, object]:
    """A rule as JSON: metadata, remediation per engine (hand-written, and the fixes in each
    engine's words), parameters and related controls."""
    fix = info.remediation
    rule = info.rule
    params: dict[str, object] = {}
    anchors: dict[str, list[str]] = {"fsbp": [], "cdk_nag": [], "checkov": []}
    if rule is not None:
        params = schema(rule.params) if rule.params is not NoParams else {}
        anchors = {
            "fsbp": list(rule.anchors.fsbp),
            "cdk_nag": list(rule.anchors.cdk_nag),
            "checkov": list(rule.anchors.checkov),
        }
    return {
        "id": info.id,
        "title": info.title,
        "severity": info.severity.value,
        "domain": info.domain,
        "default_enforcement": info.default_enforcement.value,
        "rationale": info.rationale,
        "remediation": {
            "cdk": fix.cdk if fix else "",
            "pulumi": fix.pulumi if fix else "",
            "cloudformation": fix.cloudformation if fix else "",
        },
        "fixes": engine_fixes(info, engine),
        "parameters": params,
        "references": list(info.references),
        "anchors": anchors,
    }


def rules_json(rules: Sequence[Rule] = CATALOG) -> str:
    doc = {
        "version": __version__,
        "rules": [rule_object(info_of_rule(r)) for r in in_catalog_order(rules)],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


# --- explain ---------------------------------------------------------------------------------


def _wrapped(text: str, indent: str = "  ", then: str | None = None) -> list[str]:
    return textwrap.wrap(
        text,
        WIDTH,
        initial_indent=indent,
        subsequent_indent=indent if then is None else then,
        break_on_hyphens=False,
    ) or [indent.rstrip()]


def explain_text(info: RuleInfo, engine: str | None = None) -> str:
    """A rule explained; with `engine`, the fix in that engine's words only."""
    lines = [f"{info.id}: {info.title}", ""]
    facts = [f"severity: {info.severity.value}"]
    facts.append(f"default enforcement: {info.default_enforcement.value}")
    if info.domain:
        facts.append(f"domain: {domain_title(info.domain)}")
    lines += ["  " + "; ".join(facts), "", "Why", *_wrapped(info.rationale)]
    fixes = {name: found for name, found in engine_fixes(info, engine).items() if found}
    if fixes:
        words = "each engine's" if engine is None else f"{ENGINE_TITLES[engine]}'s"
        lines += ["", f"Fix, in {words} words"]
        for name, found in fixes.items():
            lines.append(f"  {ENGINE_TITLES[name]}:")
            for item in found:
                lines += _wrapped(f"{item['resource']}: {item['fix']}", "    ", "        ")
                if "preview" in item:
                    preview = f"(pulumi preview: {item['preview']})"
                    lines += _wrapped(preview, "      ", "        ")
    if info.remediation is not None:
        lines += ["", "Remediation"]
        for field, label in ENGINES:
            how = getattr(info.remediation, field)
            if how and (engine is None or REMEDIATION_OF[engine] == field):
                lines += [f"  {label}:", *_wrapped(how, "    ")]
    lines += ["", "Parameters"]
    rows = param_rows(info.rule) if info.rule is not None else []
    if not rows:
        lines.append("  none")
    for row in rows:
        lines.append(f"  {row.name} ({row.type}, default {row.default})")
        lines += _wrapped(row.doc, "    ")
    if info.references:
        lines += ["", "References"]
        lines += [f"  - {url}" for url in info.references]
    related = anchors_of(info.rule) if info.rule is not None else []
    if related:
        lines += ["", "Related controls"]
        lines += [f"  {label}: {', '.join(ids)}" for label, ids in related]
    if info.rule is not None:
        lines += ["", "Configure (guard.json)", f"  {config_example(info)}"]
        lines += ["", "Suppress one resource (template metadata)"]
        lines += ["  " + line for line in suppression_example(info.id).splitlines()]
    return "\n".join(lines) + "\n"


def explain_json(info: RuleInfo, engine: str | None = None) -> str:
    return json.dumps(rule_object(info, engine), indent=2, ensure_ascii=False) + "\n"
