"""The JUnit XML report (`--format junit`), for the test tabs of CI systems.

- One `<testsuite>` per scanned file (named after the file), inside one `<testsuites>`.
- One `<testcase>` per finding: `classname` is the rule id, `name` is the resource's logical id
  (with the property path when there is one; the file, or `configuration`, for a finding about
  no resource), `file` and `line` point at the resource.
- A blocking finding is a `<failure>` (type: its verdict); a finding that does not block (an
  advisory fail or error, an unknown without `strict_unknowns`, a suppressed finding) is a
  `<skipped>` whose message says why it does not block. The element's text holds the details:
  rule title, severity, enforcement, location, construct path or SAM source, suppression reason.
- Passing checks are not enumerated: a file with no findings is an empty suite (`tests="0"`).
- With a baseline, the entries that match no finding any more form a last suite, `baseline`,
  of passing test cases (`classname` the rule id, `name` the resource), to be removed from the
  baseline.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from serverless_guard.findings import Finding, ScanResult
from serverless_guard.report.common import ordered, property_path

_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
NO_FILE = "(no file)"


def _clean(text: str) -> str:
    """Text that XML 1.0 can carry (control characters replaced)."""
    return _NOT_XML.sub("\ufffd", text)


def _why_not_blocking(finding: Finding) -> str:
    if finding.suppression is not None:
        return f"suppressed: {finding.suppression.reason}"
    if finding.verdict == "unknown" and finding.enforcement.value == "mandatory":
        return "unknown (not blocking: strict_unknowns is off)"
    return f"{finding.verdict} ({finding.enforcement.value}, not blocking)"


def _details(finding: Finding) -> str:
    loc = finding.location
    lines = [
        finding.message,
        "",
        f"rule: {finding.rule} ({finding.title})",
        f"severity: {finding.severity.value}; enforcement: {finding.enforcement.value}; "
        f"verdict: {finding.verdict}",
    ]
    where = loc.file or NO_FILE
    if loc.line:
        where += f":{loc.line}"
    resource = finding.resource
    if finding.resource_type:
        resource += f" ({finding.resource_type})"
    lines.append(f"resource: {resource} in {where}")
    path = property_path(finding)
    if path:
        lines.append(f"property: {path}")
    if loc.source_resource and loc.source_resource != finding.resource:
        lines.append(f"generated from: {loc.source_resource}")
    if loc.construct_path:
        lines.append(f"construct path: {loc.construct_path}")
    if loc.parent:
        lines.append(f"nested stack of: {loc.parent}")
    if finding.suppression is not None:
        lines.append(f"suppression reason: {finding.suppression.reason}")
    return _clean("\n".join(lines))


def _testcase(finding: Finding) -> ET.Element:
    path = property_path(finding)
    # A finding about a whole file (an input error) or the configuration names no resource.
    subject = finding.resource or finding.location.file or "configuration"
    name = f"{subject} {path}" if path else subject
    case = ET.Element("testcase", {"classname": finding.rule, "name": _clean(name), "time": "0"})
    if finding.location.file:
        case.set("file", _clean(finding.location.file))
    if finding.location.line:
        case.set("line", str(finding.location.line))
    if finding.blocking:
        failure = ET.SubElement(
            case, "failure", {"message": _clean(finding.message), "type": finding.verdict}
        )
        failure.text = _details(finding)
    else:
        skipped = ET.SubElement(case, "skipped", {"message": _clean(_why_not_blocking(finding))})
        skipped.text = _details(finding)
    return case


def _suite(name: str, findings: Sequence[Finding]) -> ET.Element:
    failures = sum(1 for f in findings if f.blocking)
    suite = ET.Element(
        "testsuite",
        {
            "name": _clean(name),
            "tests": str(len(findings)),
            "failures": str(failures),
            "errors": "0",
            "skipped": str(len(findings) - failures),
            "time": "0",
        },
    )
    suite.extend(_testcase(f) for f in findings)
    return suite


def document(result: ScanResult) -> ET.Element:
    groups: dict[str, list[Finding]] = {file: [] for file in result.files}
    for finding in ordered(result.findings):
        groups.setdefault(finding.location.file or NO_FILE, []).append(finding)
    failures = sum(1 for f in result.findings if f.blocking)
    root = ET.Element(
        "testsuites",
        {
            "name": "serverless-guard",
            "tests": str(len(result.findings) + len(result.resolved)),
            "failures": str(failures),
            "errors": "0",
            "skipped": str(len(result.findings) - failures),
            "time": "0",
        },
    )
    root.extend(_suite(name, findings) for name, findings in groups.items())
    if result.resolved:
        root.append(_resolved_suite(result))
    return root


def _resolved_suite(result: ScanResult) -> ET.Element:
    suite = ET.Element(
        "testsuite",
        {
            "name": "baseline",
            "tests": str(len(result.resolved)),
            "failures": "0",
            "errors": "0",
            "skipped": "0",
            "time": "0",
        },
    )
    for entry in result.resolved:
        name = f"{entry.resource} {entry.path}" if entry.path else entry.resource
        case = ET.SubElement(
            suite, "testcase", {"classname": entry.rule, "name": _clean(name), "time": "0"}
        )
        if entry.file:
            case.set("file", _clean(entry.file))
        out = ET.SubElement(case, "system-out")
        out.text = _clean(
            f"resolved: no longer found; remove this entry from the baseline {result.baseline}"
        )
    return suite


def render(result: ScanResult) -> str:
    root = document(result)
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
