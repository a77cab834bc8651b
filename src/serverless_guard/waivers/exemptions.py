"""Exemptions: one rule waived on the resources a glob matches, with a reason and an expiry.

```
"exemptions": [{"rule": "lambda-in-vpc", "urn": "urn:pulumi:prod::shop::*::legacy-*",
                "reason": "Calls a public partner API; moves into the VPC in Q3",
                "expires": "2026-09-30"}]
```

Engine-neutral: the glob (`urn`, or `resource`) is matched, case-sensitively, against the id the
engine gives a resource (a Pulumi URN, a CloudFormation logical id); `*` matches any run of
characters, `:` included. An exemption is valid through its `expires` day (UTC). An exemption
without a reason (see `reasons.py`), with a date in the past, naming a rule that does not exist,
or with any other defect exempts nothing: it is reported instead, so that a typo or a forgotten
waiver never hides a finding.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from datetime import date

from serverless_guard.findings import Location
from serverless_guard.waivers.model import NOWHERE, Matching, Source, Waiver
from serverless_guard.waivers.reasons import reason_problem

KEYS = frozenset({"rule", "urn", "resource", "reason", "expires"})
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def exemption_waivers(
    raw: object, known_rules: Collection[str], today: date, where: Location = NOWHERE
) -> list[Waiver]:
    """Parse the `exemptions` setting into waivers (valid or not). Never raises."""
    if raw is None:
        return []
    if not isinstance(raw, list | tuple):
        problem = "must be a list of objects"
        return [Waiver(Source.EXEMPTION, "", "", Matching(""), "exemptions", where, problem)]
    return [_entry(i, item, known_rules, today, where) for i, item in enumerate(raw)]


def _text(entry: Mapping[str, object], key: str) -> str | None:
    value = entry.get(key)
    return value if isinstance(value, str) else None


def _entry(
    index: int, raw: object, known_rules: Collection[str], today: date, where: Location
) -> Waiver:
    if not isinstance(raw, Mapping):
        label = f"exemption #{index + 1} (? on ?)"
        return Waiver(Source.EXEMPTION, "", "", Matching(""), label, where, "must be an object")
    problems: list[str] = []
    extra = sorted(str(k) for k in raw if k not in KEYS)
    if extra:
        problems.append(
            f"unknown key {extra[0]!r} (allowed: rule, urn or resource, reason, expires)"
        )
    rule = _text(raw, "rule") or ""
    if not rule:
        problems.append("names no rule (`rule`)")
    elif rule not in known_rules:
        problems.append(f"names unknown rule {rule!r}")
    if "urn" in raw and "resource" in raw:
        problems.append("gives both `urn` and `resource`")
    glob = _text(raw, "urn") or _text(raw, "resource") or ""
    if not glob:
        problems.append("matches no resource (`urn` must be a non-empty glob)")
    reason = raw.get("reason")
    reason_defect = reason_problem(reason)
    if reason_defect:
        problems.append(reason_defect)
    expires: date | None = None
    if "expires" in raw:
        text = _text(raw, "expires")
        if text is None or not _DATE.match(text):
            problems.append("`expires` must be a date written YYYY-MM-DD")
        else:
            try:
                expires = date.fromisoformat(text)
            except ValueError:
                problems.append(f"`expires` is not a date: {text!r}")
            else:
                if expires < today:
                    problems.append(f"expired on {expires.isoformat()}")
    return Waiver(
        Source.EXEMPTION,
        rule,
        reason if isinstance(reason, str) else "",
        Matching(glob),
        f"exemption #{index + 1} ({rule or '?'} on {glob or '?'})",
        where,
        "; ".join(problems) or None,
        expires,
    )
