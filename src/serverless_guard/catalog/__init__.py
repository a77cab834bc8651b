"""The rule catalog: every rule, listed explicitly by domain."""

from __future__ import annotations

from serverless_guard.catalog import access, encryption, hardening, iam, logging
from serverless_guard.catalog.rule import Rule

CATALOG: tuple[Rule, ...] = (
    *encryption.RULES,
    *access.RULES,
    *iam.RULES,
    *logging.RULES,
    *hardening.RULES,
)

BY_ID: dict[str, Rule] = {r.id: r for r in CATALOG}

if len(BY_ID) != len(CATALOG):  # pragma: no cover - caught by the catalog tests
    raise RuntimeError("duplicate rule ids in the catalog")
