"""Scan reports: text (for people), JSON (for scripts), SARIF 2.1.0 (for code scanning), JUnit
XML (for CI test tabs) and GitLab Code Quality (for merge requests)."""

from __future__ import annotations

from serverless_guard.report import codequality, json_report, junit, sarif, text
from serverless_guard.scan import ScanResult

FORMATS = ("text", "json", "sarif", "junit", "codequality")


def render(result: ScanResult, fmt: str = "text", *, color: bool = False) -> str:
    """The report of a scan in one of `FORMATS`; `color` applies to the text format only."""
    if fmt == "text":
        return text.render(result, color=color)
    if fmt == "json":
        return json_report.render(result)
    if fmt == "sarif":
        return sarif.render(result)
    if fmt == "junit":
        return junit.render(result)
    if fmt == "codequality":
        return codequality.render(result)
    raise ValueError(f"unknown report format {fmt!r} (known: {', '.join(FORMATS)})")


__all__ = ["FORMATS", "render"]
