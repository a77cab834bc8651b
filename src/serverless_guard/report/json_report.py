"""The JSON report (`--format json`): a stable document for scripts and dashboards.

One JSON object, UTF-8, indented by two spaces, keys in the order shown:

```json
{
  "version": "0.2.0",
  "findings": [
    {
      "rule": "logs-retention-set",
      "title": "Log groups keep logs for a bounded, sufficient time",
      "severity": "medium",
      "enforcement": "advisory",
      "verdict": "fail",
      "blocking": false,
      "resource": "Logs",
      "resource_type": "AWS::Logs::LogGroup",
      "source_resource": null,
      "construct_path": null,
      "parent": null,
      "file": "template.yaml",
      "line": 2,
      "path": "RetentionInDays",
      "message": "log group Logs keeps logs forever: set RetentionInDays to at least 365 days",
      "suppression": null
    }
  ],
  "summary": {
    "files": 1,
    "resources": 1,
    "findings": 1,
    "blocking": 0,
    "by_verdict": {"fail": 1, "unknown": 0, "error": 0, "suppressed": 0},
    "skipped": [],
    "baseline": null
  }
}
```

- `version`: the serverless-guard version that wrote the report.
- `findings`: every finding, passing checks excluded, ordered by `file`, `line`, `resource`,
  `rule`, `path`. Each has:
  - `rule`: the rule id (`invalid-suppression` for a suppression that names no catalog rule or
    gives too short a reason; `input-error` for a file or a part of a template that cannot be
    read; `input-unknown` for a part only known at deployment); `title`: the rule's title (the
    state it expects).
  - `severity`: `low`, `medium`, `high` or `critical`.
  - `enforcement`: the configured level, `mandatory` or `advisory`.
  - `verdict`: `fail` (the resource breaks the rule), `unknown` (the rule needs a value only
    known at deployment), `error` (the rule could not run: it fails closed), or `suppressed`
    (any of these, silenced by a suppression that gives a reason).
  - `blocking`: whether this finding makes the scan exit with code 1: a mandatory `fail` or
    `error`, or a mandatory `unknown` when `strict_unknowns` is on. Never true for `suppressed`.
  - `resource`: the logical id; `resource_type`: its CloudFormation type (empty for
    `invalid-suppression`).
  - `source_resource`: the resource the user wrote when the reported one was generated from it
    (the SAM resource behind a generated function role, for example), else null.
  - `construct_path`: the CDK construct path (`aws:cdk:path` metadata), else null.
  - `parent`: for a resource of a nested stack, the resource that deploys that stack, as
    `<parent template>:<logical id>`, else null.
  - `file`: the template as named on the command line (or found in a named folder), else null;
    `line`: the 1-based line of the resource in that file, else null.
  - `path`: the property path within the resource that the finding is about, relative to its
    `Properties`, such as `Policies[0].PolicyDocument.Statement[1].Action`, else null.
  - `message`: what is wrong and how to fix it.
  - `suppression`: null, or `{"reason": "...", "source": "..."}` when the verdict is
    `suppressed`; `source` is `metadata`, `acknowledgement`, `exemption`, `framework` (a
    resource aws-cdk-lib created on its own) or `baseline`.
- `summary`: `files` and `resources` scanned (resources of every type, after the SAM
  transform), the number of `findings`, how many are `blocking`, the number of findings per
  verdict in `by_verdict` (all four keys always present), `skipped`: what a folder scan left
  alone, one `path: reason` line each, and `baseline`: null without a baseline, else
  `{"file": ..., "suppressed": <findings it suppressed>, "resolved": [...]}`, the entries that
  match no finding any more (`rule`, `resource`, `path`, `file`, `fingerprint`).

New keys may be added in later versions; existing keys keep their names and meanings.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from serverless_guard import __version__
from serverless_guard.findings import Finding, ScanResult
from serverless_guard.report.common import (
    baselined_count,
    blocking_count,
    by_verdict,
    ordered,
    property_path,
    resolved_entries,
)


def finding_object(finding: Finding) -> dict[str, object]:
    loc = finding.location
    suppression = (
        {"reason": finding.suppression.reason, "source": finding.suppression.source}
        if finding.suppression is not None
        else None
    )
    return {
        "rule": finding.rule,
        "title": finding.title,
        "severity": finding.severity.value,
        "enforcement": finding.enforcement.value,
        "verdict": finding.verdict,
        "blocking": finding.blocking,
        "resource": finding.resource,
        "resource_type": finding.resource_type,
        "source_resource": loc.source_resource,
        "construct_path": loc.construct_path,
        "parent": loc.parent,
        "file": loc.file,
        "line": loc.line,
        "path": property_path(finding),
        "message": finding.message,
        "suppression": suppression,
    }


def document(result: ScanResult) -> dict[str, object]:
    findings: Sequence[Finding] = result.findings
    return {
        "version": __version__,
        "findings": [finding_object(f) for f in ordered(findings)],
        "summary": {
            "files": len(result.files),
            "resources": result.resources,
            "findings": len(findings),
            "blocking": blocking_count(findings),
            "by_verdict": by_verdict(findings),
            "skipped": list(result.skipped),
            "baseline": _baseline(result),
        },
    }


def _baseline(result: ScanResult) -> dict[str, object] | None:
    if result.baseline is None:
        return None
    return {
        "file": result.baseline,
        "suppressed": baselined_count(result.findings),
        "resolved": resolved_entries(result),
    }


def render(result: ScanResult) -> str:
    return json.dumps(document(result), indent=2, ensure_ascii=False) + "\n"
