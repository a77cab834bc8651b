"""Suppressions in template metadata, on a resource as the user wrote it.

```yaml
  LegacyBucket:
    Type: AWS::S3::Bucket
    Metadata:
      serverless-guard:
        suppress:
          - id: s3-bucket-encryption-kms
            reason: Public website assets, encrypted with SSE-S3 by design
```

The block must be exactly that shape: a map with a `suppress` list of `{id, reason}` maps. Any
other shape, key or value is a defect, reported as an error: a misspelt key would otherwise
silently drop the suppression the user meant.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from serverless_guard.findings import Location
from serverless_guard.waivers.model import OnResource, Source, Waiver
from serverless_guard.waivers.reasons import reason_problem

KEYS = ("id", "reason")


def metadata_waivers(
    file: str | None,
    resource: str,
    block: object,
    known_rules: Collection[str],
    where: Location,
) -> list[Waiver]:
    """The suppressions of one resource's `serverless-guard` metadata block (valid or not)."""
    scope = OnResource(file, resource)

    def defect(problem: str) -> Waiver:
        label = f"the serverless-guard metadata of {resource}"
        return Waiver(Source.METADATA, "", "", scope, label, where, problem)

    if not isinstance(block, Mapping):
        return [defect("must be a map with a `suppress` list")]
    extra = sorted(str(k) for k in block if k != "suppress")
    if extra:
        return [defect(f"has an unknown key {extra[0]!r} (allowed: suppress)")]
    entries = block.get("suppress")
    if not isinstance(entries, list):
        return [defect("`suppress` must be a list of {id, reason} maps")]
    return [_entry(scope, resource, entry, known_rules, where) for entry in entries]


def _entry(
    scope: OnResource, resource: str, entry: object, known_rules: Collection[str], where: Location
) -> Waiver:
    if not isinstance(entry, Mapping):
        label = f"a suppression on {resource}"
        return Waiver(Source.METADATA, "", "", scope, label, where, "must be an {id, reason} map")
    rule = entry.get("id")
    rule_id = rule if isinstance(rule, str) else ""
    label = f"suppression of {rule_id or '?'} on {resource}"
    problems: list[str] = []
    extra = sorted(str(k) for k in entry if k not in KEYS)
    if extra:
        problems.append(f"unknown key {extra[0]!r} (allowed: id, reason)")
    if not rule_id:
        problems.append("names no rule (`id`)")
    elif rule_id not in known_rules:
        problems.append(f"names unknown rule {rule_id!r}")
    reason = entry.get("reason")
    problem = reason_problem(reason)
    if problem:
        problems.append(problem)
    return Waiver(
        Source.METADATA,
        rule_id,
        reason if isinstance(reason, str) else "",
        scope,
        label,
        where,
        "; ".join(problems) or None,
    )
