"""Who may call and reach resources: private APIs, authorization, resource policies."""

from __future__ import annotations

from serverless_guard.catalog.rule import Rule

RULES: tuple[Rule, ...] = ()
