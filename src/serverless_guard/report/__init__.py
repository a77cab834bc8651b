"""Scan reports: text (for people), JSON (for scripts), SARIF 2.1.0 (for code scanning), JUnit
XML (for CI test tabs) and GitLab Code Quality (for merge requests)."""

from __future__ import annotations

from serverless_guard.findings import ScanResult
from serverless_guard.report import codequality, json_report, junit, sarif, text

FORMATS = ("text", "json", "sarif", "junit", "codequality")


def render(result: ScanResult, fmt: str = "text", *, color: bool = False) -> str:
    """The report of a scan in one of `FORMATS`; `color` applies to the text format only.

    Whatever text the input holds, the report can be written as UTF-8: a lone surrogate (a file
    name that is not UTF-8, say) is written as its escape, `\\udcff`."""
    if fmt == "text":
        rendered = text.render(result, color=color)
    elif fmt == "json":
        rendered = json_report.render(result)
    elif fmt == "sarif":
        rendered = sarif.render(result)
    elif fmt == "junit":
        rendered = junit.render(result)
    elif fmt == "codequality":
        rendered = codequality.render(result)
    else:
        raise ValueError(f"unknown report format {fmt!r} (known: {', '.join(FORMATS)})")
    return encodable(rendered)


def encodable(rendered: str) -> str:
    """`rendered` with each lone surrogate replaced by its backslash escape."""
    return rendered.encode("utf-8", "backslashreplace").decode("utf-8")


__all__ = ["FORMATS", "render"]
