"""The SARIF 2.1.0 report (`--format sarif`), for code scanning (GitHub, GitLab, Azure DevOps).

One run. `tool.driver.rules` describes every rule of the catalog (and `invalid-suppression` when
a result uses it): title, rationale, remediation per engine as help, severity and domain in the
properties, with the numeric `security-severity` that GitHub code scanning ranks alerts by.

Each finding is one result:
- `level`: `error` when the finding blocks (or would block, were it not suppressed), `warning`
  for other fails and errors, `note` for unknowns that do not block.
- `locations`: the file (a URI relative to the working directory when the file is below it, with
  `uriBaseId` `%SRCROOT%`) and the resource's line; the logical location is the resource's
  logical id, qualified by its CDK construct path or its SAM source resource when known.
- `partialFingerprints`: a hash of rule, file, resource and property path, stable across line
  moves, so code scanning tracks an alert over commits.
- `suppressions`: suppressed findings carry `[{"kind": "inSource", "justification": reason}]`
  (template metadata) or `"external"` (anything else: an acknowledgement, the configuration, a
  baseline).
- With a baseline, each result's `baselineState` is `unchanged` (recorded in the baseline) or
  `new`, and the run's `properties.resolvedBaselineEntries` lists the entries that match no
  finding any more (`rule`, `resource`, `path`, `file`, `fingerprint`, as in the JSON report).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote

from serverless_guard import __version__
from serverless_guard.catalog import CATALOG
from serverless_guard.catalog.rule import Enforcement, Outcome, Severity
from serverless_guard.findings import Finding, ScanResult
from serverless_guard.report.common import (
    BASELINE,
    RuleInfo,
    domain_title,
    info_of_rule,
    ordered,
    property_path,
    resolved_entries,
    rule_info,
    would_block,
)

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
SRCROOT = "%SRCROOT%"
FINGERPRINT = "serverlessGuardFinding/v1"

SECURITY_SEVERITY = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
}


def _pascal(rule_id: str) -> str:
    return "".join(part.capitalize() for part in rule_id.split("-"))


def _help(info: RuleInfo) -> dict[str, str]:
    text = [info.rationale]
    markdown = [info.rationale]
    fix = info.remediation
    if fix is not None:
        engines = [
            ("AWS CDK", fix.cdk),
            ("Pulumi", fix.pulumi),
            ("CloudFormation", fix.cloudformation),
        ]
        text.append("Remediation:\n" + "\n".join(f"- {e}: {how}" for e, how in engines if how))
        markdown.append("**Remediation**")
        markdown.append("\n".join(f"- *{e}*: {how}" for e, how in engines if how))
    if info.references:
        text.append("References:\n" + "\n".join(f"- {url}" for url in info.references))
        markdown.append("**References**")
        markdown.append("\n".join(f"- <{url}>" for url in info.references))
    return {"text": "\n\n".join(text), "markdown": "\n\n".join(markdown)}


def _level_of_enforcement(enforcement: Enforcement) -> str:
    return "error" if enforcement is Enforcement.MANDATORY else "warning"


def descriptor(info: RuleInfo) -> dict[str, object]:
    """A SARIF reportingDescriptor for a rule."""
    default = info.default_enforcement
    configuration: dict[str, object]
    if default is Enforcement.DISABLED:
        severe = info.severity in (Severity.HIGH, Severity.CRITICAL)
        configuration = {"enabled": False, "level": "error" if severe else "warning"}
    else:
        configuration = {"level": _level_of_enforcement(default)}
    tags = ["security"]
    if info.domain:
        tags.append(info.domain)
    properties: dict[str, object] = {
        "tags": tags,
        "severity": info.severity.value,
        "security-severity": SECURITY_SEVERITY[info.severity],
    }
    if info.domain:
        properties["domain"] = info.domain
        properties["domainTitle"] = domain_title(info.domain)
    if info.rule is not None:
        anchors = info.rule.anchors
        related = {
            "fsbp": list(anchors.fsbp),
            "cdk-nag": list(anchors.cdk_nag),
            "checkov": list(anchors.checkov),
        }
        related = {tool: ids for tool, ids in related.items() if ids}
        if related:
            properties["relatedControls"] = related
    return {
        "id": info.id,
        "name": _pascal(info.id),
        "shortDescription": {"text": info.title},
        "fullDescription": {"text": info.rationale},
        "help": _help(info),
        "defaultConfiguration": configuration,
        "properties": properties,
    }


def _level(finding: Finding) -> str:
    if would_block(finding):
        return "error"
    if finding.outcome in (Outcome.FAIL, Outcome.ERROR):
        return "warning"
    return "note"


def artifact_uri(file: str, root: Path) -> tuple[str, str | None]:
    """The URI of a file (named relative to the working directory, or absolute) and its base
    id: relative to `root` when below it, else an absolute `file:` URI. A name that is not
    UTF-8 is percent-encoded byte by byte, as the file system holds it."""
    absolute = Path(os.path.abspath(file))
    try:
        relative = absolute.relative_to(root)
    except ValueError:
        return "file://" + quote(os.fsencode(absolute.as_posix())), None
    return quote(os.fsencode(relative.as_posix())), SRCROOT


def fingerprint(finding: Finding, uri: str) -> str:
    parts = (finding.rule, uri, finding.resource, property_path(finding) or "")
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


def _location(finding: Finding, root: Path) -> tuple[dict[str, object], str]:
    loc = finding.location
    location: dict[str, object] = {}
    uri = ""
    if loc.file:
        uri, base = artifact_uri(loc.file, root)
        artifact: dict[str, object] = {"uri": uri}
        if base:
            artifact["uriBaseId"] = base
        physical: dict[str, object] = {"artifactLocation": artifact}
        if loc.line:
            physical["region"] = {"startLine": loc.line}
        location["physicalLocation"] = physical
    logical: dict[str, object] = {"name": finding.resource, "kind": "resource"}
    qualified = loc.construct_path or loc.source_resource
    if qualified:
        logical["fullyQualifiedName"] = qualified
    location["logicalLocations"] = [logical]
    return location, uri


def _result(finding: Finding, index: int, root: Path, baseline: bool) -> dict[str, object]:
    location, uri = _location(finding, root)
    properties: dict[str, object] = {
        "verdict": finding.verdict,
        "severity": finding.severity.value,
        "enforcement": finding.enforcement.value,
        "blocking": finding.blocking,
    }
    if finding.resource_type:
        properties["resourceType"] = finding.resource_type
    path = property_path(finding)
    if path:
        properties["propertyPath"] = path
    if finding.location.parent:
        properties["parentStack"] = finding.location.parent
    result: dict[str, object] = {
        "ruleId": finding.rule,
        "ruleIndex": index,
        "level": _level(finding),
        "message": {"text": finding.message or finding.title or finding.rule},
        "locations": [location],
        "partialFingerprints": {FINGERPRINT: fingerprint(finding, uri)},
        "properties": properties,
    }
    if finding.suppression is not None:
        kind = "inSource" if finding.suppression.source == "metadata" else "external"
        result["suppressions"] = [
            {"kind": kind, "justification": finding.suppression.reason},
        ]
    if baseline:
        source = finding.suppression.source if finding.suppression is not None else None
        result["baselineState"] = "unchanged" if source == BASELINE else "new"
    return result


def _rules(findings: Sequence[Finding]) -> list[RuleInfo]:
    infos = [info_of_rule(rule) for rule in CATALOG]
    known = {info.id for info in infos}
    for finding in findings:
        if finding.rule not in known:
            extra = rule_info(finding.rule, finding)
            if extra is not None:
                infos.append(extra)
                known.add(finding.rule)
    return infos


def document(result: ScanResult, root: Path | None = None) -> dict[str, object]:
    root = Path(os.path.abspath(root or Path.cwd()))
    findings = ordered(result.findings)
    infos = _rules(findings)
    index = {info.id: i for i, info in enumerate(infos)}
    driver: dict[str, object] = {
        "name": "serverless-guard",
        "version": __version__,
        "semanticVersion": __version__,
        "rules": [descriptor(info) for info in infos],
    }
    baseline = result.baseline is not None
    run: dict[str, object] = {
        "tool": {"driver": driver},
        "results": [_result(f, index[f.rule], root, baseline) for f in findings],
    }
    if baseline:
        run["properties"] = {
            "baseline": result.baseline,
            "resolvedBaselineEntries": resolved_entries(result),
        }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(result: ScanResult, root: Path | None = None) -> str:
    return json.dumps(document(result, root), indent=2, ensure_ascii=False) + "\n"
