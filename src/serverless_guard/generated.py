"""Files generated from the code (documentation, typed argument tables): written when they
differ from what would be generated, or, with `check`, only compared."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from serverless_guard.catalog import CATALOG
from serverless_guard.catalog.rule import Outcome
from serverless_guard.evaluate import Result


def write_or_check(files: Mapping[Path, str], *, check: bool, command: str) -> int:
    """Write each file whose content differs (0), or with `check` write nothing and say which
    files are stale (1 when any is)."""
    stale = []
    for path, text in files.items():
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current != text:
            stale.append(str(path))
            if not check:
                path.write_text(text, encoding="utf-8")
    if check and stale:
        print(f"{', '.join(stale)} stale: run {command}")
        return 1
    return 0


def rules_table(heading: str, table: Mapping[str, Sequence[str]]) -> str:
    """A Markdown table of names (first column, `heading`) and the rule ids of each."""
    lines = [f"| {heading} | Rules it satisfies with its defaults |", "|---|---|"]
    for name, rules in table.items():
        lines.append(f"| `{name}` | {', '.join(f'`{rule}`' for rule in rules)} |")
    return "\n".join(lines)


def between(text: str, start: str, end: str, block: str) -> str:
    """`text` with what lies between the markers `start` and `end` replaced by `block`."""
    first = text.index(start) + len(start)
    last = text.index(end)
    return f"{text[:first]}\n{block}\n{text[last:]}"


def satisfied(found: Iterable[Result]) -> list[str]:
    """The rules that passed on some of these results and failed on none (no fail, unknown or
    error), in catalog order: what a construct or component satisfies, from its resources'."""
    found = list(found)
    passing = {r.rule.id for r in found if r.verdict.outcome is Outcome.PASS}
    blocked = {
        r.rule.id for r in found if r.verdict.outcome not in (Outcome.PASS, Outcome.NOT_APPLICABLE)
    }
    return [rule.id for rule in CATALOG if rule.id in passing - blocked]
