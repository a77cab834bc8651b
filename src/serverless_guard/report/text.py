"""The human-readable report: findings grouped by file, then by resource, and a summary line.

```
template.yaml
  Logs  AWS::Logs::LogGroup
    FAIL  logs-retention-set  medium/mandatory  blocking  line 2
      log group Logs keeps logs forever: set RetentionInDays to at least 365 days
      property: RetentionInDays

1 finding (1 fail, 0 unknown, 0 error, 0 suppressed), 1 blocking; 1 file, 1 resource scanned
```
Colour (ANSI) is used only when the caller asks for it (the CLI does when writing to a terminal
and NO_COLOR is not set).
"""

from __future__ import annotations

from collections.abc import Sequence

from serverless_guard.findings import Finding, ScanResult
from serverless_guard.report.common import ordered, property_path, summary_line

_RESET = "\033[0m"
_STYLES = {
    "bold": "\033[1m",
    "dim": "\033[2m",
    "red": "\033[1;31m",
    "yellow": "\033[33m",
    "cyan": "\033[36m",
}


class _Paint:
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, text: str, style: str) -> str:
        if not self.enabled or not text:
            return text
        return f"{_STYLES[style]}{text}{_RESET}"


def _verdict_style(finding: Finding) -> str:
    if finding.suppression is not None:
        return "dim"
    if finding.blocking:
        return "red"
    if finding.verdict == "unknown":
        return "cyan"
    return "yellow"


def _resource_header(findings: Sequence[Finding], paint: _Paint) -> str:
    """The resource's name, type and origin (any of its findings may know them)."""
    first = findings[0]
    parts = [paint(first.resource, "bold")]
    kind = next((f.resource_type for f in findings if f.resource_type), "")
    if kind:
        parts.append(kind)
    source = next(
        (f.location.source_resource for f in findings if f.location.source_resource), None
    )
    if source and source != first.resource:
        parts.append(f"generated from {source}")
    construct = next(
        (f.location.construct_path for f in findings if f.location.construct_path), None
    )
    if construct:
        parts.append(f"construct {construct}")
    parent = next((f.location.parent for f in findings if f.location.parent), None)
    if parent:
        parts.append(f"nested stack of {parent}")
    return "  " + "  ".join(parts)


def _indented(text: str, indent: str) -> list[str]:
    lines = text.splitlines() or [""]
    return [f"{indent}{line}" for line in lines]


def _finding_lines(finding: Finding, paint: _Paint) -> list[str]:
    label = finding.verdict.upper()
    if finding.suppression is not None:
        label += f" ({finding.outcome.value})"
    head = [
        paint(label, _verdict_style(finding)),
        finding.rule,
        f"{finding.severity.value}/{finding.enforcement.value}",
    ]
    if finding.blocking:
        head.append(paint("blocking", "red"))
    if finding.location.line:
        head.append(f"line {finding.location.line}")
    lines = ["    " + "  ".join(head)]
    lines.extend(_indented(finding.message or finding.title, "      "))
    path = property_path(finding)
    if path:
        lines.append(f"      property: {path}")
    if finding.suppression is not None:
        lines.extend(_indented(f"suppressed: {finding.suppression.reason}", "      "))
    return lines


def render_findings(findings: Sequence[Finding], *, color: bool = False) -> list[str]:
    """The grouped findings, one line per list item (no summary)."""
    paint = _Paint(color)
    groups: dict[str | None, dict[str, list[Finding]]] = {}
    for finding in ordered(findings):
        resources = groups.setdefault(finding.location.file, {})
        resources.setdefault(finding.resource, []).append(finding)
    lines: list[str] = []
    for file, resources in groups.items():
        if lines:
            lines.append("")
        lines.append(paint(file or "(no file)", "bold"))
        for group in resources.values():
            lines.append(_resource_header(group, paint))
            for finding in group:
                lines.extend(_finding_lines(finding, paint))
    return lines


def render_resolved(result: ScanResult) -> list[str]:
    """The baseline entries that match no finding any more, to delete from the baseline."""
    if not result.resolved:
        return []
    lines = [f"Resolved: no longer found, remove from the baseline {result.baseline}:"]
    for entry in result.resolved:
        where = f" at {entry.path}" if entry.path else ""
        in_file = f" ({entry.file})" if entry.file else ""
        lines.append(f"  {entry.rule} on {entry.resource}{where}{in_file}")
    return lines


def render(result: ScanResult, *, color: bool = False) -> str:
    lines = render_findings(result.findings, color=color)
    if lines:
        lines.append("")
    else:
        lines.append("No findings.")
    resolved = render_resolved(result)
    if resolved:
        lines += [*resolved, ""]
    lines.append(summary_line(result))
    return "\n".join(lines) + "\n"
