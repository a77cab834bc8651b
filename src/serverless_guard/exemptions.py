"""Exemptions: one rule waived on the resources a glob matches, with a reason and an expiry.

```
"exemptions": [{"rule": "lambda-in-vpc", "urn": "urn:pulumi:prod::shop::*::legacy-*",
                "reason": "Calls a public partner API; moves into the VPC in Q3",
                "expires": "2026-09-30"}]
```

Engine-neutral: the glob (`urn`, or `resource`) is matched, case-sensitively, against the id the
engine gives a resource (a Pulumi URN, a CloudFormation logical id); `*` matches any run of
characters, `:` included. An exemption is valid through its `expires` day (UTC). An exemption
without a reason of at least `MIN_REASON` characters, with a date in the past, naming a rule that
does not exist, or with any other defect exempts nothing: it is reported instead, so that a typo or
a forgotten waiver never hides a finding.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from fnmatch import fnmatchcase

from serverless_guard.evaluate import MIN_REASON

KEYS = frozenset({"rule", "urn", "resource", "reason", "expires"})
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True, slots=True)
class Exemption:
    """One entry of the list; `problem` says why it exempts nothing (None when valid)."""

    index: int
    rule: str
    resource: str
    reason: str
    expires: date | None = None
    problem: str | None = None

    @property
    def valid(self) -> bool:
        return self.problem is None

    @property
    def label(self) -> str:
        """How messages name it: its position (from 1) and what it is about."""
        what = f"{self.rule or '?'} on {self.resource or '?'}"
        return f"exemption #{self.index + 1} ({what})"

    def matches(self, rule_id: str, resource_id: str) -> bool:
        return (
            self.rule == rule_id and bool(self.resource) and fnmatchcase(resource_id, self.resource)
        )


@dataclass(frozen=True, slots=True)
class Exemptions:
    """The parsed list: every entry (valid or not) and every defect, one message each."""

    entries: tuple[Exemption, ...] = ()
    problems: tuple[str, ...] = ()

    def match(self, rule_id: str, resource_id: str) -> Exemption | None:
        """The first valid exemption for this rule and resource, else the first invalid one
        that would have matched (callers say that it was ignored), else None."""
        ignored: Exemption | None = None
        for entry in self.entries:
            if entry.matches(rule_id, resource_id):
                if entry.valid:
                    return entry
                ignored = ignored or entry
        return ignored


def _text(entry: Mapping[str, object], key: str) -> str | None:
    value = entry.get(key)
    return value if isinstance(value, str) else None


def _entry(index: int, raw: object, known_rules: Collection[str], today: date) -> Exemption:
    if not isinstance(raw, Mapping):
        return Exemption(index, "", "", "", problem="must be an object")
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
    resource = _text(raw, "urn") or _text(raw, "resource") or ""
    if not resource:
        problems.append("matches no resource (`urn` must be a non-empty glob)")
    reason = (_text(raw, "reason") or "").strip()
    if len(reason) < MIN_REASON:
        problems.append(f"needs a reason of at least {MIN_REASON} characters")
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
    return Exemption(
        index,
        rule,
        resource,
        reason,
        expires,
        problem="; ".join(problems) if problems else None,
    )


def parse_exemptions(raw: object, known_rules: Collection[str], today: date) -> Exemptions:
    """Parse the `exemptions` setting. Never raises: defects become `problems`."""
    if raw is None:
        return Exemptions()
    if not isinstance(raw, list | tuple):
        return Exemptions(problems=("exemptions must be a list of objects",))
    entries = tuple(_entry(i, item, known_rules, today) for i, item in enumerate(raw))
    problems = tuple(
        f"{entry.label} exempts nothing: {entry.problem}" for entry in entries if not entry.valid
    )
    return Exemptions(entries, problems)
