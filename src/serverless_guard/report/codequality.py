"""The GitLab Code Quality report (`--format codequality`), for `artifacts:reports:codequality`:
merge requests list the findings a change adds or resolves (every GitLab tier).

A JSON array with one object per finding that is not suppressed (Code Quality has no notion
of a suppression; suppressed findings stay in the other formats), in report order, with the
fields GitLab reads:

- `description`: `<rule id>: <message>`; `check_name`: the rule id.
- `fingerprint`: the SARIF report's (rule, file, resource, property path), stable when lines
  move, so that GitLab does not see a moved finding as new.
- `severity`: the rule's severity (`low` minor, `medium` major, `high` critical, `critical`
  blocker); `info` for an `unknown` verdict.
- `location.path`: the file relative to the working directory (the repository's root in CI),
  or as named when it is outside; `location.lines.begin`: the resource's line (1 when unknown).
  A finding of no file (a defective exemption in the configuration) points at `.`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from serverless_guard.catalog.rule import Outcome, Severity
from serverless_guard.findings import Finding, ScanResult
from serverless_guard.report.common import ordered
from serverless_guard.report.sarif import fingerprint

SEVERITIES = {
    Severity.LOW: "minor",
    Severity.MEDIUM: "major",
    Severity.HIGH: "critical",
    Severity.CRITICAL: "blocker",
}


def _path(file: str | None, root: Path) -> str:
    if not file:
        return "."
    try:
        return Path(os.path.abspath(file)).relative_to(root).as_posix()
    except ValueError:
        return file


def issue(finding: Finding, root: Path) -> dict[str, object]:
    path = _path(finding.location.file, root)
    unknown = finding.outcome is Outcome.UNKNOWN
    return {
        "description": f"{finding.rule}: {finding.message}",
        "check_name": finding.rule,
        "fingerprint": fingerprint(finding, path),
        "severity": "info" if unknown else SEVERITIES[finding.severity],
        "location": {"path": path, "lines": {"begin": finding.location.line or 1}},
    }


def render(result: ScanResult, root: Path | None = None) -> str:
    base = Path(os.path.abspath(root or Path.cwd()))
    issues = [issue(f, base) for f in ordered(result.findings) if f.suppression is None]
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
