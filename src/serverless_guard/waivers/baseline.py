"""Baselines: the findings a project already had when it adopted the gate.

`--write-baseline FILE` records every finding that nothing else waives, one entry each, in a JSON
file meant to be committed and reviewed like code:

```json
{
  "version": 1,
  "findings": [
    {"rule": "s3-bucket-tls-only", "resource": "Uploads", "path": null,
     "file": "template.yaml", "fingerprint": "3f0c..."}
  ]
}
```

`--baseline FILE` then reports each finding that matches an entry as `suppressed` (reason
`baseline`, never blocking) and everything else as usual. An entry matches one finding with its
fingerprint (see `fingerprint.py`), preferably in the same file; each entry absorbs at most one
finding, so a second copy of a recorded problem is new. Entries that match no finding any more
are reported as resolved: delete them (or write the baseline again). An entry may carry a
`reason` (a reviewer's note, held to the same test as every waiver's reason). A file that is not
exactly this shape is an input error: a baseline is a waiver, and a defective one waives nothing.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Iterable, Mapping, Sequence

from serverless_guard.errors import InputError
from serverless_guard.facts.value import path_text
from serverless_guard.findings import BaselineEntry, Finding, ScanResult, Suppression
from serverless_guard.strict_json import StrictJsonError, loads
from serverless_guard.waivers.model import INVALID_SUPPRESSION, Fingerprinted, Source, Waiver
from serverless_guard.waivers.reasons import reason_problem

VERSION = 1
REASON = "baseline"
_TOP_KEYS = frozenset({"version", "findings"})
_ENTRY_KEYS = frozenset({"rule", "resource", "path", "file", "fingerprint", "reason"})


def read_baseline(path: str) -> tuple[BaselineEntry, ...]:
    """The entries of a baseline file; anything that does not fit is an `InputError`."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except FileNotFoundError:
        raise InputError("no such baseline file", file=path) from None
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"cannot read the baseline: {err}", file=path) from None
    try:
        data = loads(text)
    except StrictJsonError as err:
        raise InputError(f"invalid baseline: {err.message}", file=path, line=err.line) from None
    return tuple(_entries(data, path))


def _entries(data: object, path: str) -> Iterable[BaselineEntry]:
    def error(message: str) -> InputError:
        return InputError(f"invalid baseline: {message}", file=path)

    if not isinstance(data, Mapping) or set(data) - _TOP_KEYS or "findings" not in data:
        raise error('must be an object {"version": 1, "findings": [...]}')
    if data.get("version") != VERSION:
        raise error(f"unsupported version {data.get('version')!r} (expected {VERSION})")
    findings = data["findings"]
    if not isinstance(findings, list):
        raise error("`findings` must be a list")
    for number, raw in enumerate(findings, start=1):
        where = f"entry #{number}"
        if not isinstance(raw, Mapping):
            raise error(f"{where} must be an object")
        extra = sorted(set(raw) - _ENTRY_KEYS)
        if extra:
            raise error(f"{where} has an unknown key {extra[0]!r}")
        for key in ("rule", "resource", "fingerprint"):
            if not isinstance(raw.get(key), str) or not raw[key]:
                raise error(f"{where} needs a `{key}` (text)")
        for key in ("path", "file"):
            if raw.get(key) is not None and not isinstance(raw[key], str):
                raise error(f"{where}: `{key}` must be text or null")
        if "reason" in raw:
            problem = reason_problem(raw["reason"])
            if problem:
                raise error(f"{where} {problem}")
        yield BaselineEntry(
            rule=raw["rule"],
            resource=raw["resource"],
            path=raw.get("path") or "",
            fingerprint=raw["fingerprint"],
            file=raw.get("file"),
            reason=raw.get("reason"),
        )


def entries_of(
    findings: Iterable[Finding], previous: Sequence[BaselineEntry] = ()
) -> list[BaselineEntry]:
    """An entry for each finding that nothing waives (defective waivers are never recorded:
    they must be fixed), keeping the reviewers' reasons of the `previous` entries that still
    match."""
    reasons: dict[str, list[str | None]] = {}
    for entry in previous:
        reasons.setdefault(entry.fingerprint, []).append(entry.reason)
    out: list[BaselineEntry] = []
    for finding in findings:
        if finding.suppression is not None or not finding.fingerprint:
            continue  # waived otherwise, or a finding of the tool about itself (a defect)
        kept = reasons.get(finding.fingerprint)
        out.append(
            BaselineEntry(
                rule=finding.rule,
                resource=finding.resource,
                path=path_text(finding.at),
                fingerprint=finding.fingerprint,
                file=finding.location.file,
                reason=kept.pop(0) if kept else None,
            )
        )
    return sorted(out, key=lambda e: (e.file or "", e.resource, e.rule, e.path, e.fingerprint))


def render_baseline(entries: Sequence[BaselineEntry]) -> str:
    items = []
    for entry in entries:
        item: dict[str, object] = {
            "rule": entry.rule,
            "resource": entry.resource,
            "path": entry.path or None,
            "file": entry.file,
            "fingerprint": entry.fingerprint,
        }
        if entry.reason is not None:
            item["reason"] = entry.reason
        items.append(item)
    body = json.dumps({"version": VERSION, "findings": items}, indent=2, ensure_ascii=False)
    return body + "\n"


def baseline_waivers(entries: Iterable[BaselineEntry]) -> list[Waiver]:
    return [
        Waiver(
            Source.BASELINE,
            entry.rule,
            f"{REASON}: {entry.reason}" if entry.reason else REASON,
            Fingerprinted(entry),
            f"baseline entry ({entry.rule} on {entry.resource})",
        )
        for entry in entries
    ]


def match_baseline(
    findings: Sequence[Finding], waivers: Sequence[Waiver]
) -> tuple[list[Finding], list[Waiver]]:
    """The findings with those that match a baseline entry marked suppressed (each entry
    matches one finding, preferably in its own file), and the entries left unmatched."""
    pool: dict[str, list[Waiver]] = {}
    for waiver in waivers:
        if isinstance(waiver.scope, Fingerprinted):
            pool.setdefault(waiver.scope.entry.fingerprint, []).append(waiver)
    out: list[Finding] = []
    for finding in findings:
        open_ = finding.suppression is None and finding.rule != INVALID_SUPPRESSION
        candidates = pool.get(finding.fingerprint) if open_ and finding.fingerprint else None
        if candidates:
            file = finding.location.file
            chosen = next(
                (w for w in candidates if _entry_file(w) == file and w.rule == finding.rule),
                next((w for w in candidates if w.rule == finding.rule), None),
            )
            if chosen is not None:
                candidates.remove(chosen)
                finding = dataclasses.replace(
                    finding, suppression=Suppression(finding.rule, chosen.reason, Source.BASELINE)
                )
        out.append(finding)
    return out, [w for left in pool.values() for w in left]


def _entry_file(waiver: Waiver) -> str | None:
    return waiver.scope.entry.file if isinstance(waiver.scope, Fingerprinted) else None


def record_baseline(result: ScanResult, path: str) -> ScanResult:
    """Write the baseline of a result's findings to `path` (keeping the reviewers' reasons of
    the baseline already there, if it is one) and return the result judged against it."""
    previous: Sequence[BaselineEntry] = ()
    if os.path.exists(path):
        try:
            previous = read_baseline(path)
        except InputError:
            previous = ()  # a defective file is replaced whole
    entries = entries_of(result.findings, previous)
    write_baseline(path, entries)
    findings, _ = match_baseline(result.findings, baseline_waivers(entries))
    return dataclasses.replace(result, findings=tuple(findings), baseline=path, resolved=())


def write_baseline(path: str, entries: Sequence[BaselineEntry]) -> None:
    try:
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(render_baseline(entries))
    except OSError as err:
        reason = err.strerror or str(err)
        raise InputError(f"cannot write the baseline: {reason}", file=path) from None
